import Paths
import ReviewCore
import Testing

@Suite struct WorkflowEngineTests {
    private func evaluate(_ facts: ArticleFacts, asOf: String = "2026-11-25") -> ArticleStatus {
        var configuration = Fixture.configuration
        configuration.asOf = Day(asOf)!
        return WorkflowEngine.evaluate(facts, configuration)
    }

    private func approved(_ facts: ArticleFacts, medical: String = "2026-04-09", editorial: String = "2026-04-10") -> ArticleFacts {
        var facts = facts
        facts.signOffs = [Fixture.record("ann", "medical", on: medical, sha256: facts.sha256),
                          Fixture.record("ed", "editorial", on: editorial, sha256: facts.sha256)]
        return facts
    }

    @Test func noSignOffIsADraftDueAnIntervalAfterLastUpdated() {
        let status = evaluate(Fixture.facts())
        #expect(status.state == .draft)
        #expect(status.lastReviewed == nil)
        #expect(status.nextReviewDue == Day("2027-04-07"))
        #expect(status.missingRoles == ["medical", "editorial"])
        #expect(status.findings.map(\.rule) == [.awaitingReview])
    }

    @Test func everyRequiredRoleApprovingMakesItApproved() {
        let status = evaluate(approved(Fixture.facts()))
        #expect(status.state == .approved)
        // The stalest role's review: medical on 04-09, editorial on 04-10.
        #expect(status.lastReviewed == Day("2026-04-09"))
        #expect(status.nextReviewDue == Day("2027-04-09"))
        #expect(status.missingRoles.isEmpty)
        #expect(status.approvals.map(\.current) == [true, true])
        #expect(status.findings.isEmpty)
        #expect(status.lastApprovedRevision == "b1")
    }

    @Test func theSameRevisionOnThePublishedRefIsPublished() {
        var facts = approved(Fixture.facts())
        facts.publishedBlob = "b1"
        #expect(evaluate(facts).state == .published)
        facts.publishedBlob = "b0"
        #expect(evaluate(facts).state == .approved)
    }

    @Test func anEditAfterApprovalIsInReviewWithOldApprovalsNotCurrent() {
        let old = Fixture.facts()
        var facts = Fixture.facts(Fixture.articleText(lastUpdated: "2026-09-01", body: "New body.\n\n" + Fixture.disclaimer), blob: "b2",
                                  changes: [Fixture.change("c2", by: "Writer", on: "2026-09-01", blob: "b2"),
                                            Fixture.change("c1", by: "Writer", on: "2026-04-07", blob: "b1")])
        facts.signOffs = approved(old).signOffs
        facts.revisions = ["b1": (old.article, old.sha256)]
        let status = evaluate(facts)
        #expect(status.state == .inReview)
        #expect(status.approvals.map(\.current) == [false, false])
        #expect(status.lastReviewed == Day("2026-04-09"))
        #expect(status.findings.map(\.rule) == [.awaitingReview])
    }

    @Test func changingOnlyAnUnreviewedFieldKeepsApprovals() {
        let old = Fixture.facts()
        var facts = Fixture.facts(Fixture.articleText(tags: "[a, b]"), blob: "b2",
                                  changes: [Fixture.change("c2", by: "Writer", on: "2026-04-08", blob: "b2"),
                                            Fixture.change("c1", by: "Writer", on: "2026-04-07", blob: "b1")])
        facts.signOffs = approved(old).signOffs
        facts.revisions = ["b1": (old.article, old.sha256)]
        #expect(evaluate(facts).state == .approved)
    }

    /// "café" composed and decomposed are one string to Swift, two texts to a reader's bytes:
    /// approvals never carry over between them.
    @Test func equivalenceIsByBytesNeverByUnicodeCanonicalEquivalence() {
        let composed = Fixture.articleText(body: "Caf\u{E9}.\n\n" + Fixture.disclaimer)
        let decomposed = Fixture.articleText(body: "Cafe\u{301}.\n\n" + Fixture.disclaimer)
        #expect(composed == decomposed)  // Swift's String equality: canonical equivalence
        let old = Fixture.facts(composed)
        var facts = Fixture.facts(decomposed, blob: "b2",
                                  changes: [Fixture.change("c2", by: "Writer", on: "2026-04-08", blob: "b2"),
                                            Fixture.change("c1", by: "Writer", on: "2026-04-07", blob: "b1")])
        facts.signOffs = approved(old).signOffs
        facts.revisions = ["b1": (old.article, old.sha256)]
        #expect(evaluate(facts).state == .inReview)
    }

    @Test func theNewestDecisionPerRoleWins() {
        var facts = approved(Fixture.facts())
        facts.signOffs.append(Fixture.record("bo", "medical", .requestChanges, on: "2026-05-01", sha256: facts.sha256, comment: "Add a source."))
        let status = evaluate(facts)
        #expect(status.state == .changesRequested)
        #expect(status.findings.map(\.rule) == [.changesRequested])
        #expect(status.findings.first?.message.contains("Add a source.") == true)
        facts.signOffs.append(Fixture.record("bo", "medical", on: "2026-05-02", sha256: facts.sha256))
        #expect(evaluate(facts).state == .approved)
    }

    @Test(arguments: [
        ("2027-03-09", Freshness.fresh), ("2027-03-10", .dueSoon), ("2027-04-09", .dueSoon), ("2027-04-10", .overdue),
    ])
    func freshnessFollowsTheIntervalFromTheLastReview(asOf: String, expected: Freshness) {
        let status = evaluate(approved(Fixture.facts()), asOf: asOf)
        #expect(status.freshness == expected)
        let rules = status.findings.map(\.rule)
        #expect(rules.contains(.overdue) == (expected == .overdue))
        #expect(rules.contains(.dueSoon) == (expected == .dueSoon))
    }

    @Test func sameInputsSameOutput() {
        let facts = approved(Fixture.facts())
        let a = evaluate(facts), b = evaluate(facts)
        #expect(a.findings == b.findings && a.state == b.state && a.approvals == b.approvals)
    }
}

/// Each rule: inputs that should and should not trigger it.
@Suite struct RuleTests {
    private func findings(_ facts: ArticleFacts, asOf: String = "2026-11-25") -> [Finding] {
        var configuration = Fixture.configuration
        configuration.asOf = Day(asOf)!
        return WorkflowEngine.evaluate(facts, configuration).findings
    }

    private func rules(_ facts: ArticleFacts, asOf: String = "2026-11-25") -> Set<RuleID> {
        Set(findings(facts, asOf: asOf).map(\.rule))
    }

    @Test func theRegistryCoversEveryRuleID() {
        let covered = Set(RuleRegistry.descriptions.flatMap(\.ids))
        #expect(covered == Set(RuleID.allCases))
        for description in RuleRegistry.descriptions {
            #expect(!description.summary.isEmpty && !description.rationale.isEmpty)
        }
    }

    @Test func severitiesFollowTheContract() {
        let warnings: Set<RuleID> = [.dueSoon, .awaitingReview, .changesRequested, .unknownHistory, .unattachedRecord, .outdatedDisclaimer, .readingLevel,
                                     .linkCaseMismatch, .rawHTMLShown, .unpinnedTrustRoot, .ungovernedConfiguration, .invalidSuppression,
                                     .translationOutdated, .translationSource, .retracted]
        for rule in RuleID.allCases { #expect((rule.severity == .warning) == warnings.contains(rule), "\(rule)") }
    }

    @Test func aCategorysRuleSeverityDecidesWhetherAContentFindingBlocks() {
        let sentence = "The virus spreads between people who share a home for many weeks."
        let facts = Fixture.facts(Fixture.articleText(body: "\(sentence)\n\nAnd again. \(sentence)\n\n" + Fixture.disclaimer))
        var configuration = Fixture.configuration
        let before = WorkflowEngine.evaluate(facts, configuration).findings.filter { $0.rule == .repeatedText }
        #expect(!before.isEmpty && before.allSatisfy { $0.severity == .error })
        configuration.policy.categories["neurology"]!.ruleSeverity = [.repeatedText: .warning]
        let after = WorkflowEngine.evaluate(facts, configuration).findings.filter { $0.rule == .repeatedText }
        #expect(after.count == before.count && after.allSatisfy { $0.severity == .warning })
    }

    @Test func aCategoryCanMakeUnapprovedArticlesBlock() {
        var configuration = Fixture.configuration
        let facts = Fixture.facts()
        let before = WorkflowEngine.evaluate(facts, configuration).findings.first { $0.rule == .awaitingReview }
        #expect(before?.severity == .warning)
        configuration.policy.categories["neurology"]!.unapprovedBlocks = true
        let after = WorkflowEngine.evaluate(facts, configuration).findings.first { $0.rule == .awaitingReview }
        #expect(after?.severity == .error)
    }

    @Test func invalidFrontMatter() {
        #expect(rules(Fixture.facts("---\ntitle: A\n")).contains(.invalidFrontMatter))
        #expect(!rules(Fixture.facts()).contains(.invalidFrontMatter))
    }

    @Test func unknownCategory() {
        let found = findings(Fixture.facts(Fixture.articleText(category: "astrology")))
        #expect(found.contains { $0.rule == .unknownCategory && $0.line == 4 })
        #expect(!rules(Fixture.facts()).contains(.unknownCategory))
    }

    @Test func futureLastUpdated() {
        #expect(rules(Fixture.facts(Fixture.articleText(lastUpdated: "2026-11-26"))).contains(.futureLastUpdated))
        #expect(!rules(Fixture.facts(Fixture.articleText(lastUpdated: "2026-11-25"))).contains(.futureLastUpdated))
    }

    @Test(arguments: [
        ("2026-04-07", "2026-04-07", "2026-04-07", false),
        ("2026-04-07", "2026-04-11", "2026-04-11", true),
        // Within the tolerance: the writer dated the edit, the commit landed three days later.
        ("2026-04-07", "2026-04-10", "2026-04-10", false),
        // Committed just after midnight UTC but still the 10th in the committer's time zone.
        ("2026-04-07", "2026-04-11", "2026-04-10", false),
        ("2026-04-07", "2026-04-06", "2026-04-06", false),
    ])
    func lastUpdatedNotBumped(lastUpdated: String, utc: String, local: String, flagged: Bool) {
        var change = Fixture.change("c1", by: "Writer", on: utc, blob: "b1")
        change.localDate = Day(local)!
        let facts = Fixture.facts(Fixture.articleText(lastUpdated: lastUpdated), changes: [change])
        #expect(rules(facts).contains(.lastUpdatedNotBumped) == flagged)
    }

    @Test func missingAndAlteredDisclaimers() {
        #expect(rules(Fixture.facts(Fixture.articleText(body: "Body only."))).contains(.missingDisclaimer))
        let altered = findings(Fixture.facts(Fixture.articleText(body: "Body.\n\nMedical disclaimer: this is general information, not legal advice.")))
        let finding = altered.first { $0.rule == .alteredDisclaimer }
        #expect(finding?.line == 9)
        #expect(finding?.message.contains("'legal' where the disclaimer says 'medical'") == true)
        // Re-wrapped and re-spaced is still the same text.
        let wrapped = Fixture.articleText(body: "Body.\n\nMedical disclaimer: this is general\ninformation,   not medical advice.")
        #expect(rules(Fixture.facts(wrapped)).isDisjoint(with: [.missingDisclaimer, .alteredDisclaimer]))
        // A category without required disclaimers needs none.
        #expect(!rules(Fixture.facts(Fixture.articleText(category: "general", body: "Body."))).contains(.missingDisclaimer))
    }

    @Test func awaitingReviewAndChangesRequested() {
        var facts = Fixture.facts()
        #expect(rules(facts).contains(.awaitingReview))
        facts.signOffs = [Fixture.record("ann", "medical", .requestChanges, sha256: facts.sha256, comment: "Fix it")]
        #expect(rules(facts) == [.changesRequested])
    }

    @Test func unknownHistory() {
        var facts = Fixture.facts(changes: [])
        facts.historyTruncated = true
        #expect(rules(facts).contains(.unknownHistory))
        #expect(!rules(Fixture.facts()).contains(.unknownHistory))
    }

    // MARK: Sign-off rules: each threat is a record that must not count.

    private func signedOff(_ record: (String) -> SignOffRecord, changes: [ChangeFact]? = nil) -> ArticleStatus {
        var facts = Fixture.facts(changes: changes)
        facts.signOffs = [record(facts.sha256)]
        return WorkflowEngine.evaluate(facts, Fixture.configuration)
    }

    @Test func aValidRecordCounts() {
        let status = signedOff { Fixture.record("ann", "medical", sha256: $0) }
        #expect(status.approvals.count == 1)
        #expect(status.state == .inReview)
    }

    @Test func unknownReviewer() {
        let status = signedOff { Fixture.record("mallory", "medical", sha256: $0) }
        #expect(status.findings.map(\.rule).contains(.unknownReviewer))
        #expect(status.approvals.isEmpty)
        #expect(status.state == .draft)
    }

    @Test func aForgedSignatureOrEditedRecordIsBad() {
        let forged = signedOff { Fixture.record("ann", "medical", sha256: $0, signer: "ed") }
        #expect(forged.findings.map(\.rule).contains(.badSignature))
        #expect(forged.approvals.isEmpty)
        for edit in [{ (r: inout SignOffRecord) in r.signOff.decision = .requestChanges },
                     { r in r.signOff.comment = "changed" },
                     { r in r.signOff.role = "editorial" },
                     { r in r.signOff.blob = "b9" },
                     { r in r.signOff.timestamp += 86400 },
                     { r in r.signOff.reviewer = "ed" },
                     { r in r.signOff.article = "Articles/other.md" }] {
            let status = signedOff {
                var record = Fixture.record("bo", "medical", sha256: $0)
                edit(&record)
                return record
            }
            #expect(status.findings.map(\.rule).contains(.badSignature))
            #expect(status.approvals.isEmpty)
        }
    }

    @Test func aRecordCopiedToAnotherPathIsBad() {
        let status = signedOff {
            var record = Fixture.record("ann", "medical", sha256: $0)
            record.path = GitPath("Reviews/signoffs/other/") + record.path.lastComponent
            return record
        }
        #expect(status.findings.first { $0.rule == .badSignature }?.message.contains("moved or copied") == true)
        #expect(status.approvals.isEmpty)
    }

    @Test func aWrongContentHashIsBad() {
        let status = signedOff { _ in Fixture.record("ann", "medical", sha256: String(repeating: "0", count: 64)) }
        #expect(status.findings.map(\.rule).contains(.badSignature))
    }

    @Test func keyExpired() {
        let late = signedOff { Fixture.record("ann", "medical", on: "2026-07-01", sha256: $0) }
        #expect(late.findings.map(\.rule).contains(.keyExpired))
        // Signed before valid-until: still valid after the key expired.
        let early = signedOff { Fixture.record("ann", "medical", on: "2026-06-30", sha256: $0) }
        #expect(early.approvals.count == 1)
    }

    @Test func roleNotHeld() {
        let status = signedOff { Fixture.record("ed", "medical", sha256: $0) }
        #expect(status.findings.map(\.rule) .contains(.roleNotHeld))
        #expect(status.approvals.isEmpty)
    }

    @Test func selfApproval() {
        let authored = [Fixture.change("c1", by: "Dr Bo Both", email: "bo@example.org", on: "2026-04-07", blob: "b1")]
        let status = signedOff({ Fixture.record("bo", "medical", sha256: $0) }, changes: authored)
        #expect(status.findings.map(\.rule).contains(.selfApproval))
        #expect(status.approvals.isEmpty)
        // Requesting changes on one's own text is allowed.
        let request = signedOff({ Fixture.record("bo", "medical", .requestChanges, sha256: $0, comment: "x") }, changes: authored)
        #expect(!request.findings.map(\.rule).contains(.selfApproval))
    }

    @Test func editsBeforeTheLastApprovedRevisionAreNotSelfApproval() {
        // Bo wrote revision b1, which Ann and Ed approved; Writer made b2; Bo may approve b2.
        let old = Fixture.facts()
        var facts = Fixture.facts(Fixture.articleText(body: "New.\n\n" + Fixture.disclaimer), blob: "b2", changes: [
            Fixture.change("c2", by: "Writer", on: "2026-05-01", blob: "b2"),
            Fixture.change("c1", by: "Dr Bo Both", email: "bo@example.org", on: "2026-04-07", blob: "b1"),
        ])
        facts.revisions = ["b1": (old.article, old.sha256)]
        facts.signOffs = [Fixture.record("ann", "medical", on: "2026-04-09", blob: "b1", sha256: old.sha256),
                          Fixture.record("ed", "editorial", on: "2026-04-09", blob: "b1", sha256: old.sha256),
                          Fixture.record("bo", "medical", on: "2026-05-02", blob: "b2", sha256: facts.sha256)]
        let status = WorkflowEngine.evaluate(facts, Fixture.configuration)
        #expect(!status.findings.map(\.rule).contains(.selfApproval))
        #expect(status.approvals.filter(\.current).map(\.reviewer) == ["bo"])
    }

    @Test func aRemovedReviewersOldSignOffsStopCounting() {
        // The policy: reviewers.yml at the checked revision decides. Retire someone with
        // valid-until to keep their sign-offs; deleting them voids their sign-offs.
        var configuration = Fixture.configuration
        configuration.reviewers.removeAll { $0.id == "ed" }
        var facts = Fixture.facts()
        facts.signOffs = [Fixture.record("ed", "editorial", sha256: facts.sha256)]
        let status = WorkflowEngine.evaluate(facts, configuration)
        #expect(status.findings.map(\.rule).contains(.unknownReviewer))
    }
}

/// `baseline:`'s first due date of a never-reviewed page: `from` plus the first four bytes of the
/// SHA-256 of its path's bytes (big-endian) modulo the spread's days. The expected days are
/// Python's `hashlib.sha256(path.encode()).digest()[:4]`, so a change to how the path is hashed
/// (its bytes, their order, the digest's prefix) moves a page's due date and fails here.
@Suite struct BaselineSpreadTests {
    @Test(arguments: [("Articles/a.md", "2026-03-11"),
                      ("docset/winserver2022-ps/ActiveDirectory/Get-ADUser.md", "2026-07-01"),
                      ("Articles/café.md", "2026-05-09")])
    func aPageFirstFallsDueByTheDigestOfItsPath(path: String, due: String) {
        let baseline = Policy.Baseline(from: Day("2026-01-05")!, spreadWeeks: 26)
        #expect(baseline.firstDue(GitPath(path)) == Day(due)!)
    }
}
