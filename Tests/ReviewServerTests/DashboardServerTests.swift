import Paths
import SystemCrypto
import Foundation
import GitKit
import ReviewCore
import ReviewKit
import ReviewServer
import Testing
import TestSupport

/// `review serve` over a real socket: every refusal the dashboard promises, each with nothing
/// written; and a record signed outside the server (as the browser signs it) accepted once.
@Suite struct DashboardServerTests {
    /// The server's fixed clock: 2026-11-30T12:00:00Z.
    static let now = ContentRepository.time("2026-11-30")

    /// A repository with one neurology article edited after both approvals (in review, the
    /// medical role to sign again), and a server over it.
    final class Fixture {
        let content: ContentRepository
        let server: RunningServer

        init(token: String? = nil, readOnly: Bool = false) async throws {
            let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
            try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
            try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
            try content.edit("pml", lastUpdated: "2026-11-20", body: "Edited text with <script>alert(1)</script> in it.")
            try content.signOff("pml", as: "ed", role: "editorial", on: "2026-11-21")
            self.content = content
            var options = DashboardServer.Options()
            options.repository = content.path
            options.port = 0
            options.token = token
            options.readOnly = readOnly
            options.asOf = Day("2026-11-30")
            options.pollMilliseconds = 100
            options.clock = { DashboardServerTests.now }
            server = try await RunningServer(options)
        }

        /// Commits on the branch (git as the oracle).
        var commits: Int {
            get throws { Int(try Git.run(["rev-list", "--count", "HEAD"], in: content.path).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1 }
        }

        /// A record of the article's current revision, as the browser builds and signs it.
        func record(as reviewer: String = "ann", role: String = "medical", signedBy signer: String? = nil,
                    at time: Int64 = DashboardServerTests.now, blob: String? = nil) throws -> [String: String] {
            let head = try content.repository.headCommit()
            let entry = try content.repository.entry(at: "Articles/pml.md", inCommit: head)!
            let bytes = try content.repository.blob(entry.id)
            var signOff = SignOff(article: "Articles/pml.md", blob: blob ?? entry.id.hex, sha256: SignOff.sha256Hex(bytes), reviewer: reviewer,
                                  role: role, decision: .approve, timestamp: time, comment: "Read it.")
            try signOff.sign(with: content.key(signer ?? reviewer)!)
            return ["article": signOff.article.text, "blob": signOff.blob, "sha256": signOff.sha256, "reviewer": reviewer, "role": role,
                    "decision": "approve", "timestamp": Timestamp.format(time), "comment": signOff.comment,
                    "signature": Data(signOff.signature).base64EncodedString()]
        }

        /// Submits a record the server must refuse: the status, the words of its reason, and
        /// nothing written.
        func expectRefusal(_ record: [String: String], status: Int, saying words: String,
                           sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let before = try commits
            let answer = try await submit(record)
            #expect(answer.status == status, "\(answer.text)", sourceLocation: sourceLocation)
            #expect(answer.text.contains(words), "\(answer.text)", sourceLocation: sourceLocation)
            #expect(try commits == before, sourceLocation: sourceLocation)
        }

        /// POSTs a record with the page's CSRF token (or the headers given instead).
        func submit(_ record: [String: String], headers: [String: String]? = nil) async throws -> HTTPAnswer {
            let body = try JSONSerialization.data(withJSONObject: record)
            let csrf = try await server.csrfToken()
            return try await server.request("POST", "/api/sign-offs", headers: headers ?? ["X-Review-CSRF": csrf, "Content-Type": "application/json"],
                                      body: Array(body))
        }
    }

    @Test func aRecordSignedOutsideTheServerIsCommittedOnceAndTheDashboardFollows() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        let before = try f.commits
        // Signed two minutes before the server's clock: accepted, and committed at the
        // server's time, not the time the record claims.
        let record = try f.record(at: DashboardServerTests.now - 120)
        let current = "\"publishableRevision\" : \"\(record["blob"]!)\""
        // Until then, publish would keep the revision approved before the edit.
        let earlier = try await f.server.request("GET", "/api/articles/pml").text
        #expect(!earlier.contains(current) && earlier.contains("\"heldBack\" : null"))
        let answer = try await f.submit(record)
        #expect(answer.status == 201, "\(answer.text)")
        #expect(answer.text.contains("\"state\" : \"approved\""))
        #expect(try f.commits == before + 1)
        let committed = try Git.run(["log", "-1", "--format=%ct %at"], in: f.content.path).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(committed == "\(DashboardServerTests.now) \(DashboardServerTests.now)")
        #expect(try f.content.status(asOf: "2026-11-30").articles[0].state == .approved)
        // Replayed: the same signed record again.
        let replay = try await f.submit(record)
        #expect(replay.status == 409)
        #expect(replay.text.contains("already recorded"))
        #expect(try f.commits == before + 1)
        // The pages followed the commit without a restart.
        let article = try await f.server.request("GET", "/api/articles/pml").text
        #expect(article.contains("\"state\" : \"approved\""))
        #expect(article.contains(current))
    }

    @Test func aForgedRecordIsRefusedAndNothingWritten() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        try await f.expectRefusal(try f.record(signedBy: "ed"), status: 409, saying: "does not verify")
        var tampered = try f.record()
        tampered["comment"] = "Something else."
        try await f.expectRefusal(tampered, status: 409, saying: "does not verify")
    }

    @Test func aStaleRecordIsRefused() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        try await f.expectRefusal(try f.record(at: DashboardServerTests.now - 600), status: 409, saying: "stale or replayed")
    }

    @Test func aRecordForAnotherRevisionIsRefused() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        let old = try f.record()
        try f.content.edit("pml", lastUpdated: "2026-11-29", body: "Edited again.")
        try await f.expectRefusal(old, status: 409, saying: "the article is now at revision")
    }

    /// Issue 33: the desk shows the revision its form signs, drawn as the site draws it, with
    /// the changes since the last full approval beside it; the diff page signs the same one; a
    /// page loaded before a new commit shows and signs nothing newer.
    @Test func theDeskShowsTheRevisionItSigns() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        let blob = try f.record()["blob"]!
        let page = try await f.server.request("GET", "/articles/pml").text
        #expect(page.contains("src=\"/preview/pml.html?revision=\(blob)\""))
        #expect(page.contains("data-blob=\"\(blob)\""))
        #expect(page.contains("<ins>"), "the changes since the last approval are beside it")
        let shown = try await f.server.request("GET", "/preview/pml.html?revision=\(blob)")
        #expect(shown.status == 200)
        #expect(shown.text.contains("Edited text with &lt;script&gt;"))
        // What publish would write now is still the text approved before the edit.
        #expect(!(try await f.server.request("GET", "/preview/pml.html").text.contains("Edited text")))
        let diff = try await f.server.request("GET", "/articles/pml/diff").text
        #expect(diff.contains("id=\"sign-form\"") && diff.contains("data-blob=\"\(blob)\""))
        // A new commit: a record of the old revision is refused.
        let old = try f.record()
        try f.content.edit("pml", lastUpdated: "2026-11-29", body: "Edited again.")
        _ = try await f.server.waitFor("/api/articles/pml") { $0.contains("\"lastUpdated\" : \"2026-11-29\"") }
        // The old page's frame still shows the text that page signs, never the newer one.
        let framed = try await f.server.request("GET", "/preview/pml.html?revision=\(blob)").text
        #expect(framed.contains("Edited text with") && !framed.contains("Edited again"))
        #expect(try await f.server.request("GET", "/preview/pml.html?revision=\(String(repeating: "0", count: 40))").status == 404)
        try await f.expectRefusal(old, status: 409, saying: "the article is now at revision")
        #expect(!(try await f.server.request("GET", "/articles/pml").text.contains("data-blob=\"\(blob)\"")))
    }

    /// The preview draws pages with the site's own stylesheet and logo, as publish would.
    @Test func thePreviewUsesTheSitesOwnStylesheetAndLogo() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        #expect(try await f.server.request("GET", "/preview/style.css").text == SiteRenderer.style)
        let policy = try f.content.text(Policy.path) + "site:\n  logo: Reviews/site/logo.svg\n"
        try f.content.commit("brand", [.write(Policy.path, policy), .write("Reviews/site/style.css", "body { color: navy; }\n"),
                                       .write("Reviews/site/logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n"),
                                       .write("Reviews/site/footer.md", "About [us](https://example.org/about)\n")], on: "2026-11-29")
        _ = try await f.server.waitFor("/preview/style.css") { $0 == "body { color: navy; }\n" }
        let logo = try await f.server.request("GET", "/preview/logo.svg")
        #expect(logo.status == 200 && logo.text.hasPrefix("<svg"))
        #expect(logo.headers.contains { $0.hasPrefix("Content-Security-Policy: default-src 'none'") })
        let page = try await f.server.request("GET", "/preview/pml.html").text
        #expect(page.contains("<img class=\"logo\" src=\"logo.svg\" alt=\"\"/>"))
        #expect(page.contains("<footer class=\"site\">\n<p>About <a href=\"https://example.org/about\">us</a></p>"))
    }

    /// Issue 33, item 4: `/?reviewer=ID` is that reviewer's start page.
    @Test func aReviewersStartPage() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        let page = try await f.server.request("GET", "/?reviewer=ann")
        #expect(page.status == 200)
        #expect(page.text.contains("What needs your review, "))
        #expect(page.text.contains("/articles/pml"))
        #expect(try await f.server.request("GET", "/?reviewer=nobody").status == 404)
        #expect(try await f.server.request("GET", "/?reviewer=").text.contains("<h1>Dashboard</h1>"))
    }

    @Test func changesNeedTheCSRFTokenJSONAndThisOrigin() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        let before = try f.commits
        let csrf = try await f.server.csrfToken()
        let record = try f.record()
        let refusals: [([String: String], Int, String)] = [
            (["Content-Type": "application/json"], 403, "CSRF"),
            (["Content-Type": "application/json", "X-Review-CSRF": String(repeating: "0", count: 64)], 403, "CSRF"),
            (["Content-Type": "application/json", "X-Review-CSRF": csrf, "Origin": "http://evil.example"], 403, "cross-site"),
            (["Content-Type": "application/json", "X-Review-CSRF": csrf, "Sec-Fetch-Site": "cross-site"], 403, "cross-site"),
            (["Content-Type": "text/plain", "X-Review-CSRF": csrf], 415, "application/json"),
        ]
        for (headers, status, words) in refusals {
            let answer = try await f.submit(record, headers: headers)
            #expect(answer.status == status, "\(headers): \(answer.text)")
            #expect(answer.text.contains(words), "\(headers): \(answer.text)")
        }
        #expect(try f.commits == before)
        // Another site's name for this computer (DNS rebinding) is refused too.
        #expect(try await f.server.request("GET", "/", headers: ["Host": "evil.example"]).status == 421)
        // A name that only starts like a loopback address is anyone's name (issue 31, item 10).
        for host in ["127.attacker.example", "127.0.0.1.nip.io", "localhost.attacker.example"] {
            #expect(try await f.server.request("GET", "/", headers: ["Host": host]).status == 421, "\(host)")
        }
        #expect(try await f.server.request("GET", "/", headers: ["Host": "localhost:8080"]).status == 200)
    }

    @Test func aTokenIsNeededForEveryRequestWhenSet() async throws {
        let token = String(repeating: "t", count: 40)
        let f = try await Fixture(token: token)
        defer { f.server.stop() }
        #expect(try await f.server.request("GET", "/").status == 401)
        #expect(try await f.server.request("GET", "/api/dashboard", headers: ["Authorization": "Bearer wrong"]).status == 401)
        #expect(try await f.server.request("GET", "/api/dashboard", headers: ["Authorization": "Bearer \(token)"]).status == 200)
        #expect(try await f.server.request("GET", "/login?token=wrong").status == 401)
        let login = try await f.server.request("GET", "/login?token=\(token)")
        #expect(login.status == 303 || login.status == 302)
        #expect(login.headers.contains { $0.lowercased().hasPrefix("set-cookie: review-token=") && $0.contains("HttpOnly") && $0.contains("SameSite=Strict") })
        #expect(try await f.server.request("GET", "/", headers: ["Cookie": "review-token=\(token)"]).status == 200)
    }

    @Test func readOnlyShowsNoFormAndRefusesChanges() async throws {
        let f = try await Fixture(readOnly: true)
        defer { f.server.stop() }
        let before = try f.commits
        let page = try await f.server.request("GET", "/articles/pml").text
        #expect(!page.contains("sign-form") && !page.contains("retract-form"))
        let answer = try await f.submit(try f.record())
        #expect(answer.status == 403)
        #expect(answer.text.contains("read-only"))
        #expect(try f.commits == before)
    }

    @Test func everyPageHasItsJSONTwinAndEscapesWhatItShows() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        for (page, twin) in [("/", "/api/dashboard"), ("/articles", "/api/articles"), ("/articles/pml", "/api/articles/pml"),
                             ("/articles/pml/diff", "/api/articles/pml/diff"), ("/queue?reviewer=ann", "/api/queue?reviewer=ann"),
                             ("/log", "/api/log"), ("/verify", "/api/verify")] {
            let html = try await f.server.request("GET", page)
            #expect(html.status == 200, "\(page)")
            #expect(html.headers.contains { $0.hasPrefix("Content-Security-Policy: default-src 'none'; script-src 'self';") }, "\(page)")
            #expect(!html.text.contains("<script>alert"), "\(page) shows a value unescaped")
            let json = try await f.server.request("GET", twin)
            #expect(json.status == 200, "\(twin)")
            #expect((try? JSONSerialization.jsonObject(with: Data(json.body))) != nil, "\(twin) is not JSON")
        }
        let diff = try await f.server.request("GET", "/api/articles/pml/diff").text
        #expect(diff.contains("\"change\" : \"changed\""))
        #expect(diff.contains("\"kind\" : \"added\""))
        #expect(try await f.server.request("GET", "/articles/nope").status == 404)
        #expect(try await f.server.request("GET", "/api/articles?state=nonsense").status == 400)
        // Only article revisions are served as bytes.
        let policy = try f.content.repository.entry(at: Policy.path, inCommit: f.content.repository.headCommit())!.id.hex
        #expect(try await f.server.request("GET", "/api/blobs/\(policy)").status == 404)
    }

    /// A revision that cannot be read never passes off the last one read as current: every
    /// page says so, and the warning goes once the branch is readable again.
    @Test func anUnreadableNewRevisionIsSaidOnEveryPage() async throws {
        let f = try await Fixture()
        defer { f.server.stop() }
        let head = try f.content.repository.headCommit().hex
        let policy = try f.content.text(Policy.path)
        try f.content.commit("Break the policy", [.write(Policy.path, "roles: [medical\n")], on: "2026-11-29")
        let warned = try await f.server.waitFor("/api/dashboard") { $0.contains("\"warning\" : \"Reviews/policy.yml") }
        #expect(warned.contains("\"head\" : \"\(head)\""))
        let page = try await f.server.request("GET", "/articles/pml").text
        #expect(page.contains("The newest revision cannot be read"))
        try f.content.commit("Mend the policy", [.write(Policy.path, policy)], on: "2026-11-29")
        _ = try await f.server.waitFor("/api/dashboard") { $0.contains("\"warning\" : null") }
        #expect(!(try await f.server.request("GET", "/").text.contains("cannot be read")))
    }

    @Test func unsafeSettingsAreRefusedBeforeBinding() throws {
        var options = DashboardServer.Options()
        options.host = "0.0.0.0"
        #expect(throws: ReviewError.self) { try DashboardServer.check(options) }
        options.allowRemote = true
        #expect(throws: ReviewError.self) { try DashboardServer.check(options) }
        options.token = "short"
        #expect(throws: ReviewError.self) { try DashboardServer.check(options) }
        options.token = String(repeating: "x", count: 32)
        try DashboardServer.check(options)
        #expect(DashboardServer.isLoopback("127.0.0.1") && DashboardServer.isLoopback("::1") && !DashboardServer.isLoopback("10.0.0.1"))
        #expect(DashboardServer.isLoopback("127.0.0.2") && !DashboardServer.isLoopback("127.attacker.example") && !DashboardServer.isLoopback("127.0.0.1.nip.io"))
    }
}
