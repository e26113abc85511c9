import Paths
import SystemCrypto
import Foundation
import GitKit
import ReviewCore
import ReviewKit
import ReviewServer
import Testing
import TestSupport

/// Issue 38 in `review serve`: a retraction and an approval with a change note, signed outside
/// the server as the page signs them, are checked as `review retract` and `review approve
/// --change-note` check them and written exactly as they write them; every refusal writes nothing.
@Suite struct DashboardRetractionTests {
    static let now = DashboardServerTests.now

    /// `pml` (neurology: medical and editorial) and `note` (general: editorial only), both
    /// approved and published; then `pml` edited and approved by the editor only, so the branch
    /// holds a newer revision than the page readers see.
    final class Fixture {
        let content: ContentRepository
        let server: RunningServer
        /// The revision of `pml` on `published`.
        let published: String

        init(policy: String = ContentRepository.policy) async throws {
            let content = try ContentRepository(articles: ["pml": .neurology, "note": .general], reviewers: [.medical("ann"), .editorial("ed")],
                                                policy: policy)
            for slug in ["pml", "note"] {
                if slug == "pml" { try content.signOff(slug, as: "ann", role: "medical", on: "2026-04-09") }
                try content.signOff(slug, as: "ed", role: "editorial", on: "2026-04-09")
            }
            let outcome = try Publisher.publish(repository: content.repository, asOf: Day("2026-04-10")!, dryRun: false,
                                                author: Signature(name: "Publisher", email: "pub@example.org", time: ContentRepository.time("2026-04-10")))
            #expect(outcome.commit != nil)
            published = try content.repository.entry(at: "Articles/pml.md", inCommit: content.repository.headCommit())!.id.hex
            try content.edit("pml", lastUpdated: "2026-11-20", body: "Edited text: the dose is 10 mg.")
            var request = SignOffRequest(article: "pml", reviewer: "ed", role: "editorial", decision: .approve, comment: "ok",
                                         timestamp: ContentRepository.time("2026-11-21"))
            request.changeNote = "Edited for clarity."
            _ = try content.session().decisions.record(request, key: content.key("ed")!)
            self.content = content
            var options = DashboardServer.Options()
            options.repository = content.path
            options.port = 0
            options.asOf = Day("2026-11-30")
            options.pollMilliseconds = 100
            options.clock = { DashboardRetractionTests.now }
            server = try await RunningServer(options)
        }

        var commits: Int {
            get throws { Int(try Git.run(["rev-list", "--count", "HEAD"], in: content.path).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }
        }

        /// The bytes of a revision of an article.
        func revision(_ slug: String, blob: String? = nil) throws -> (blob: String, sha256: String) {
            let id: ObjectID
            if let blob { id = ObjectID(hex: blob)! } else {
                id = try content.repository.entry(at: GitPath("Articles/\(slug).md"), inCommit: content.repository.headCommit())!.id
            }
            return (id.hex, SignOff.sha256Hex(try content.repository.blob(id)))
        }

        /// A record as the page builds and signs it: `reason` and `changeNote` only when given.
        func signed(_ slug: String = "pml", blob: String? = nil, as reviewer: String, role: String, _ decision: SignOff.Decision,
                    comment: String = "", reason: String? = nil, changeNote: String? = nil, signedBy signer: String? = nil) throws -> SignOff {
            let (id, sha256) = try revision(slug, blob: blob)
            var record = SignOff(article: GitPath("Articles/\(slug).md"), blob: id, sha256: sha256, reviewer: reviewer, role: role,
                                 decision: decision, timestamp: DashboardRetractionTests.now - 30, comment: comment)
            record.reason = reason
            record.changeNote = changeNote
            try record.sign(with: content.key(signer ?? reviewer)!)
            return record
        }

        /// The JSON the page POSTs.
        static func body(_ record: SignOff) -> [String: String] {
            var out = ["article": record.article.text, "blob": record.blob, "sha256": record.sha256, "reviewer": record.reviewer,
                       "role": record.role, "decision": record.decision.rawValue, "timestamp": Timestamp.format(record.timestamp),
                       "comment": record.comment, "signature": Data(record.signature).base64EncodedString()]
            out["reason"] = record.reason
            out["changeNote"] = record.changeNote
            return out
        }

        func submit(_ body: [String: String]) async throws -> HTTPAnswer {
            let csrf = try await server.csrfToken()
            return try await server.request("POST", "/api/sign-offs", headers: ["X-Review-CSRF": csrf, "Content-Type": "application/json"],
                                            body: Array(try JSONSerialization.data(withJSONObject: body)))
        }

        func expectRefusal(_ body: [String: String], saying words: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let before = try commits
            let answer = try await submit(body)
            #expect(answer.status == 409, "\(answer.text)", sourceLocation: sourceLocation)
            #expect(answer.text.contains(words), "\(answer.text)", sourceLocation: sourceLocation)
            #expect(try commits == before, sourceLocation: sourceLocation)
        }

        /// The file the last commit added, as committed.
        func lastRecordFile() throws -> (path: GitPath, text: String) {
            let names = try Git.run(["show", "--name-only", "--format=", "HEAD"], in: content.path).split(separator: "\n").map(String.init)
            #expect(names.count == 1)
            let path = GitPath(names[0])
            return (path, try content.text(path))
        }
    }

    @Test func aRetractionSignedInThePageIsWrittenAsReviewRetractWritesItAndTakesThePageDown() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        // The page offers the retraction of the revision readers see (the published one, not the
        // branch's newer one), with the exact record shown before signing.
        let page = try await f.server.request("GET", "/articles/pml").text
        #expect(page.contains("id=\"retract-form\""))
        #expect(page.contains("data-decision=\"retract\" data-result=\"retract-result\" data-article=\"Articles/pml.md\" data-blob=\"\(f.published)\""))
        #expect(page.contains("id=\"retract-preview\"") && page.contains("What your browser will sign"))
        let api = try await f.server.request("GET", "/api/articles/pml").text
        #expect(api.contains("\"retractionRevision\" : \"\(f.published)\""))

        let before = try f.commits
        let record = try f.signed(blob: f.published, as: "ann", role: "medical", .retract, comment: "Pharmacy flagged it.",
                                  reason: "Wrong dose in the table: 10 mg, not 100 mg.")
        let answer = try await f.submit(Fixture.body(record))
        #expect(answer.status == 201, "\(answer.text)")
        #expect(try f.commits == before + 1)
        // The file is the one 'review retract' writes for these fields: the same path and text
        // (signature included), so it verifies.
        let (path, text) = try f.lastRecordFile()
        #expect(path == record.canonicalPath)
        #expect(text == record.fileText)
        let message = try Git.run(["log", "-1", "--format=%s%n%b"], in: f.content.path)
        #expect(message.hasPrefix("Retract pml (medical) by ann") && message.contains("Reason (public): Wrong dose in the table"))
        let status = try #require(try f.content.status(asOf: "2026-11-30").articles.first { $0.slug == "pml" })
        #expect(status.retraction == Retraction(reviewer: "ann", role: "medical", date: Day("2026-11-30")!, revision: f.published,
                                                reason: "Wrong dose in the table: 10 mg, not 100 mg.", reviewerName: "Ann", credentials: "MD"))
        #expect(try f.content.session().reading.verify(asOf: Day("2026-11-30")!).failed == false)
        let plan = try Publisher.publish(repository: f.content.repository, asOf: Day("2026-11-30")!, dryRun: true,
                                         author: Signature(name: "P", email: "p@example.org", time: DashboardRetractionTests.now)).plan
        #expect(plan.withdrawals.map(\.slug) == ["pml"])
        // The dashboard follows: the page says a retraction stands, the JSON has its reason.
        let json = try await f.server.waitFor("/api/articles/pml") { $0.contains("\"reason\" : \"Wrong dose in the table: 10 mg, not 100 mg.\"") }
        #expect(json.contains("\"decision\" : \"retract\""))
        #expect(try await f.server.request("GET", "/articles/pml").text.contains("A retraction already stands"))
    }

    @Test func aRetractionIsRefusedUnlessTheSignedRecordIsExactlyWhatRetractWrites() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        // general requires editorial only: ann (medical) may not retract it.
        let note = try f.signed("note", as: "ann", role: "medical", .retract, reason: "I say so.")
        try await f.expectRefusal(Fixture.body(note), saying: "retraction-not-authorized")
        // The branch's newer revision is not the one readers see: a retraction names the published one.
        try await f.expectRefusal(Fixture.body(try f.signed(as: "ann", role: "medical", .retract, reason: "Wrong dose.")),
                                  saying: "the article is now at revision")
        // No reason, or one of spaces.
        try await f.expectRefusal(Fixture.body(try f.signed(blob: f.published, as: "ann", role: "medical", .retract, reason: " ")),
                                  saying: "needs a --reason")
        try await f.expectRefusal(Fixture.body(try f.signed(blob: f.published, as: "ann", role: "medical", .retract)),
                                  saying: "needs a --reason")
        // A role left out would be filled in by the writer and break the signature: refused.
        try await f.expectRefusal(Fixture.body(try f.signed(blob: f.published, as: "ann", role: "", .retract, reason: "Wrong dose.")),
                                  saying: "role (signed '', recorded 'medical')")
        // Another reviewer's key, and a reason altered after signing.
        try await f.expectRefusal(Fixture.body(try f.signed(blob: f.published, as: "ann", role: "medical", .retract, reason: "Wrong dose.", signedBy: "ed")),
                                  saying: "does not verify")
        var altered = Fixture.body(try f.signed(blob: f.published, as: "ann", role: "medical", .retract, reason: "Wrong dose."))
        altered["reason"] = "Fine dose."
        try await f.expectRefusal(altered, saying: "does not verify")
        // A reason on an approval is not what an approval writes.
        let approval = try f.signed(as: "ann", role: "medical", .approve, reason: "Sneaked in.", changeNote: "Dose corrected.")
        try await f.expectRefusal(Fixture.body(approval), saying: "reason (signed 'Sneaked in.', recorded none)")
    }

    @Test func anApprovalWithAChangeNoteIsWrittenAsApproveChangeNoteWritesIt() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        let page = try await f.server.request("GET", "/articles/pml").text
        #expect(page.contains("<textarea name=\"change-note\" rows=\"2\"></textarea>"))
        #expect(page.contains("id=\"sign-preview\""))
        // A change note goes with an approval only, and never empty (an empty one is no note:
        // 'approve --change-note ""' writes none).
        try await f.expectRefusal(Fixture.body(try f.signed(as: "ann", role: "medical", .requestChanges, comment: "No.", changeNote: "Dose corrected.")),
                                  saying: "change-note (signed 'Dose corrected.', recorded none)")
        try await f.expectRefusal(Fixture.body(try f.signed(as: "ann", role: "medical", .approve, changeNote: "")),
                                  saying: "change-note (signed '', recorded none)")

        let record = try f.signed(as: "ann", role: "medical", .approve, comment: "Checked.", changeNote: "Dose corrected to 10 mg.")
        let answer = try await f.submit(Fixture.body(record))
        #expect(answer.status == 201, "\(answer.text)")
        #expect(answer.text.contains("\"state\" : \"approved\""))
        let (path, text) = try f.lastRecordFile()
        #expect(path == record.canonicalPath && text == record.fileText)
        #expect(text.contains("change-note: \"Dose corrected to 10 mg.\"\n"))
        let status = try #require(try f.content.status(asOf: "2026-11-30").articles.first { $0.slug == "pml" })
        #expect(status.approvals.contains { $0.changeNote == "Dose corrected to 10 mg." && $0.current })
        #expect(try f.content.session().reading.verify(asOf: Day("2026-11-30")!).failed == false)
        let json = try await f.server.waitFor("/api/articles/pml") { $0.contains("\"changeNote\" : \"Dose corrected to 10 mg.\"") }
        #expect(json.contains("\"state\" : \"approved\""))
    }

    @Test func aCategoryThatRequiresANoteRefusesAnApprovalWithoutOneAndThePageSaysSo() async throws {
        let policy = ContentRepository.policy.replacingOccurrences(of: "    disclaimers: [medical]\n", with: "    disclaimers: [medical]\n    change-note: required\n")
        let f = try await Fixture(policy: policy)
        defer { f.server.stop() }
        let page = try await f.server.request("GET", "/articles/pml").text
        #expect(page.contains("<strong>required</strong>: the reviewed text changed since approved revision <code>\(f.published.prefix(7))</code>"))
        #expect(page.contains("data-required=\"true\""))
        #expect(try await f.server.request("GET", "/api/articles/pml").text.contains("\"changeNoteRequired\" : true"))
        try await f.expectRefusal(Fixture.body(try f.signed(as: "ann", role: "medical", .approve)), saying: "requires a change note")
        let answer = try await f.submit(Fixture.body(try f.signed(as: "ann", role: "medical", .approve, changeNote: "Dose corrected.")))
        #expect(answer.status == 201, "\(answer.text)")
    }
}
