import Paths
import ReviewCore
import Testing

/// The switches teams expect over content rules (issue 32): levels in the policy, suppression
/// comments in articles, the accepted-findings baseline. None lets a finding disappear silently.
@Suite struct SwitchesTests {
    /// A zero-width space: a `hidden-characters` finding on its line.
    static let zw = "\u{200B}"

    /// The article's findings and what was silenced, as the engine decides them. The front
    /// matter takes lines 1-6, so the body starts on line 7.
    private func evaluate(_ body: String, category: String = "neurology",
                          _ configure: (inout WorkflowConfiguration) -> Void = { _ in }) -> ArticleStatus {
        var configuration = Fixture.configuration
        configure(&configuration)
        let facts = Fixture.facts(Fixture.articleText(category: category, body: body + "\n\n" + Fixture.disclaimer))
        return WorkflowEngine.evaluate(facts, configuration)
    }

    private func lines(_ findings: [Finding], _ rule: RuleID) -> [Int] {
        findings.filter { $0.rule == rule }.compactMap(\.line).sorted()
    }

    // MARK: Levels

    @Test func theFixedRulesAreNotContentRules() {
        // The contract's content rules: structure, readability, links, hidden characters.
        #expect(Set(RuleID.adjustable) == [.introWithoutList, .repeatedText, .runInQuestion, .headingStructure, .imageWithoutAlt,
                                           .hiddenCharacters, .brokenLink, .linkCaseMismatch, .readingLevel, .rawHTMLShown])
        for rule: RuleID in [.missingDisclaimer, .overdue, .lastUpdatedNotBumped, .recordTampered, .unsignedConfiguration, .renderIntegrity,
                             .confusablePaths, .invalidSuppression] {
            #expect(!rule.isContent, "\(rule)")
        }
        #expect(RuleID.hiddenCharacters.isContent)
    }

    /// The policy's `rules:` is the default; a category's `rules:` overrides it. `off` removes
    /// the finding from the article's findings and counts it.
    @Test func levelsApplyPerCategoryOverThePolicyDefault() {
        let body = "A zero\(Self.zw)width space and ![](chart.png)."
        func configure(_ configuration: inout WorkflowConfiguration) {
            configuration.policy.ruleLevels = [.hiddenCharacters: .off, .imageWithoutAlt: .warning]
            configuration.policy.categories["neurology"]!.ruleSeverity = [.hiddenCharacters: .error]
        }
        // Without switches both are errors.
        let plain = evaluate(body)
        #expect(plain.findings.filter { $0.rule == .hiddenCharacters || $0.rule == .imageWithoutAlt }.map(\.severity) == [.error, .error])
        #expect(plain.suppressed.isEmpty)

        // neurology turns hidden-characters back on as an error; the image is a warning everywhere.
        let neurology = evaluate(body, configure)
        #expect(neurology.findings.first { $0.rule == .hiddenCharacters }?.severity == .error)
        #expect(neurology.findings.first { $0.rule == .imageWithoutAlt }?.severity == .warning)
        #expect(neurology.suppressed.isEmpty)

        // general takes the default: hidden-characters is off, and counted.
        let general = evaluate(body, category: "general", configure)
        #expect(!general.findings.contains { $0.rule == .hiddenCharacters })
        #expect(general.findings.first { $0.rule == .imageWithoutAlt }?.severity == .warning)
        #expect(general.suppressed.byPolicy.map(\.rule) == [.hiddenCharacters])
        #expect(general.suppressed.counts == SuppressedCounts(policy: 1))

        // A category may switch a rule off that the default leaves on.
        let off = evaluate(body) { configuration in
            configuration.policy.categories["neurology"]!.switchedOff = [.imageWithoutAlt]
        }
        #expect(!off.findings.contains { $0.rule == .imageWithoutAlt } && off.findings.contains { $0.rule == .hiddenCharacters })
        #expect(off.suppressed.byPolicy.map(\.rule) == [.imageWithoutAlt])
    }

    /// A record's acknowledged finding (a warning set by the record log) keeps its severity when
    /// a category tunes other rules: the category's map sets only the rules it names.
    @Test func aCategorysRulesLeaveOtherSeveritiesAlone() {
        var facts = Fixture.facts()
        var acknowledged = Finding(.unreadableRecord, path: "Reviews/signoffs/pml/x.yml", "junk; acknowledged")
        acknowledged.severityOverride = .warning
        facts.recordFindings = [acknowledged]
        var configuration = Fixture.configuration
        configuration.policy.categories["neurology"]!.unapprovedBlocks = true
        let status = WorkflowEngine.evaluate(facts, configuration)
        #expect(status.findings.first { $0.rule == .unreadableRecord }?.severity == .warning)
        #expect(status.findings.first { $0.rule == .awaitingReview }?.severity == .error)
    }

    // MARK: Suppression comments

    /// The comment silences the named rule in the next block (all its lines) and nothing else:
    /// not another rule in that block, not the same rule in a later block.
    @Test func aCommentSilencesExactlyTheNextBlockAndOnlyTheNamedRule() {
        let body = """
            <!-- review-ignore hidden-characters: the spaces are quoted from the manufacturer's leaflet -->
            A zero\(Self.zw)width space and ![](chart.png),
            and another\(Self.zw) on the paragraph's second line.

            A later zero\(Self.zw)width space.
            """
        let status = evaluate(body)
        #expect(lines(status.findings, .hiddenCharacters) == [11])
        #expect(lines(status.findings, .imageWithoutAlt) == [8])
        #expect(lines(status.suppressed.byComment, .hiddenCharacters) == [8, 9])
        #expect(status.suppressed.counts == SuppressedCounts(comments: 2))
        #expect(!status.findings.contains { $0.rule == .invalidSuppression })
    }

    /// Several rules in one comment, and several comments in a row, apply to the block after them;
    /// inside a list the next block is the next one in the list.
    @Test func commentsInARowAndInsideListsApplyToTheBlockAfterThem() {
        let body = """
            <!-- review-ignore image-without-alt: a decorative rule line -->
            <!-- review-ignore hidden-characters, broken-link: quoted -->
            A zero\(Self.zw)width space and ![](chart.png).

            - First item.

              <!-- review-ignore hidden-characters: quoted -->
              Second\(Self.zw) paragraph of the item.
            - Third\(Self.zw) item.
            """
        let status = evaluate(body)
        #expect(lines(status.suppressed.byComment, .hiddenCharacters) == [9, 14])
        #expect(lines(status.suppressed.byComment, .imageWithoutAlt) == [9])
        #expect(lines(status.findings, .hiddenCharacters) == [15])
    }

    /// A comment without a reason, naming an unknown or fixed rule, with no block after it, or
    /// inside a paragraph, is a warning that says what to do, and silences nothing.
    @Test(arguments: [
        ("<!-- review-ignore hidden-characters -->\nA zero\(zw)width space.", 7, "gives no reason, so it silences nothing; write why after a colon"),
        ("<!-- review-ignore hidden-characters:   -->\nA zero\(zw)width space.", 7, "gives no reason"),
        ("<!-- review-ignore hiden-characters: quoted -->\nA zero\(zw)width space.", 7, "'hiden-characters' is not a rule (did you mean 'hidden-characters'?)"),
        ("<!-- review-ignore missing-disclaimer: quoted -->\nA zero\(zw)width space.", 7, "'missing-disclaimer' is not a content rule and cannot be silenced"),
        ("<!-- review-ignore: quoted -->\nA zero\(zw)width space.", 7, "names no rule"),
        ("<!-- review-ignore-next-line hidden-characters: quoted -->\nA zero\(zw)width space.", 7, "is not a review comment review knows"),
        ("A zero\(zw)width space.\n\n> Quoted.\n>\n> <!-- review-ignore hidden-characters: quoted -->", 11, "has no block after it"),
        ("A zero\(zw)width space. <!-- review-ignore hidden-characters: quoted -->", 7, "inside a block silences nothing"),
    ])
    func aCommentThatSilencesNothingIsAFinding(_ body: String, _ line: Int, _ message: String) {
        let status = evaluate(body)
        let problem = status.findings.first { $0.rule == .invalidSuppression }
        #expect(problem?.line == line, "\(status.findings)")
        #expect(problem?.severity == .warning)
        #expect(problem?.message.contains(message) == true, "\(problem?.message ?? "none")")
        #expect(status.findings.contains { $0.rule == .hiddenCharacters })
        #expect(status.suppressed.isEmpty)
    }

    /// `review-ignore-file` silences its rules in the whole article, findings without a line too.
    @Test func aFileCommentSilencesTheRuleEverywhere() {
        let body = "<!-- review-ignore-file hidden-characters: the page quotes a right-to-left source -->\n\nOne\(Self.zw).\n\nTwo\(Self.zw).\n\n![](chart.png)"
        let status = evaluate(body)
        #expect(!status.findings.contains { $0.rule == .hiddenCharacters })
        #expect(lines(status.suppressed.byComment, .hiddenCharacters) == [9, 11])
        #expect(status.findings.contains { $0.rule == .imageWithoutAlt })
        let suppression = Suppression(rules: [.readingLevel], reason: "r", line: 7, lines: nil)
        #expect(suppression.silences(Finding(.readingLevel, path: "Articles/pml.md", "reads at age 16")))
        #expect(!Suppression(rules: [.readingLevel], reason: "r", line: 7, lines: 8...9).silences(Finding(.readingLevel, path: "Articles/pml.md", "x")))
    }

    /// The policy's `suppressible:` limits what comments may silence: any other comment is a
    /// finding and silences nothing.
    @Test func thePolicyLimitsWhatCommentsMaySilence() {
        let body = "<!-- review-ignore hidden-characters: quoted -->\nA zero\(Self.zw)width space."
        let allowed = evaluate(body)
        #expect(allowed.suppressed.counts.comments == 1)
        let limited = evaluate(body) { $0.policy.suppressible = [.brokenLink] }
        #expect(limited.suppressed.isEmpty)
        #expect(lines(limited.findings, .hiddenCharacters) == [8])
        let problem = limited.findings.first { $0.rule == .invalidSuppression }
        #expect(problem?.line == 7 && problem?.message.contains("does not let comments silence 'hidden-characters' (suppressible: broken-link)") == true)
    }

    // MARK: The baseline

    /// Findings in the baseline are counted, not shown; only what is beyond it is reported, and
    /// moving text (which changes lines, and line numbers in messages) keeps it matched.
    @Test func theBaselineAcceptsWhatItListsAndNothingMore() throws {
        let sentence = "The virus spreads between people who share a home for many weeks."
        let body = "A zero\(Self.zw)width space.\n\n\(sentence)\n\nAnd again. \(sentence)"
        let before = evaluate(body)
        let content = before.findings.filter(\.rule.isContent)
        #expect(Set(content.map(\.rule)) == [.hiddenCharacters, .repeatedText])
        let baseline = AcceptedFindings(before.findings)
        #expect(baseline.count == 2)

        // Re-checked: nothing beyond the baseline; the fixed rules' findings are untouched.
        let again = evaluate(body) { $0.acceptedFindings = baseline }
        #expect(!again.findings.contains { $0.rule.isContent })
        #expect(again.suppressed.counts == SuppressedCounts(baseline: 2))
        #expect(again.findings.filter { !$0.rule.isContent } == before.findings.filter { !$0.rule.isContent })

        // Lines moved (four lines above), a new defect added: only the new one is reported.
        let moved = "New opening paragraph.\n\nWith two more lines.\n\n" + body + "\n\nA second\(Self.zw) hidden space."
        let after = evaluate(moved) { $0.acceptedFindings = baseline }
        #expect(after.suppressed.counts.baseline == 2)
        let beyond = after.findings.filter(\.rule.isContent)
        #expect(beyond.map(\.rule) == [.hiddenCharacters] && beyond.map(\.line) == [17], "\(beyond)")
    }

    /// Counts make duplicates work: a baseline of one repeat accepts one, not two.
    @Test func theBaselineCountsDuplicates() {
        let one = Finding(.imageWithoutAlt, path: "Articles/pml.md", line: 8, "the image chart.png has no description")
        var other = one
        other.line = 20
        let baseline = AcceptedFindings([one])
        let (beyond, accepted) = baseline.split([one, other], at: "Articles/pml.md")
        #expect(accepted.count == 1 && beyond.count == 1)
        #expect(AcceptedFindings([one, other]).split([one, other], at: "Articles/pml.md").beyond.isEmpty)
        // Another article's findings are its own.
        #expect(baseline.split([one], at: "Articles/other.md").accepted.isEmpty)
        // Fixed rules are never accepted.
        #expect(AcceptedFindings([Finding(.missingDisclaimer, path: "Articles/pml.md", "no disclaimer")]).isEmpty)
    }

    @Test(arguments: [
        ("this block repeats line 12 word for word; remove one of them", "this block repeats line # word for word; remove one of them"),
        ("the link 'a.md' leads to Articles/a.md, which does not exist at 3f9c2a1; fix the address",
         "the link 'a.md' leads to Articles/a.md, which does not exist at #; fix the address"),
        ("an invisible or direction-changing character (U+200B) is in this line; delete it",
         "an invisible or direction-changing character (U+200B) is in this line; delete it"),
        ("reads at age 16 (Flesch–Kincaid grade 10.4, 250 words)", "reads at age # (Flesch–Kincaid grade #.#, # words)"),
    ])
    func messagesAreMatchedWithoutNumbersOrRevisions(_ message: String, _ key: String) {
        #expect(AcceptedFindings.normalized(message) == key)
    }

    /// The file is sorted and stable, and reads back as the same baseline.
    @Test func theFileRoundTripsAndIsDeterministic() throws {
        let findings = [
            Finding(.repeatedText, path: "Articles/b.md", line: 9, "this block repeats line 4 word for word; remove one of them"),
            Finding(.imageWithoutAlt, path: "Articles/a \"quoted\".md", line: 3, "the image x.png has no description"),
            Finding(.repeatedText, path: "Articles/b.md", line: 30, "this block repeats line 12 word for word; remove one of them"),
            Finding(.brokenLink, path: "Articles/a \"quoted\".md", line: 5, "the link 'x.md' leads to nowhere"),
        ]
        let baseline = AcceptedFindings(findings)
        #expect(AcceptedFindings(findings.reversed()).text == baseline.text)
        #expect(try AcceptedFindings.parse(Array(baseline.text.utf8)) == baseline)
        #expect(baseline.text.hasSuffix("""
            accepted:
              - rule: broken-link
                path: "Articles/a \\"quoted\\".md"
                message: "the link 'x.md' leads to nowhere"
                count: 1
              - rule: image-without-alt
                path: "Articles/a \\"quoted\\".md"
                message: "the image x.png has no description"
                count: 1
              - rule: repeated-text
                path: "Articles/b.md"
                message: "this block repeats line # word for word; remove one of them"
                count: 2

            """))
        #expect(try AcceptedFindings.parse(Array(AcceptedFindings().text.utf8)).isEmpty)
    }

    /// A broken file stops the run with its line: only content rules can be accepted.
    @Test(arguments: [
        ("accepted:\n  - rule: overdue\n    path: a.md\n    message: m\n    count: 1\n", 2, "'overdue' in the accepted findings (only content rules can be accepted) is not a content rule"),
        ("accepted:\n  - rule: repeated-text\n    path: a.md\n    message: m\n    count: 0\n", 5, "'count' in an accepted finding must be a whole number from 1"),
        ("accepted:\n  - rule: repeated-text\n    path: a.md\n    message: m\n    count: 1\n    line: 4\n", 6, "unknown key 'line' in an accepted finding"),
        ("accepted:\n  - rule: repeated-text\n    message: m\n    count: 1\n", 2, "an accepted finding has no 'path'"),
        ("accepted: yes\n", 1, "'accepted' must be a list"),
        ("findings: []\n", 1, "unknown key 'findings'"),
    ])
    func aBrokenBaselineIsRefusedWithItsLine(_ text: String, _ line: Int, _ message: String) {
        #expect {
            try AcceptedFindings.parse(Array(text.utf8))
        } throws: { error in
            guard let error = error as? ReviewError else { return false }
            return error.file == "Reviews/accepted-findings.yml" && error.line == line && error.description.contains(message)
        }
    }
}
