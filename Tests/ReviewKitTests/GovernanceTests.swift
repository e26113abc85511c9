import Paths
import SystemCrypto
import Foundation
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Issue 15: the configuration changes only when a threshold of governance keys signs the whole
/// of it. Each attack is one a pusher without a reviewer or governance key tried; each test
/// fails without its defence.
@Suite struct GovernanceTests {
    static let asOf = "2026-05-01"
    /// The attacker's own key (what `writeRecord` signs with for an unknown signer).
    static let mallory = try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 99, count: 32))

    /// pml (neurology: medical and editorial) and easy (general: editorial only); ann (medical)
    /// and ed (editorial); a 2-of-3 root signed by gov-1 and gov-2.
    private func governed() throws -> ContentRepository {
        let content = try ContentRepository(articles: ["pml": .neurology, "easy": .general], reviewers: [.medical("ann"), .editorial("ed")])
        try content.governWith(on: "2026-04-07")
        return content
    }

    private func entry(_ id: String, name: String, role: String, key: Curve25519.Signing.PrivateKey) -> String {
        """
          - id: \(id)
            name: \(name)
            credentials: MD
            roles: [\(role)]
            public-key: \(key.publicKey.rawRepresentation.base64EncodedString())

        """
    }

    private func state(_ report: StatusReport, _ slug: String) -> ArticleStatus { report.articles.first { $0.slug == slug }! }

    @Test func aSignedRootIsInForceAndNothingIsPending() throws {
        let content = try governed()
        let status = try content.session().governance.status()
        #expect(status.current?.version == 1 && status.current?.signers == ["gov-1", "gov-2"])
        #expect(status.pending == nil)
        let report = try content.status(asOf: Self.asOf)
        #expect(report.otherFindings.map(\.rule) == [.unpinnedTrustRoot])
    }

    @Test func selfEnrolmentHasNoEffect() throws {
        let content = try governed()
        // Mallory adds herself as a medical reviewer and approves; ed approves honestly.
        try content.commit("enrol", [.write(Reviewer.path, try content.text(Reviewer.path)
                                                + entry("mallory", name: "Dr Mallory", role: "medical", key: Self.mallory))], on: "2026-04-08")
        try content.writeRecord("pml", as: "mallory", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        let report = try content.status(asOf: Self.asOf)
        #expect(state(report, "pml").state == .inReview)
        #expect(state(report, "pml").recordFindings.map(\.rule) == [.unknownReviewer])
        let pending = report.otherFindings.first { $0.rule == .unsignedConfiguration }
        #expect(pending?.message.contains("is not signed (Reviews/reviewers.yml)") == true, "\(report.otherFindings)")
        // And approve refuses her, saying the change is unsigned.
        #expect(throws: ReviewError.self) {
            try content.session().decisions.record(SignOffRequest(article: "pml", reviewer: "mallory", role: "medical", decision: .approve,
                                                        comment: "", timestamp: ContentRepository.time("2026-04-10")), key: Self.mallory)
        }
    }

    @Test func twoReviewersWithOneDisplayNameAreRefused() throws {
        let text = """
            reviewers:
            \(entry("ann", name: "Dr Ann Lee", role: "medical", key: ContentRepository.governanceKey(7)))\
            \(entry("mallory", name: "dr  ann lee", role: "medical", key: Self.mallory))
            """
        #expect(throws: ReviewError.self) { try ReviewersParser.parse(Array(text.utf8), roles: nil) }
    }

    @Test func aSubstitutedKeyCannotSignAsTheReviewer() throws {
        let content = try governed()
        let mine = Self.mallory.publicKey.rawRepresentation.base64EncodedString()
        let annKey = content.key("ann")!.publicKey.rawRepresentation.base64EncodedString()
        try content.commit("rotate", [.write(Reviewer.path, try content.text(Reviewer.path).replacingOccurrences(of: annKey, with: mine))],
                           on: "2026-04-08")
        try content.writeRecord("pml", as: "ann", role: "medical", on: "2026-04-09", signer: "mallory")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        let report = try content.status(asOf: Self.asOf)
        #expect(state(report, "pml").state == .inReview)
        #expect(state(report, "pml").recordFindings.map(\.rule) == [.badSignature])
    }

    @Test func inflatedNamesAndCredentialsDoNotReachThePage() throws {
        let content = try governed()
        let inflated = try content.text(Reviewer.path).replacingOccurrences(of: "name: Ann", with: "name: Prof Ann, Nobel laureate")
            .replacingOccurrences(of: "credentials: MD", with: "credentials: MD, PhD, FRCP")
        try content.commit("inflate", [.write(Reviewer.path, inflated)], on: "2026-04-08")
        let reviewers = try content.session().reading.evaluate(asOf: Day(Self.asOf)!).snapshot.reviewers
        #expect(reviewers.first { $0.id == "ann" }.map { ($0.name, $0.credentials) } ?? ("", "") == ("Ann", "MD"))
    }

    @Test func droppedRolesStretchedIntervalsAndEmptiedDisclaimersHaveNoEffect() throws {
        let content = try governed()
        let policy = ContentRepository.policy.replacingOccurrences(of: "required-roles: [medical, editorial]", with: "required-roles: [medical]")
            .replacingOccurrences(of: "review-interval-days: 365", with: "review-interval-days: 36500")
        try content.commit("loosen", [.write(Policy.path, policy), .write("Reviews/disclaimers/medical.md", " \n")], on: "2026-04-08")
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.edit("easy", category: .general, lastUpdated: "2026-04-09", body: "No disclaimer here.")
        let report = try content.status(asOf: Self.asOf)
        #expect(state(report, "pml").state == .inReview && state(report, "pml").missingRoles == ["editorial"])
        // The disclaimer in force still says what it said (an empty one would stop every command).
        let evaluation = try content.session().reading.evaluate(asOf: Day(Self.asOf)!)
        #expect(evaluation.snapshot.disclaimers["medical"] == ContentRepository.disclaimer + "\n")
        #expect(evaluation.snapshot.policy.categories["neurology"]?.reviewIntervalDays == 365)
        #expect(report.otherFindings.contains { $0.rule == .unsignedConfiguration && $0.path == "Reviews/disclaimers/medical.md" })
    }

    @Test func aReviewerAddedUnderGovernanceCountsOnceSignedAndARetiredKeyStops() throws {
        let content = try governed()
        let zoe = ContentRepository.governanceKey(9)  // any key: zoe is a reviewer, not a governor
        try content.builder.checkoutHead()
        _ = try content.session().governance.addReviewer(Reviewer(id: "zoe", name: "Dr Zoe", credentials: "MD", roles: ["medical"],
                                                       publicKey: Array(zoe.publicKey.rawRepresentation)),
                                              now: ContentRepository.time("2026-04-08"))
        let request = SignOffRequest(article: "pml", reviewer: "zoe", role: "medical", decision: .approve, comment: "",
                                     timestamp: ContentRepository.time("2026-04-09"))
        #expect(throws: ReviewError.self) { try content.session().decisions.record(request, key: zoe) }
        let half = try content.sign(as: 1, on: "2026-04-09")
        #expect(half.pending?.signedBy == ["gov-1"] && half.pending?.needed == 2)
        let done = try content.sign(as: 3, on: "2026-04-09")
        #expect(done.current?.version == 2 && done.pending == nil)
        try content.builder.checkoutHead()
        _ = try content.session().decisions.record(request, key: zoe)
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        #expect(state(try content.status(asOf: Self.asOf), "pml").state == .approved)
        // Retired under governance (valid-until), signed: a later record of hers does not count.
        try content.commit("retire zoe", [.write(Reviewer.path, try content.text(Reviewer.path)
                                                    .replacingOccurrences(of: "  - id: zoe\n", with: "  - id: zoe\n    valid-until: 2026-04-10\n"))],
                           on: "2026-04-10")
        try content.sign(as: 1, on: "2026-04-10")
        try content.sign(as: 2, on: "2026-04-10")
        try content.edit("pml", lastUpdated: "2026-04-12", body: "Changed.")
        try content.builder.checkoutHead()
        let late = SignOffRequest(article: "pml", reviewer: "zoe", role: "medical", decision: .approve, comment: "",
                                  timestamp: ContentRepository.time("2026-04-12"))
        #expect(throws: ReviewError.self) { try content.session().decisions.record(late, key: zoe) }
    }

    @Test func fewerSignaturesThanTheThresholdHaveNoEffect() throws {
        let content = try governed()
        try content.commit("enrol", [.write(Reviewer.path, try content.text(Reviewer.path)
                                                + entry("mallory", name: "Dr Mallory", role: "medical", key: Self.mallory))], on: "2026-04-08")
        try content.sign(as: 1, on: "2026-04-08")
        let report = try content.status(asOf: Self.asOf)
        let finding = report.otherFindings.first { $0.rule == .unsignedConfiguration }
        #expect(finding?.message.contains("signed by 1 of the 2 distinct governance keys of version 1") == true, "\(report.otherFindings)")
        #expect(try content.session().reading.evaluate(asOf: Day(Self.asOf)!).snapshot.reviewers.map(\.id) == ["ann", "ed"])
    }

    @Test func oneKeySigningTwiceCountsOnce() throws {
        let content = try governed()
        try content.commit("enrol", [.write(Reviewer.path, try content.text(Reviewer.path)
                                                + entry("mallory", name: "Dr Mallory", role: "medical", key: Self.mallory))], on: "2026-04-08")
        try content.sign(as: 1, on: "2026-04-08")
        // Copy gov-1's valid signature into a second file, claimed by gov-2.
        let own = ConfigurationFiles.signaturePath(version: 2, signer: "gov-1", publicKey: Array(ContentRepository.governanceKey(1).publicKey.rawRepresentation))
        var signatures = try ConfigurationSignatures.parse(Array(try content.text(own).utf8))
        signatures.signatures[0].signer = "gov-2"
        try content.commit("twice", [.write(GitPath(ConfigurationFiles.signaturesDirectory + "/v2-gov-2-copy.yml"), signatures.text)], on: "2026-04-08")
        let report = try content.status(asOf: Self.asOf)
        #expect(report.otherFindings.contains { $0.rule == .unsignedConfiguration && $0.message.contains("signed by 1 of the 2") })
        // A root listing one key under two ids is refused outright.
        var root = ContentRepository.root()
        root.governance[2].publicKey = root.governance[0].publicKey
        #expect(throws: ReviewError.self) { try TrustRootParser.parse(Array(TrustRootParser.text(root).utf8)) }
    }

    @Test func aSignatureOverPartOfTheConfigurationHasNoEffect() throws {
        let content = try governed()
        let policy = ContentRepository.policy.replacingOccurrences(of: "review-interval-days: 365", with: "review-interval-days: 36500")
        // Both governors signed a statement naming the policy alone (say, shown a partial diff).
        let partial = ConfigurationStatement(version: 2, rootVersion: 1, contents: [Policy.path: Array(policy.utf8)])
        var signatures = ConfigurationSignatures(version: 2, rootVersion: 1)
        for n in [1, 2] {
            let key = ContentRepository.governanceKey(n)
            signatures.signatures.append(.init(publicKey: Array(key.publicKey.rawRepresentation),
                                               signature: Array(try key.signature(for: partial.encoding)), signer: "gov-\(n)"))
        }
        try content.commit("loosen", [.write(Policy.path, policy), .write(ConfigurationFiles.signaturesPath, signatures.text)], on: "2026-04-08")
        let evaluation = try content.session().reading.evaluate(asOf: Day(Self.asOf)!)
        #expect(evaluation.snapshot.policy.categories["neurology"]?.reviewIntervalDays == 365)
        #expect(evaluation.report.otherFindings.contains { $0.rule == .unsignedConfiguration && $0.message.contains("signed by 0 of the 2") })
    }

    @Test func anOlderSignedConfigurationCannotComeBack() throws {
        let content = try governed()
        let zoe = ContentRepository.governanceKey(9)
        try content.commit("add zoe", [.write(Reviewer.path, try content.text(Reviewer.path) + entry("zoe", name: "Dr Zoe", role: "medical", key: zoe))],
                           on: "2026-04-08")
        try content.sign(as: 1, on: "2026-04-08")
        try content.sign(as: 2, on: "2026-04-08")
        let version2 = (try content.text(Reviewer.path), try content.signatureFiles())
        // Version 3 removes zoe again (her key was compromised).
        try content.commit("remove zoe", [.write(Reviewer.path, version2.0.replacingOccurrences(of: entry("zoe", name: "Dr Zoe", role: "medical", key: zoe), with: ""))],
                           on: "2026-04-09")
        try content.sign(as: 2, on: "2026-04-09")
        try content.sign(as: 3, on: "2026-04-09")
        #expect(try content.session().governance.status().current?.version == 3)
        // The pusher restores version 2's files and signatures, all validly signed.
        let version3 = try content.signatureFiles()
        try content.commit("restore", [.write(Reviewer.path, version2.0)] + version3.keys.filter { version2.1[$0] == nil }.map { FileChange(path: $0, contents: nil) },
                           on: "2026-04-10")
        let evaluation = try content.session().reading.evaluate(asOf: Day(Self.asOf)!)
        #expect(evaluation.snapshot.reviewers.map(\.id) == ["ann", "ed"])
        #expect(evaluation.report.otherFindings.contains { $0.rule == .configurationRollback })
    }

    @Test func aRootMadeOnABranchFromBeforeTheRealOneCannotBeMergedIn() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let start = try content.repository.headCommit()
        // On a branch from before governance: the attacker's own root, self-signed as version 1000.
        let rogueKey = ContentRepository.governanceKey(6)
        let rogueRoot = TrustRoot(threshold: 1, governance: [.init(id: "mallory", name: "Mallory", publicKey: Array(rogueKey.publicKey.rawRepresentation))])
        let reviewers = try content.text(Reviewer.path) + entry("mallory", name: "Dr Mallory", role: "medical", key: Self.mallory)
        var files: [GitPath: [UInt8]] = [TrustRoot.path: Array(TrustRootParser.text(rogueRoot).utf8), Reviewer.path: Array(reviewers.utf8),
                                        Policy.path: Array(try content.text(Policy.path).utf8)]
        files["Reviews/disclaimers/medical.md"] = Array(try content.text("Reviews/disclaimers/medical.md").utf8)
        var signatures = ConfigurationSignatures(version: 1000, rootVersion: 1)
        let statement = ConfigurationStatement(version: 1000, rootVersion: 1, contents: files)
        signatures.signatures = [.init(publicKey: Array(rogueKey.publicKey.rawRepresentation), signature: Array(try rogueKey.signature(for: statement.encoding)),
                                       signer: "mallory")]
        let rogueFiles: [FileChange] = [.write(TrustRoot.path, TrustRootParser.text(rogueRoot)), .write(Reviewer.path, reviewers),
                                        .write(ConfigurationFiles.signaturesPath, signatures.text)]
        let rogue = try content.builder.commit("rogue root", rogueFiles, on: "refs/heads/rogue", parents: [start],
                                               time: ContentRepository.time("2026-04-07"))
        try content.governWith(on: "2026-04-08")
        try content.builder.merge(rogue, rogueFiles, time: ContentRepository.time("2026-04-09"))
        let evaluation = try content.session().reading.evaluate(asOf: Day(Self.asOf)!)
        #expect(evaluation.snapshot.governance.current?.root == ContentRepository.root())
        #expect(evaluation.snapshot.reviewers.map(\.id) == ["ann", "ed"])
        #expect(evaluation.report.otherFindings.contains { $0.rule == .unsignedConfiguration || $0.rule == .configurationRollback })
    }

    @Test func aNewRootNeedsTheOldKeysAndTheNew() throws {
        let content = try governed()
        // Replace gov-1 and gov-2 by keys 4 and 5; only the old keys sign.
        let rotated = ContentRepository.root(threshold: 2, keys: 3...5)
        try content.commit("rotate", [.write(TrustRoot.path, TrustRootParser.text(rotated))], on: "2026-04-08")
        try content.sign(as: 1, on: "2026-04-08")
        try content.sign(as: 2, on: "2026-04-08")
        var status = try content.session().governance.status()
        #expect(status.current?.version == 1 && status.pending?.signedByNewRoot == [] && status.pending?.neededFromNewRoot == 2)
        try content.sign(as: 4, on: "2026-04-08")
        try content.sign(as: 5, on: "2026-04-08")
        status = try content.session().governance.status()
        #expect(status.current?.version == 2 && status.current?.rootVersion == 2 && status.current?.root.governance.map(\.id) == ["gov-3", "gov-4", "gov-5"])
        // The first root is still what is pinned.
        #expect(status.firstRootFingerprint == ContentRepository.root().fingerprint)
    }

    @Test func thePinDecidesWhetherTheRootIsTrusted() throws {
        let content = try governed()
        let pinned = ContentRepository.root().fingerprint
        #expect(try content.session(trustRoot: pinned).reading.status(asOf: Day(Self.asOf)!).otherFindings.isEmpty)
        // A history whose first root is another one (a rewritten repository) fails the pin.
        let other = ContentRepository.root(threshold: 1, keys: 4...4).fingerprint
        let report = try content.session(trustRoot: other).reading.check(asOf: Day(Self.asOf)!)
        #expect(report.otherFindings.map(\.rule) == [.trustRootMismatch])
        // check can require a pinned root.
        let unpinned = try content.session().reading.check(asOf: Day(Self.asOf)!, requireTrustRoot: true)
        #expect(unpinned.otherFindings.map(\.rule).sorted() == [.trustRootRequired, .unpinnedTrustRoot])
        let ungoverned = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann")])
        #expect(try ungoverned.session(trustRoot: pinned).reading.status(asOf: Day(Self.asOf)!).otherFindings.map(\.rule) == [.trustRootMismatch])
        #expect(try ungoverned.session().reading.check(asOf: Day(Self.asOf)!, requireTrustRoot: true).otherFindings.map(\.rule).sorted()
                == [.trustRootRequired, .ungovernedConfiguration])
    }

    @Test func aShallowCloneCannotProveTheChainAndSaysSo() throws {
        let content = try governed()
        try content.commit("enrol", [.write(Reviewer.path, try content.text(Reviewer.path)
                                                + entry("zoe", name: "Dr Zoe", role: "medical", key: ContentRepository.governanceKey(9)))], on: "2026-04-08")
        try content.sign(as: 1, on: "2026-04-08")
        try content.sign(as: 2, on: "2026-04-08")
        try content.edit("pml", lastUpdated: "2026-04-09")
        let clone = TemporaryDirectory()
        try Git.run(["clone", "-q", "--depth", "1", "file://" + content.path, clone.path + "/c"], in: content.path)
        let report = try ReviewSession.open(clone.path + "/c", options: .init(trustRoot: ContentRepository.root().fingerprint))
            .reading.check(asOf: Day(Self.asOf)!)
        let missing = report.otherFindings.first { $0.rule == .historyMissing }
        #expect(missing?.severity == .error && missing?.message.contains("git fetch --unshallow") == true, "\(report.otherFindings)")
    }

    @Test func anUnsignedFirstRootIsPendingAndChangesNothing() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.governWith(signers: [1], on: "2026-04-07")
        let status = try content.session().governance.status()
        #expect(status.current == nil && status.pending?.version == 1 && status.pending?.signedBy == ["gov-1"])
        #expect(status.findings.map(\.rule) == [.unsignedConfiguration])
    }

    // MARK: Publication (item 4)

    static let press = ContentRepository.governanceKey(8)
    static let pressRoot = ContentRepository.root(publishers: [TrustRoot.Key(id: "press", name: "Press", publicKey: Array(press.publicKey.rawRepresentation))])

    /// Governed with a publisher key; pml approved in both roles on 2026-04-09 and published.
    private func published() throws -> ContentRepository {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.governWith(Self.pressRoot, on: "2026-04-07")
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        let outcome = try content.session(trustRoot: Self.pressRoot.fingerprint).publishing.publish(asOf: Day("2026-04-10")!, dryRun: false, now: ContentRepository.time("2026-04-10"),
                                                    signer: Publisher.Signer(id: "press", key: Self.press))
        #expect(outcome.commit != nil)
        return content
    }

    @Test func aSignedPublicationVerifies() throws {
        let content = try published()
        let report = try content.session().reading.verify(asOf: Day("2026-04-10")!)
        #expect(report.publicationFindings.isEmpty && !report.failed, "\(report.text)")
        let tree = try content.repository.commit(try content.repository.referenceTarget(Publisher.reference)!).tree
        let envelope = SignedEnvelope.decode(try content.repository.blob(try content.repository.entry(at: PublicationStatement.path, inTree: tree)!.id))
        let statement = envelope?.payloadBytes.flatMap(PublicationStatement.decode)
        #expect(statement?.predicate.articles.first?.records.map(\.role).sorted() == ["editorial", "medical"])
        #expect(statement?.predicate.configurationVersion == 1 && statement?.predicate.firstRoot == Self.pressRoot.fingerprint)
        // With nothing else pinned, the signed publication pins the root, and says so (issue 31, item 7).
        let session = try content.session()
        #expect(session.pin?.fingerprint == Self.pressRoot.fingerprint)
        #expect(try session.governance.status().text.contains("pinned by the latest signed publication on refs/heads/published"))
        #expect(!report.text.contains("unpinned-trust-root"), "\(report.text)")
    }

    @Test func aPushedFakePublishedRefIsFlagged() throws {
        let content = try published()
        let repository = content.repository
        let before = try repository.referenceTarget(Publisher.reference)!
        let tree = try repository.commit(before).tree
        let fake = try repository.writeBlob(Array(ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-04-09",
                                                                            body: "An unreviewed miracle cure.").utf8))
        let blobs = try repository.files(under: "", inTree: tree).map { file in
            (path: file.path, blob: Optional(file.path == "Articles/pml.md" ? fake : file.id))
        }
        let me = Signature(name: "Mallory", email: "m@example.org", time: ContentRepository.time("2026-04-11"))
        let commit = try repository.createCommit(tree: try repository.buildTree(base: nil, blobs: blobs), parents: [before],
                                                 author: me, committer: me, message: "Publish 1 article")
        try repository.updateReference(Publisher.reference, to: commit, expected: before, message: "push")
        let report = try content.session().reading.verify(asOf: Day("2026-04-11")!)
        #expect(report.failed)
        #expect(report.publicationFindings.map(\.rule) == [.unjustifiedPublication, .unjustifiedPublication])
        #expect(report.publicationFindings.contains { $0.message.contains("does not name") })
        #expect(report.publicationFindings.contains { $0.message.contains("no approval that counts in the medical and editorial roles") })
    }

    /// Sign what you read (issue 34, item 4): the status names the statement to sign; a change
    /// slipped in after the first signer read it is refused with --expect, nothing written.
    @Test func aSignerWhoExpectsAStatementSignsNothingElse() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.governWith(on: "2026-04-07")
        try content.commit("a policy change", [.write(Policy.path, ContentRepository.policy + "max-unpublish-percent: 30\n")], on: "2026-04-08")
        let read = try #require(try content.session().governance.status().pending)
        #expect(read.digest.hasPrefix("sha256:") && read.digest.count == 71)
        #expect(try content.session().governance.status().text.contains("Statement to sign: \(read.digest)"))
        // Someone slips another change in before the signer signs.
        try content.commit("slipped in", [.write(Policy.path, ContentRepository.policy + "max-unpublish-percent: 100\n")], on: "2026-04-08")
        try content.builder.checkoutHead()
        let head = try content.repository.headCommit()
        #expect {
            try content.session().governance.sign(as: "gov-1", key: ContentRepository.governanceKey(1), now: ContentRepository.time("2026-04-08"),
                                                    expect: read.digest)
        } throws: { error in (error as? ReviewError)?.description.contains("changed since") == true }
        #expect(try content.repository.headCommit() == head)
        // The statement now pending signs with its own digest (with or without the prefix, any case).
        let now = try #require(try content.session().governance.status().pending)
        _ = try content.session().governance.sign(as: "gov-1", key: ContentRepository.governanceKey(1), now: ContentRepository.time("2026-04-08"),
                                                    expect: String(now.digest.dropFirst(7)).uppercased())
        #expect(try content.session().governance.status().pending?.signedBy == ["gov-1"])
    }

    /// A publisher key signs only for a root that lists it (issue 31, item 7): a history with no
    /// root, or a root of its own that lists no publisher, is not signed with the real key.
    @Test func aPublisherKeySignsOnlyForARootThatListsIt() throws {
        for governed in [false, true] {
            let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
            if governed { try content.governWith(ContentRepository.root(), on: "2026-04-07") }
            try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
            try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
            #expect {
                try content.session(trustRoot: governed ? ContentRepository.root().fingerprint : nil).publishing.publish(asOf: Day("2026-04-10")!, dryRun: false, now: ContentRepository.time("2026-04-10"),
                                              signer: Publisher.Signer(id: "press", key: Self.press))
            } throws: { error in (error as? ReviewError)?.description.contains("is not a publisher key of the root in force here") == true }
            #expect(try content.repository.referenceTarget(Publisher.reference) == nil)
        }
    }

    @Test func publishingNeedsThePublisherKeyTheBranchAndAHonestDate() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.governWith(Self.pressRoot, on: "2026-04-07")
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        let session = try content.session(trustRoot: Self.pressRoot.fingerprint)
        let day = Day("2026-04-10")!, now = ContentRepository.time("2026-04-10")
        #expect(throws: ReviewError.self) { try session.publishing.publish(asOf: day, dryRun: false, now: now) }
        #expect(throws: ReviewError.self) {
            try session.publishing.publish(asOf: day, dryRun: false, now: now, signer: Publisher.Signer(id: "gov-1", key: ContentRepository.governanceKey(1)))
        }
        // Dated before the approvals: they do not count yet, so nothing is published (and a
        // published revision committed after the date would be refused: PublishDateTests).
        let early = try session.publishing.publish(asOf: Day("2026-04-08")!, dryRun: false, now: now, signer: Publisher.Signer(id: "press", key: Self.press))
        #expect(early.plan.entries.isEmpty && early.commit == nil)
        try content.repository.setHead(branch: "refs/heads/other")
        try content.repository.updateReference("refs/heads/other", to: try content.repository.referenceTarget(RepoBuilder.main)!, expected: nil, message: "branch")
        #expect(throws: ReviewError.self) {
            try session.publishing.publish(asOf: day, dryRun: false, now: now, signer: Publisher.Signer(id: "press", key: Self.press))
        }
        #expect(try content.repository.referenceTarget(Publisher.reference) == nil)
    }

    // MARK: Bundles (item 5)

    /// Renders the site of `content` and returns pml's bundle and page.
    private func renderedBundle(_ content: ContentRepository) throws -> (bundle: [UInt8], page: [UInt8]) {
        let site = TemporaryDirectory()
        _ = try content.session().publishing.renderSite(to: site.path + "/site")
        let bundle = try #require(FileManager.default.contents(atPath: site.path + "/site/pml.bundle.json"))
        let page = try #require(FileManager.default.contents(atPath: site.path + "/site/pml.html"))
        return (Array(bundle), Array(page))
    }

    /// The bundle with one field changed.
    private func edited(_ bytes: [UInt8], _ change: (inout VerificationBundle) -> Void) throws -> [UInt8] {
        var bundle = try JSONDecoder().decode(VerificationBundle.self, from: Data(bytes))
        change(&bundle)
        return bundle.json
    }

    @Test func aPageBundleVerifiesOfflineAgainstThePinnedRoot() throws {
        let content = try published()
        let (bundle, page) = try renderedBundle(content)
        let html = String(decoding: page, as: UTF8.self)
        #expect(html.contains("\"subjectOf\":{\"@type\":\"DigitalDocument\"") && html.contains("pml.bundle.json"))
        let verdict = BundleVerifier.verify(bundle, pinned: Self.pressRoot.fingerprint, page: page)
        #expect(verdict.verified, "\(verdict.text)")
        #expect(verdict.facts.contains("medical review: Ann, MD on 2026-04-09"), "\(verdict.facts)")
        #expect(verdict.facts.contains { $0.hasPrefix("article: Articles/pml.md at revision ") }, "\(verdict.facts)")
        #expect(verdict.facts.contains { $0.hasPrefix("page: pml.html, sha256 ") }, "\(verdict.facts)")
        // Another root, as a rewritten repository would have, is refused.
        let other = BundleVerifier.verify(bundle, pinned: ContentRepository.root(threshold: 1, keys: 4...4).fingerprint, page: page)
        #expect(!other.verified && other.problems.first?.contains("not the pinned") == true)
    }

    @Test func aBundleEditedAfterSigningFails() throws {
        let (bundle, page) = try renderedBundle(try published())
        let pin = Self.pressRoot.fingerprint
        // The page itself, edited by someone who can write the site (issue 31, item 9), or missing.
        let defaced = Array(String(decoding: page, as: UTF8.self).replacingOccurrences(of: "</main>", with: "<p>Stop your statins.</p></main>").utf8)
        #expect(defaced != page)
        #expect(BundleVerifier.verify(bundle, pinned: pin, page: defaced).problems.contains { $0.contains("it was changed after publication") })
        #expect(BundleVerifier.verify(bundle, pinned: pin, page: nil).problems.contains { $0.contains("no page to check") })
        let article = try edited(bundle) { b in
            b.article = Data((String(decoding: Data(base64Encoded: b.article)!, as: UTF8.self) + "\nA miracle cure.\n").utf8).base64EncodedString()
        }
        #expect(BundleVerifier.verify(article, pinned: pin, page: page).problems.contains { $0.contains("is not the text that was published") })
        let manifest = try edited(bundle) { b in
            b.manifest = Data(String(decoding: Data(base64Encoded: b.manifest)!, as: UTF8.self)
                .replacingOccurrences(of: "\"MD\"", with: "\"MD, PhD\"").utf8).base64EncodedString()
        }
        #expect(BundleVerifier.verify(manifest, pinned: pin, page: page).problems.contains { $0.contains("manifest") })
        let record = try edited(bundle) { b in
            let path = b.records.keys.sorted()[0]
            b.records[path] = b.records[path]!.replacingOccurrences(of: "comment: \"ok\"", with: "comment: \"fine\"")
        }
        #expect(!BundleVerifier.verify(record, pinned: pin, page: page).verified)
        let reviewers = try edited(bundle) { b in
            let text = String(decoding: Data(base64Encoded: b.configuration[Reviewer.path.text]!)!, as: UTF8.self)
            b.configuration[Reviewer.path.text] = Data(text.replacingOccurrences(of: "name: Ann", with: "name: Prof Ann").utf8).base64EncodedString()
        }
        #expect(BundleVerifier.verify(reviewers, pinned: pin, page: page).problems.contains { $0.contains("is not the file configuration version") })
        let unsigned = try edited(bundle) { b in b.publication.signatures = [] }
        #expect(BundleVerifier.verify(unsigned, pinned: pin, page: page).problems.contains { $0.contains("not signed by a publisher key") })
    }

    @Test func aBundleCarriesEveryRootVersion() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.governWith(Self.pressRoot, on: "2026-04-07")
        // Rotate gov-1 out for gov-4 (old keys and new sign), then change the policy (version 3).
        var rotated = Self.pressRoot
        rotated.governance[0] = ContentRepository.root(keys: 4...4).governance[0]
        try content.commit("rotate", [.write(TrustRoot.path, TrustRootParser.text(rotated))], on: "2026-04-08")
        for n in [2, 3] { try content.sign(as: n, on: "2026-04-08") }  // in both the old root and the new
        try content.commit("policy", [.write(Policy.path, ContentRepository.policy + "# signed note\n")], on: "2026-04-08")
        for n in [3, 4] { try content.sign(as: n, on: "2026-04-08") }
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        _ = try content.session(trustRoot: Self.pressRoot.fingerprint).publishing.publish(asOf: Day("2026-04-10")!, dryRun: false, now: ContentRepository.time("2026-04-10"),
                                          signer: Publisher.Signer(id: "press", key: Self.press))
        let (bundle, page) = try renderedBundle(content)
        let decoded = try JSONDecoder().decode(VerificationBundle.self, from: Data(bundle))
        #expect(decoded.chain.map(\.version) == [1, 2, 3] && decoded.chain.map(\.rootVersion) == [1, 2, 2])
        #expect(BundleVerifier.verify(bundle, pinned: Self.pressRoot.fingerprint, page: page).verified)
        // Dropping the root change leaves version 3 signed by keys the first root does not hold.
        let gap = try edited(bundle) { b in b.chain.remove(at: 1) }
        #expect(!BundleVerifier.verify(gap, pinned: Self.pressRoot.fingerprint, page: page).verified)
    }

    // MARK: Rewrites (issue 31, item 3)

    /// Filtering a request for changes out of history and force-pushing made the article
    /// approved and publish put the objected text live. The signed publication attests the
    /// record log, so the branch no longer holding it is a blocking history-rewritten finding.
    @Test func aRewriteThatErasesAnAttestedDecisionIsDetected() throws {
        let content = try published()
        let repository = content.repository
        let pin = Self.pressRoot.fingerprint
        // New text, approved in both roles; then the medical reviewer objects.
        try content.edit("pml", lastUpdated: "2026-04-11", body: "Take 40 mg daily.")
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-11")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-11")
        let beforeObjection = try #require(try repository.referenceTarget(RepoBuilder.main))
        try content.signOff("pml", as: "ann", role: "medical", .requestChanges, on: "2026-04-12", comment: "the dose is wrong")
        let objected = try content.session(trustRoot: pin).publishing.publish(asOf: Day("2026-04-12")!, dryRun: false, now: ContentRepository.time("2026-04-12"),
                                                                  signer: Publisher.Signer(id: "press", key: Self.press))
        #expect(objected.commit != nil)
        let tree = try repository.commit(try #require(try repository.referenceTarget(Publisher.reference))).tree
        let envelope = SignedEnvelope.decode(try repository.blob(try #require(try repository.entry(at: PublicationStatement.path, inTree: tree)).id))
        let statement = try #require(envelope?.payloadBytes.flatMap(PublicationStatement.decode))
        #expect(statement.predicate.recordCount == 5, "\(String(describing: statement.predicate.recordCount))")
        #expect(try content.session().reading.check(asOf: Day("2026-04-12")!).allFindings.allSatisfy { $0.rule != .historyRewritten })

        // The objection's commit filtered out, and the branch force-pushed.
        try repository.updateReference(RepoBuilder.main, to: beforeObjection, expected: try repository.referenceTarget(RepoBuilder.main), message: "force-push")
        try content.builder.checkoutHead()
        let session = try content.session(trustRoot: pin)
        let status = try session.reading.check(asOf: Day("2026-04-13")!)
        #expect(status.articles.first?.state == .approved)  // what the rewrite achieved
        let rewritten = status.allFindings.filter { $0.rule == .historyRewritten }
        #expect(rewritten.contains { $0.path == PublicationStatement.path && $0.message.contains("no longer contains commit") }, "\(rewritten)")
        #expect(rewritten.contains { $0.path.hasPrefix("Reviews/signoffs/") && $0.message.contains("is gone from the branch's history") }, "\(rewritten)")
        #expect(rewritten.allSatisfy { $0.severity == .error })
        let verify = try session.reading.verify(asOf: Day("2026-04-13")!)
        #expect(verify.failed && verify.publicationFindings.contains { $0.rule == .historyRewritten }, "\(verify.text)")
        // publish refuses, and nothing moves; a meant rewrite is published with the key, and then stands.
        let published = try repository.referenceTarget(Publisher.reference)
        #expect(throws: ReviewError.self) {
            try session.publishing.publish(asOf: Day("2026-04-13")!, dryRun: false, now: ContentRepository.time("2026-04-13"),
                                signer: Publisher.Signer(id: "press", key: Self.press))
        }
        #expect(throws: ReviewError.self) {
            try session.publishing.publish(asOf: Day("2026-04-13")!, dryRun: false, now: ContentRepository.time("2026-04-13"), acceptRewrite: true)
        }
        #expect(try repository.referenceTarget(Publisher.reference) == published)
        let accepted = try session.publishing.publish(asOf: Day("2026-04-13")!, dryRun: false, now: ContentRepository.time("2026-04-13"),
                                           signer: Publisher.Signer(id: "press", key: Self.press), acceptRewrite: true)
        #expect(accepted.commit != nil)
        #expect(try content.session(trustRoot: pin).reading.check(asOf: Day("2026-04-13")!).allFindings.allSatisfy { $0.rule != .historyRewritten })
    }

    /// The record log reads back as written, whatever bytes its paths hold, and refuses junk.
    @Test func theRecordLogRoundTrips() {
        let entries = [
            RecordLogAttestation.Entry(path: "Reviews/signoffs/flu/a.yml", gitBlob: String(repeating: "a", count: 40), sha256: String(repeating: "b", count: 64)),
            RecordLogAttestation.Entry(path: GitPath(bytes: Array("Reviews/signoffs/fl\u{0}".utf8).dropLast() + [0xFF, 0x0A, 0x20]),
                                       gitBlob: String(repeating: "c", count: 40), sha256: String(repeating: "d", count: 64)),
        ]
        let log = RecordLogAttestation(entries: entries)
        #expect(RecordLogAttestation.parse(log.bytes) == log)
        #expect(RecordLogAttestation.parse(Array(log.bytes.dropLast())) == nil)
        #expect(RecordLogAttestation.parse(Array("review-record-log/1\nzz".utf8) + [0]) == nil)
        #expect(RecordLogAttestation.parse([]) == nil)
    }

    // MARK: Signing in parallel (issue 34, items 3 and 4)

    /// Two governance key holders sign one change on two branches: one file per signature, so
    /// git merges them without a conflict and the merge has both signatures.
    @Test func twoSignersOnTwoBranchesMergeCleanly() throws {
        let content = try governed()
        try content.commit("enrol", [.write(Reviewer.path, try content.text(Reviewer.path)
                                                + entry("zoe", name: "Dr Zoe", role: "medical", key: ContentRepository.governanceKey(9)))], on: "2026-04-08")
        try Git.run(["branch", "second-signer"], in: content.path)
        try content.sign(as: 1, on: "2026-04-08")
        try Git.run(["checkout", "-q", "second-signer"], in: content.path)
        try content.sign(as: 2, on: "2026-04-08")
        try Git.run(["checkout", "-q", "main"], in: content.path)
        try Git.run(["merge", "-q", "--no-edit", "second-signer"], in: content.path)  // throws on a conflict
        #expect(try content.signatureFiles().keys.filter { $0.lastComponent.text.hasPrefix("v2-") }.count == 2)
        let status = try content.session().governance.status()
        #expect(status.current?.version == 2 && status.pending == nil, "\(status.text)")
        #expect(try content.session().reading.evaluate(asOf: Day(Self.asOf)!).snapshot.reviewers.map(\.id).contains("zoe"))
    }

    /// A signature over an earlier statement of the same version is reported, not dropped.
    @Test func aSignatureOverAnotherStatementIsReported() throws {
        let content = try governed()
        try content.commit("enrol", [.write(Reviewer.path, try content.text(Reviewer.path)
                                                + entry("zoe", name: "Dr Zoe", role: "medical", key: ContentRepository.governanceKey(9)))], on: "2026-04-08")
        try content.sign(as: 1, on: "2026-04-08")
        // A change slipped in after gov-1 signed.
        try content.commit("slip", [.write(Policy.path, ContentRepository.policy + "# slipped in\n")], on: "2026-04-08")
        let pending = try #require(try content.session().governance.status().pending)
        #expect(pending.signedBy.isEmpty && pending.signedAnotherStatement == ["gov-1"])
        #expect(try content.session().governance.status().text.contains("Signed over another statement of version 2, so not counted"))
        // gov-1 signs again: the old file is replaced, not added to.
        try content.sign(as: 1, on: "2026-04-08")
        let again = try #require(try content.session().governance.status().pending)
        #expect(again.signedBy == ["gov-1"] && again.signedAnotherStatement.isEmpty)
        #expect(try content.signatureFiles().keys.filter { $0.lastComponent.text.hasPrefix("v2-") }.count == 1)
    }

    // MARK: Recovery (issue 34, item 2)

    /// A lost governance key is rotated out by a new root the remaining threshold signs: the
    /// first root, and so every pin, stays the same, and the lost key signs nothing any more.
    @Test func aLostKeyIsRotatedOutByTheRemainingThreshold() throws {
        let content = try governed()
        let pin = ContentRepository.root().fingerprint
        var rotated = ContentRepository.root()
        rotated.governance[0] = ContentRepository.root(keys: 4...4).governance[0]  // gov-1 lost: gov-4 replaces it
        try content.commit("rotate out gov-1", [.write(TrustRoot.path, TrustRootParser.text(rotated))], on: "2026-04-08")
        try content.sign(as: 2, on: "2026-04-08")
        try content.sign(as: 3, on: "2026-04-08")
        let status = try content.session(trustRoot: pin).governance.status()
        #expect(status.current?.root == rotated && status.pending == nil, "\(status.text)")
        #expect(status.firstRootFingerprint == pin && !status.findings.contains { $0.rule == .trustRootMismatch })
        // The lost key may not sign the next change; the new one may.
        try content.commit("policy", [.write(Policy.path, ContentRepository.policy + "# after the rotation\n")], on: "2026-04-09")
        #expect(throws: ReviewError.self) { try content.sign(as: 1, on: "2026-04-09") }
        try content.sign(as: 4, on: "2026-04-09")
        try content.sign(as: 3, on: "2026-04-09")
        #expect(try content.session(trustRoot: pin).governance.status().current?.version == 3)
    }

    /// With two of three keys lost, 2 of 3 can never be met again: the way out is a new first
    /// root, loud and explicit, and every check pinned to the old one fails until it is updated.
    @Test func aRerootIsTheWayOutWhenTheThresholdCannotBeMet() throws {
        let content = try governed()
        let old = ContentRepository.root().fingerprint
        // gov-1 and gov-2 are lost: a rotation signed by gov-3 alone stays pending.
        let fresh = ContentRepository.root(keys: 4...6)
        try content.commit("rotate", [.write(TrustRoot.path, TrustRootParser.text(fresh))], on: "2026-04-08")
        try content.sign(as: 3, on: "2026-04-08")
        #expect(try content.session(trustRoot: old).governance.status().pending?.signedBy == ["gov-3"])
        try content.commit("undo", [.write(TrustRoot.path, TrustRootParser.text(ContentRepository.root()))], on: "2026-04-08")
        // The reroot: committed, pending until 2 of the new keys sign it, and said loudly.
        try content.builder.checkoutHead()
        let (_, was, now) = try content.session().governance.reroot(fresh, now: ContentRepository.time("2026-04-09"))
        #expect(was == old && now == fresh.fingerprint)
        let pending = try content.session(trustRoot: old).governance.status()
        #expect(pending.pending?.reroot == fresh.fingerprint && pending.text.contains("REROOT"), "\(pending.text)")
        #expect(throws: ReviewError.self) { try content.sign(as: 3, on: "2026-04-09") }  // an old key signs no reroot
        try content.sign(as: 4, on: "2026-04-09")
        #expect(try content.session(trustRoot: old).governance.status().current?.root == ContentRepository.root())  // 1 of 2: not yet
        try content.sign(as: 5, on: "2026-04-09")
        // In force, with a new fingerprint: the old pin fails, naming the reroot; the new one holds.
        let pinnedOld = try content.session(trustRoot: old).governance.status()
        #expect(pinnedOld.current?.root == fresh && pinnedOld.firstRootFingerprint == fresh.fingerprint)
        let mismatch = try #require(pinnedOld.findings.first { $0.rule == .trustRootMismatch })
        #expect(mismatch.message.contains("rerooted at commit") && mismatch.message.contains(fresh.fingerprint), "\(mismatch.message)")
        #expect(!(try content.session(trustRoot: fresh.fingerprint).governance.status().findings.contains { $0.rule == .trustRootMismatch }))
        #expect(try content.session().governance.status().findings.contains { $0.rule == .unpinnedTrustRoot && $0.message.contains("rerooted") })
        // Changes after it are signed by the new keys.
        try content.commit("policy", [.write(Policy.path, ContentRepository.policy + "# after the reroot\n")], on: "2026-04-10")
        try content.sign(as: 5, on: "2026-04-10")
        try content.sign(as: 6, on: "2026-04-10")
        let after = try content.session(trustRoot: fresh.fingerprint).governance.status()
        #expect(after.pending == nil, "\(after.text)")
    }

    /// A reroot signed by fewer than the threshold of its own keys has no effect.
    @Test func anUndersignedRerootHasNoEffect() throws {
        let content = try governed()
        let rogue = ContentRepository.root(threshold: 2, keys: 6...7)
        try content.builder.checkoutHead()
        _ = try content.session().governance.reroot(rogue, now: ContentRepository.time("2026-04-09"))
        try content.sign(as: 6, on: "2026-04-09")
        let status = try content.session().governance.status()
        #expect(status.current?.root == ContentRepository.root())
        #expect(status.findings.contains { $0.rule == .unsignedConfiguration && $0.message.contains("reroot") }, "\(status.findings)")
    }

    // MARK: The site's own files are configuration (issue 33, with the record issue's rule)

    /// A stylesheet can hide the disclaimer on every page: where a root governs, an unsigned
    /// change to Reviews/site/ has no effect on what is published, and is a finding.
    @Test func anUnsignedStylesheetChangeDoesNotReachThePages() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.commit("style", [.write("Reviews/site/style.css", "body { color: navy; }\n")], on: "2026-04-06")
        try content.governWith(Self.pressRoot, on: "2026-04-07")
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        try content.commit("hide the disclaimer", [.write("Reviews/site/style.css", ".disclaimer { display: none }\n")], on: "2026-04-09")
        let session = try content.session(trustRoot: Self.pressRoot.fingerprint)
        let report = try session.reading.check(asOf: Day("2026-04-10")!)
        #expect(report.otherFindings.contains { $0.rule == .unsignedConfiguration && $0.message.contains("Reviews/site/style.css") }, "\(report.otherFindings)")
        #expect(try session.reading.evaluate(asOf: Day("2026-04-10")!).snapshot.siteFiles[SiteRenderer.stylesheetPath] == Array("body { color: navy; }\n".utf8))
        let outcome = try session.publishing.publish(asOf: Day("2026-04-10")!, dryRun: false, now: ContentRepository.time("2026-04-10"),
                                          signer: Publisher.Signer(id: "press", key: Self.press))
        // Publish says it used the version in force while a change waits (issue 34, item 5).
        #expect(outcome.pendingConfiguration?.contains("Reviews/site/style.css") == true, "\(String(describing: outcome.pendingConfiguration))")
        let site = TemporaryDirectory()
        _ = try content.session().publishing.renderSite(to: site.path + "/site")
        #expect(try String(contentsOfFile: site.path + "/site/style.css", encoding: .utf8) == "body { color: navy; }\n")
    }

    // MARK: Configuration changes made on a branch and merged (found by the sample's reroot)

    /// On a new branch `config` from HEAD: Dr Zoe enrolled and signed by gov-1 and gov-2
    /// (version 2), left checked out.
    private func enrolSignedOnABranch(_ content: ContentRepository) throws {
        try content.builder.commit("enrol", [.write(Reviewer.path, try content.text(Reviewer.path)
                                                    + entry("zoe", name: "Dr Zoe", role: "medical", key: ContentRepository.governanceKey(9)))],
                                   on: "refs/heads/config", parents: [try content.repository.headCommit()],
                                   time: ContentRepository.time("2026-04-08"))
        try Git.run(["checkout", "-q", "config"], in: content.path)
        try content.sign(as: 1, on: "2026-04-08")
        try content.sign(as: 2, on: "2026-04-08")
    }

    /// On a new branch `recovery` from HEAD: a reroot to governance keys 4–6, signed by keys 4
    /// and 5, left checked out; the new root.
    @discardableResult
    private func rerootSignedOnABranch(_ content: ContentRepository) throws -> TrustRoot {
        let fresh = ContentRepository.root(keys: 4...6)
        try Git.run(["checkout", "-q", "-b", "recovery"], in: content.path)
        try content.builder.checkoutHead()
        _ = try content.session().governance.reroot(fresh, now: ContentRepository.time("2026-04-09"))
        try content.sign(as: 4, on: "2026-04-09")
        try content.sign(as: 5, on: "2026-04-09")
        return fresh
    }

    /// Merges `branch` into the checked-out branch with a merge commit (`extra`: more `git merge` options).
    private func mergeCommit(_ branch: String, _ extra: [String] = [], in content: ContentRepository) throws {
        try Git.run(["-c", "user.name=M", "-c", "user.email=m@x", "merge", "-q", "--no-ff", "--no-edit"] + extra + [branch], in: content.path)
    }

    /// A configuration change signed on a branch counts once the branch is merged with a merge
    /// commit (GitHub's default) while main moved on, as it does when merged fast-forward.
    @Test func aChangeSignedOnABranchCountsAfterAMergeCommit() throws {
        let content = try governed()
        try enrolSignedOnABranch(content)
        #expect(try content.session().governance.status().current?.version == 2)
        // A second change on the same branch: version 3.
        try content.builder.commit("policy", [.write(Policy.path, ContentRepository.policy + "# on the branch\n")],
                                   on: "refs/heads/config", time: ContentRepository.time("2026-04-08"))
        _ = try content.sign(as: 2, on: "2026-04-08")
        _ = try content.sign(as: 3, on: "2026-04-08")
        #expect(try content.session().governance.status().current?.version == 3)
        try Git.run(["checkout", "-q", "main"], in: content.path)
        try content.commit("unrelated", [.write("Articles/other.md", "---\ntitle: Other\nlast-updated: 2026-04-08\ncategory: neurology\n---\n\nText.\n")], on: "2026-04-09")
        try content.builder.checkoutHead()
        try mergeCommit("config", in: content)
        let status = try content.session(trustRoot: ContentRepository.root().fingerprint).governance.status()
        #expect(status.current?.version == 3 && status.pending == nil && status.findings.isEmpty, "\(status.text)")
    }

    /// A reroot made and signed on a branch, with a change after it, counts once the branch is
    /// merged with a merge commit while main moved on (the sample content's own recovery).
    @Test func aRerootSignedOnABranchCountsAfterAMergeCommit() throws {
        let content = try governed()
        let fresh = try rerootSignedOnABranch(content)
        try Git.run(["-c", "user.name=M", "-c", "user.email=m@x", "commit", "-q", "--allow-empty", "-m", "noop"], in: content.path)
        try content.builder.commit("policy", [.write(Policy.path, ContentRepository.policy + "# after the reroot\n")],
                                   on: "refs/heads/recovery", time: ContentRepository.time("2026-04-09"))
        try content.sign(as: 5, on: "2026-04-09")
        try content.sign(as: 6, on: "2026-04-09")
        let onBranch = try content.session(trustRoot: fresh.fingerprint).governance.status()
        #expect(onBranch.current?.root == fresh && onBranch.pending == nil, "\(onBranch.text)")
        try Git.run(["checkout", "-q", "main"], in: content.path)
        try content.commit("unrelated", [.write("Articles/other.md", "---\ntitle: Other\nlast-updated: 2026-04-08\ncategory: neurology\n---\n\nText.\n")], on: "2026-04-10")
        try content.builder.checkoutHead()
        try mergeCommit("recovery", in: content)
        let merged = try content.session(trustRoot: fresh.fingerprint).governance.status()
        #expect(merged.current?.root == fresh && merged.pending == nil && !merged.findings.contains { $0.severity == .error }, "\(merged.text)")
    }

    /// A reroot made on a branch from before a version the main line signed since does not
    /// win at the merge: that branch missed the main line's change, so the merged configuration
    /// is judged anew against what the main line has (and is unsigned).
    @Test func aRerootFromBeforeTheMainLinesLatestVersionDoesNotWinAtAMerge() throws {
        let content = try governed()
        try rerootSignedOnABranch(content)
        try Git.run(["checkout", "-q", "main"], in: content.path)
        try content.commit("policy", [.write(Policy.path, ContentRepository.policy + "# on main\n")], on: "2026-04-10")
        try content.sign(as: 1, on: "2026-04-10")
        try content.sign(as: 2, on: "2026-04-10")
        try mergeCommit("recovery", ["-X", "theirs"], in: content)
        let merged = try content.session(trustRoot: ContentRepository.root().fingerprint).governance.status()
        #expect(merged.current?.root == ContentRepository.root() && merged.current?.version == 2, "\(merged.text)")
        #expect(merged.findings.contains { $0.rule == .unsignedConfiguration }, "\(merged.text)")
    }

    /// A branch that signed one version, squash-merged: the change and its signatures land in one
    /// commit, which is a signed version like any other.
    @Test func aSingleSignedVersionSurvivesASquashMerge() throws {
        let content = try governed()
        try enrolSignedOnABranch(content)
        try Git.run(["checkout", "-q", "main"], in: content.path)
        try Git.run(["merge", "-q", "--squash", "config"], in: content.path)
        try Git.run(["-c", "user.name=M", "-c", "user.email=m@x", "commit", "-q", "-m", "Enrol Dr Zoe (squashed)"], in: content.path)
        let status = try content.session(trustRoot: ContentRepository.root().fingerprint).governance.status()
        #expect(status.current?.version == 2 && status.pending == nil && status.findings.isEmpty, "\(status.text)")
    }
}
