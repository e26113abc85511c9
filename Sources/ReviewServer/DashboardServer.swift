import Paths
import SystemCrypto
import Foundation
import Glibc
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ReviewCore
import ReviewKit

/// `review serve`: the editors' dashboard and the reviewers' desk, over the same façade as the
/// command line. It holds no reviewer key and signs nothing: the browser signs each record with
/// the reviewer's key (WebCrypto Ed25519) and the server checks it exactly as `approve` does.
public enum DashboardServer {
    public struct Options: Sendable {
        public var repository: String?
        /// The pin and where reads take it from (as the CLI's other commands).
        public var session = ReviewSession.Options()
        public var host: String = "127.0.0.1"
        public var port: Int = 8080
        /// Required for any address but loopback (`--allow-remote`).
        public var allowRemote = false
        /// The access token every request must carry (required off loopback).
        public var token: String?
        public var readOnly = false
        public var asOf: Day?
        /// How often to look for new commits.
        public var pollMilliseconds = 1000
        /// The server's clock, seconds since the epoch (tests fix it); a signed record must be
        /// submitted within ``SignOffWriter/submissionWindow`` of it.
        public var clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

        public init() {}
    }

    /// Whether `host` is a loopback address.
    /// Whether an address to bind is loopback: `localhost`, `::1`, or an IPv4 address in
    /// 127.0.0.0/8 written as four decimal numbers.
    public static func isLoopback(_ host: String) -> Bool {
        if isLoopbackName(host) { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127"
            && parts.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) && Int($0)! <= 255 }
    }

    /// Whether a `Host` header names this computer: exactly `localhost`, `127.0.0.1` or `::1`.
    /// A name that merely starts with `127.` (`127.attacker.example`) is a name anyone can
    /// point anywhere: a DNS-rebinding page would use it to read drafts and the CSRF token.
    public static func isLoopbackName(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "::1" || host == "localhost"
    }

    /// Refuses unsafe settings before anything is bound.
    public static func check(_ options: Options) throws(ReviewError) {
        guard (1...65535).contains(options.port) || options.port == 0 else {
            throw ReviewError("--port \(options.port) is not a port", remedy: "give a number from 1 to 65535 (0 picks a free one)")
        }
        if !isLoopback(options.host) {
            guard options.allowRemote else {
                throw ReviewError("--host \(options.host) would serve the dashboard beyond this computer",
                                  remedy: "add --allow-remote and an access token (--token-file FILE or REVIEW_SERVE_TOKEN), or leave --host out to bind 127.0.0.1")
            }
            guard let token = options.token, token.utf8.count >= 32 else {
                throw ReviewError("serving beyond this computer needs an access token of at least 32 characters",
                                  remedy: "put one in a file (e.g. 'openssl rand -hex 32 > token') and pass --token-file FILE, or set REVIEW_SERVE_TOKEN")
            }
        }
    }

    /// Tunes the process for a long-running server; call before anything else starts threads.
    ///
    /// glibc gives each thread that allocates its own malloc arena (up to 8 per core), and
    /// freed memory stays in them: at 10,000 articles that doubled the resident memory after
    /// the first read (278 MB against 168 MB with two arenas, Scripts/bench/bench-serve).
    /// Where mimalloc is the allocator (the `review` command links it), glibc's arenas hold
    /// nothing and there is nothing to tune.
    public static func prepareProcess() {
        guard Malloc.collect == nil else { return }
        let arenaMax: Int32 = -8  // M_ARENA_MAX
        _ = Malloc.mallopt?(arenaMax, 2)
    }

    /// Gives memory freed by a large, passing piece of work (a new view replacing the old, the
    /// whole histories the log reads) back to the system instead of keeping it resident: through
    /// the allocator in use. glibc's `malloc_trim` is never called under mimalloc: it would walk
    /// glibc's own, unused heap (a test run once ended with a segmentation fault inside it,
    /// called from here, in session 17).
    static func returnFreedMemory() {
        if let collect = Malloc.collect { return collect(true) }
        _ = Malloc.trim?(0)
    }

    /// Reads the repository, binds and serves until the process is stopped.
    ///
    /// - Parameter announce: told the address once the server listens.
    public static func run(_ options: Options, announce: @escaping @Sendable (String) -> Void) async throws {
        try check(options)
        let csrf = randomToken()
        let state = DashboardState(settings: .init(repository: options.repository, session: options.session, asOf: options.asOf,
                                                   frame: DashboardHTML.Frame(csrfToken: csrf, readOnly: options.readOnly),
                                                   clock: options.clock))
        // The first read fails loudly (not a repository, a broken configuration): exit 2.
        try await state.refresh()
        let router = makeRouter(state: state, security: Security(token: options.token, csrfToken: csrf, readOnly: options.readOnly,
                                                                  loopbackOnly: isLoopback(options.host)))
        let poll = options.pollMilliseconds
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "review"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                let host = options.host.contains(":") ? "[\(options.host)]" : options.host
                announce("http://\(host):\(port)/")
            },
            logger: quietLogger()
        )
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            group.addTask {
                // Follow new commits: a failed read keeps the last good view and tries again.
                while !Task.isCancelled {
                    try await Task.sleep(for: .milliseconds(poll))
                    _ = try? await state.refresh()
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    static func quietLogger() -> Logger {
        var logger = Logger(label: "review-serve")
        logger.logLevel = .critical
        return logger
    }

    /// 32 random bytes, hex.
    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { bytes in bytes.map { String(format: "%02x", $0) }.joined() }
    }

    // MARK: Routes

    static func makeRouter(state: DashboardState, security: Security) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: security)
        let pages = Pages(state: state)
        router.get("/") { request, _ in try await pages.dashboard(request) }
        router.get("/api/dashboard") { _, _ in try await pages.withView { view in .json(view.dashboardJSON) } }
        router.get("/articles") { request, _ in try await pages.articleList(request, json: false) }
        router.get("/api/articles") { request, _ in try await pages.articleList(request, json: true) }
        router.get("/articles/**") { request, _ in try await pages.article(request, prefix: "/articles/", json: false) }
        router.get("/api/articles/**") { request, _ in try await pages.article(request, prefix: "/api/articles/", json: true) }
        router.get("/preview/**") { request, _ in try await pages.preview(request) }
        router.get("/queue") { request, _ in try await pages.queue(request, json: false) }
        router.get("/api/queue") { request, _ in try await pages.queue(request, json: true) }
        router.get("/log") { _, _ in try await pages.log(json: false) }
        router.get("/api/log") { _, _ in try await pages.log(json: true) }
        router.get("/verify") { _, _ in try await pages.verify(json: false) }
        router.get("/api/verify") { _, _ in try await pages.verify(json: true) }
        router.get("/api/blobs/:id") { _, context in try await pages.blob(context.parameters.get("id") ?? "") }
        router.post("/api/sign-offs") { request, context in try await pages.signOff(request, context: context) }
        router.get("/assets/app.js") { _, _ in Reply.asset(DashboardAssets.script, type: "text/javascript; charset=utf-8").response }
        router.get("/assets/dashboard.css") { _, _ in Reply.asset(DashboardAssets.style, type: "text/css; charset=utf-8").response }
        router.get("/login") { request, _ in security.login(request) }
        return router
    }
}

/// A page, a JSON answer or an error, as one response.
struct Reply {
    var status: HTTPResponse.Status
    var type: String
    var body: ByteBuffer
    var headers: HTTPFields = [:]

    init(status: HTTPResponse.Status, type: String, body: String) {
        self.status = status
        self.type = type
        self.body = ByteBuffer(string: body)
    }

    init(status: HTTPResponse.Status, type: String, bytes: [UInt8]) {
        self.status = status
        self.type = type
        body = ByteBuffer(bytes: bytes)
    }

    init(status: HTTPResponse.Status, type: String, buffer: ByteBuffer) {
        self.status = status
        self.type = type
        body = buffer
    }

    static func html(_ body: String, status: HTTPResponse.Status = .ok) -> Reply { Reply(status: status, type: "text/html; charset=utf-8", body: body) }
    static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Reply { Reply(status: status, type: "application/json", body: body) }
    static func html(_ buffer: ByteBuffer) -> Reply { Reply(status: .ok, type: "text/html; charset=utf-8", buffer: buffer) }
    static func json(_ buffer: ByteBuffer) -> Reply { Reply(status: .ok, type: "application/json", buffer: buffer) }
    static func asset(_ body: String, type: String) -> Reply {
        var reply = Reply(status: .ok, type: type, body: body)
        reply.headers[.cacheControl] = "no-cache"
        return reply
    }

    static func error(_ status: HTTPResponse.Status, _ message: String, json: Bool, frame: DashboardHTML.Frame) -> Reply {
        json ? .json(DashboardJSON.error(status.code, message), status: status)
            : .html(DashboardHTML.error(status.reasonPhrase, message, frame: frame), status: status)
    }

    var response: Response {
        var headers = headers
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: body))
    }
}

/// The handlers: each takes the view in force and renders from it.
struct Pages: Sendable {
    let state: DashboardState
    /// The frame of the view in force (it carries the warning when the newest revision cannot be read).
    var frame: DashboardHTML.Frame { state.view?.frame ?? state.settings.frame }

    /// Runs `body` on the view in force; a repository error becomes a page (or, for the
    /// `/api/` twins, JSON) that says what went wrong.
    func withView(json: Bool = false, _ body: (DashboardView) async throws -> Reply) async throws -> Response {
        let view: DashboardView
        if let current = state.view { view = current } else { view = try await state.refresh() }
        do {
            return try await body(view).response
        } catch let error as ReviewError {
            return Reply.error(.internalServerError, error.description, json: json, frame: view.frame).response
        }
    }

    /// The query's values, `+` read as a space and percent-decoded.
    static func query(_ request: Request) -> [String: String] {
        var out: [String: String] = [:]
        for pair in (request.uri.query ?? "").split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            if let key = parts.first { out[decode(key)] = parts.count > 1 ? decode(parts[1]) : "" }
        }
        return out
    }

    /// `/`, or a reviewer's start page: `/?reviewer=ID` lists what needs their review first.
    func dashboard(_ request: Request) async throws -> Response {
        try await withView { view in
            guard let id = Self.query(request)["reviewer"], !id.isEmpty else { return .html(view.dashboardHTML) }
            guard let reviewer = view.model.configuration.reviewer(id) else {
                return .error(.notFound, "no reviewer '\(id)' in the configuration in force; pick yourself in the list", json: false, frame: view.frame)
            }
            return .html(view.cached("dashboard:\(id)") { DashboardHTML.dashboard(view.model, frame: view.frame, reviewer: reviewer) })
        }
    }

    func articleList(_ request: Request, json: Bool) async throws -> Response {
        try await withView(json: json) { view in
            let query = Self.query(request)
            let filter: ArticleFilter
            do throws(ReviewError) { filter = try ArticleFilter(query: query) } catch { return .error(.badRequest, error.description, json: json, frame: view.frame) }
            let page = query["page"].flatMap { Int($0) } ?? 1
            return json ? .json(DashboardJSON.articleList(view.model, filter: filter, page: page))
                : .html(DashboardHTML.articleList(view.model, filter: filter, page: page, frame: view.frame))
        }
    }

    /// `/articles/NAME`, `/articles/NAME/diff` and their `/api/` twins.
    func article(_ request: Request, prefix: String, json: Bool) async throws -> Response {
        try await withView(json: json) { view in
            var name = String(request.uri.path.dropFirst(prefix.count)).removingPercentEncoding ?? ""
            var wantsDiff = false
            if view.model.status(named: name) == nil, name.hasSuffix("/diff") {
                name.removeLast("/diff".count)
                wantsDiff = true
            }
            guard let status = view.model.status(named: name) else {
                // Never a guess: a name two articles share lists both (409), an unknown one is 404.
                if case .ambiguous(let candidates) = view.model.resolve(name) {
                    return .error(.conflict, "'\(name)' names \(candidates.count) articles (\(candidates.map(\.escaped).joined(separator: ", "))); open one by its path",
                                  json: json, frame: view.frame)
                }
                return .error(.notFound, "no article '\(name)' at this revision; see the list of articles", json: json, frame: view.frame)
            }
            if !wantsDiff {
                // Cached by the path's bytes (escaped), never its text: two articles whose paths
                // differ only in normalization have two pages.
                if json { return .json(view.cached("json:\(status.path.escaped)") { DashboardJSON.article(view.model, status) }) }
                // The desk shows the changes since the last full approval beside the revision
                // it signs: both revisions are read once per view.
                return .html(try await cachedAsync(view, "html:\(status.path.escaped)") {
                    DashboardHTML.article(view.model, status, change: try await diff(status, in: view), frame: view.frame)
                })
            }
            let change = try await diff(status, in: view)
            return json ? .json(DashboardJSON.diff(view.model, status, change)) : .html(DashboardHTML.diff(view.model, status, change, frame: view.frame))
        }
    }

    func diff(_ status: ArticleStatus, in view: DashboardView) async throws -> ArticleChange {
        guard let approved = status.lastApprovedRevision else { return .neverApproved }
        guard approved != status.revision, let facts = view.model.facts[status.path] else { return .unchanged }
        // The whole file as reviewers read it: front matter and body.
        let (old, new) = try await state.offload { () throws -> ([UInt8], [UInt8]) in
            let reading = try state.reader()
            return (try reading.blobBytes(approved), try reading.blobBytes(facts.blob))
        }
        return .changed(from: approved, WordDiff(old: String(decoding: old, as: UTF8.self), new: String(decoding: new, as: UTF8.self)))
    }

    /// `/preview/NAME.html` (the page as `review publish` would write it now),
    /// `/preview/NAME.html?revision=BLOB` (one revision the article page names: the current one,
    /// the one on `published`, drawn as the site draws it) and `/preview/style.css`.
    func preview(_ request: Request) async throws -> Response {
        try await withView { view in
            let path = String(request.uri.path.dropFirst("/preview/".count)).removingPercentEncoding ?? ""
            let revision = Self.query(request)["revision"]
            var reply: Reply
            let site = view.model.configuration.policy.site
            if path == "style.css" || path == SiteRenderer.logoFile(site) {
                // The site's stylesheet (the repository's own, Reviews/site/style.css, or the
                // default) and its logo, as publish would put them beside the pages: the
                // sandboxed frame (an opaque origin) may load them.
                // As the configuration in force has them (signed where a root governs).
                let file = path == "style.css" ? SiteRenderer.stylesheetPath : GitPath(site.logo ?? "")
                let bytes = view.evaluation.snapshot.siteFiles[file]
                if path == "style.css" {
                    reply = .asset(bytes.map { String(decoding: $0, as: UTF8.self) } ?? SiteRenderer.style, type: "text/css; charset=utf-8")
                } else if let bytes {
                    reply = Reply(status: .ok, type: Self.imageType(path), bytes: bytes)
                } else {
                    reply = .html("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/><title>No logo</title></head><body><p>The policy's logo is not in the repository.</p></body></html>", status: .notFound)
                }
                reply.headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "cross-origin"
            } else if path.hasSuffix(".html"), let status = view.model.status(named: String(path.dropLast(5))),
                      let facts = view.model.facts[status.path] {
                // The repository's footer, read once per view ("" when it has none).
                let footer = view.evaluation.snapshot.siteFiles[SiteRenderer.footerPath].map { String(decoding: $0, as: UTF8.self) }
                if let revision {
                    // Never another text than the one asked for: a page loaded before a new
                    // commit asks for a revision this view may no longer show.
                    guard let page = SitePreview.page(facts, status, configuration: view.model.configuration, revision: revision, footer: footer) else {
                        var gone = Reply.html("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/><title>Revision not shown</title></head><body><p>Revision \(MarkdownHTML.escape(String(revision.prefix(12)))) of this article is not one the desk shows now (the article has changed since the page was opened): reload the article's page.</p></body></html>", status: .notFound)
                        gone.headers[.contentSecurityPolicy] = Security.previewPolicy
                        return gone
                    }
                    reply = .html(view.cached("preview:\(status.path.escaped)@\(revision)") { page })
                } else {
                    reply = .html(view.cached("preview:\(status.path.escaped)") {
                        SitePreview.page(facts, status, configuration: view.model.configuration, footer: footer)
                    })
                }
            } else {
                reply = .html("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/><title>Not in the preview</title></head><body><p>Only the article's own page is previewed here.</p></body></html>", status: .notFound)
            }
            reply.headers[.contentSecurityPolicy] = Security.previewPolicy
            reply.headers[HTTPField.Name("X-Frame-Options")!] = "SAMEORIGIN"
            return reply
        }
    }

    static func imageType(_ name: String) -> String {
        switch name.split(separator: ".").last.map({ $0.lowercased() }) {
        case "svg": "image/svg+xml"
        case "jpg", "jpeg": "image/jpeg"
        case "webp": "image/webp"
        default: "image/png"
        }
    }

    func queue(_ request: Request, json: Bool) async throws -> Response {
        try await withView(json: json) { view in
            var reviewer: Reviewer?
            if let id = Self.query(request)["reviewer"], !id.isEmpty {
                guard let found = view.model.configuration.reviewer(id) else {
                    return .error(.notFound, "no reviewer '\(id)' in the configuration in force", json: json, frame: view.frame)
                }
                reviewer = found
            }
            return json ? .json(DashboardJSON.queue(view.model, reviewer: reviewer)) : .html(DashboardHTML.queue(view.model, reviewer: reviewer, frame: view.frame))
        }
    }

    /// The newest 200 edits and decisions (whole histories read only where they can be; once
    /// per revision).
    func log(json: Bool) async throws -> Response {
        try await withView(json: json) { view in
            let page = try await cachedAsync(view, json ? "log.json" : "log.html") {
                let snapshot = view.evaluation.snapshot
                let entries = try await state.offload { () throws -> [ReviewLog.Entry] in
                    defer { DashboardServer.returnFreedMemory() }
                    return try state.reader().log(limit: 200, from: snapshot)
                }
                return json ? DashboardJSON.log(entries) : DashboardHTML.log(view.model, entries: entries, frame: view.frame)
            }
            return json ? .json(page) : .html(page)
        }
    }

    func verify(json: Bool) async throws -> Response {
        try await withView(json: json) { view in
            let page = try await cachedAsync(view, json ? "verify.json" : "verify.html") {
                let evaluation = view.evaluation
                let report = try await state.offload { () throws -> VerifyReport in
                    try state.reader().verify(evaluation)
                }
                return json ? DashboardJSON.verify(report) : DashboardHTML.verify(view.model, report, frame: view.frame)
            }
            return json ? .json(page) : .html(page)
        }
    }

    func cachedAsync(_ view: DashboardView, _ key: String, _ make: () async throws -> String) async throws -> ByteBuffer {
        if let page = view.page(key) { return page }
        let page = try await make()
        return view.cached(key) { page }
    }

    /// The bytes of an article's current or approved revision (the browser hashes them before
    /// it signs); no other object of the repository is served.
    func blob(_ id: String) async throws -> Response {
        try await withView(json: true) { view in
            let known = view.model.facts.values.contains { $0.blob == id || $0.revisions[id] != nil }
            guard known, id.count == 40 else { return .error(.notFound, "no article revision '\(id)' at this revision", json: true, frame: view.frame) }
            let bytes = try await state.offload { () throws -> [UInt8] in
                try state.reader().blobBytes(id)
            }
            return Reply(status: .ok, type: "application/octet-stream", bytes: bytes)
        }
    }

    /// The signed record the browser sends, as JSON.
    struct SignedRecord: Decodable {
        var article: String
        var blob: String
        var sha256: String
        var reviewer: String
        var role: String
        var decision: String
        var timestamp: String
        var comment: String
        /// A retraction's public reason (signed after `comment`).
        var reason: String?
        /// An approval's public change note (signed after `comment`, and after `reason` were both there).
        var changeNote: String?
        var signature: String
    }

    /// `POST /api/sign-offs`: checks the browser's signed record as `approve` (or `retract`,
    /// `approve --change-note`) would and commits it.
    func signOff(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: 64 * 1024)
        } catch {
            return Reply.error(.contentTooLarge, "a signed record is at most 64 KB", json: true, frame: frame).response
        }
        let record: SignOff
        do {
            let sent = try JSONDecoder().decode(SignedRecord.self, from: Data(body.readableBytesView))
            guard let decision = SignOff.Decision(rawValue: sent.decision) else {
                throw ReviewError("no decision '\(sent.decision)' here", remedy: "use approve, request-changes or retract")
            }
            guard let timestamp = Timestamp.parse(sent.timestamp) else {
                throw ReviewError("timestamp '\(sent.timestamp)' is not YYYY-MM-DDTHH:MM:SSZ")
            }
            guard let signature = Data(base64Encoded: sent.signature), signature.count == 64 else {
                throw ReviewError("the signature is not 64 bytes of base64", remedy: "sign the record again in the page")
            }
            var signed = SignOff(article: GitPath(sent.article), blob: sent.blob, sha256: sent.sha256, reviewer: sent.reviewer, role: sent.role,
                                 decision: decision, timestamp: timestamp, comment: sent.comment, signature: Array(signature))
            // Exactly the fields that were signed: the writer refuses a record whose file would
            // differ from them (a reason on an approval, say).
            signed.reason = sent.reason
            signed.changeNote = sent.changeNote
            record = signed
        } catch let error as ReviewError {
            return Reply.error(.badRequest, error.description, json: true, frame: frame).response
        } catch {
            return Reply.error(.badRequest, "the request is not a signed record: send the JSON the page sends (see docs/serve.md)", json: true, frame: frame).response
        }
        let settings = state.settings
        let now = settings.clock()
        do {
            let (written, commit) = try await state.offload { () throws -> (SignOffRecord, String) in
                try state.recorder().record(signed: record, now: now)
            }
            let view = try await state.refresh()
            let status = view.model.statusByPath[record.article]
            return Reply.json(JSONValue.object([("path", .string(written.path)), ("commit", .string(commit)),
                                                ("state", .string(status?.state.rawValue))]).rendered, status: .created).response
        } catch let error as ReviewError {
            return Reply.error(.conflict, error.description, json: true, frame: frame).response
        }
    }
}


/// The allocator's tuning calls: glibc's (`<malloc.h>` is not in Swift's Glibc module) or, where
/// the process links mimalloc in glibc's place, mimalloc's; looked up in the process (and simply
/// not called where they do not exist).
enum Malloc {
    // Each looked up once; the program's own handle stays open for the life of the process.
    /// mimalloc's `mi_collect(force)`: present only where mimalloc is the allocator.
    static let collect = function("mi_collect", as: (@convention(c) (Bool) -> Void).self)
    static let mallopt = function("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self)
    static let trim = function("malloc_trim", as: (@convention(c) (Int) -> Int32).self)

    private static func function<F>(_ name: String, as type: F.Type) -> F? {
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }
}
