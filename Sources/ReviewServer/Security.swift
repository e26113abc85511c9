import Paths
import SystemCrypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ReviewCore

/// What every request passes before a handler sees it, and what every response carries.
///
/// - The `Host` header must name this computer when the server binds loopback only (a page on
///   another site cannot reach it through DNS rebinding).
/// - With an access token, every request carries it (`Authorization: Bearer …`, or the
///   cookie `/login?token=…` sets: HttpOnly, SameSite=Strict).
/// - Every change (POST) carries the page's CSRF token in `X-Review-CSRF`, is JSON, and comes
///   from this origin (`Origin` and `Sec-Fetch-Site`, where the browser sends them); in
///   read-only mode none is accepted.
/// - Every response carries a Content-Security-Policy with no inline script, and is not
///   cached, framed by other sites or sniffed.
struct Security: RouterMiddleware {
    typealias Context = BasicRequestContext

    let token: String?
    let csrfToken: String
    let readOnly: Bool
    let loopbackOnly: Bool

    static let policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; frame-src 'self'; "
        + "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    /// The published page shown in the article page's frame: no script at all.
    static let previewPolicy = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'"

    static let csrfHeader = HTTPField.Name("X-Review-CSRF")!
    static let cookieName = "review-token"

    var frame: DashboardHTML.Frame { DashboardHTML.Frame(csrfToken: csrfToken, readOnly: readOnly) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let api = request.uri.path.hasPrefix("/api/")
        if let refusal = refusal(request) {
            return Self.secured(Reply.error(refusal.0, refusal.1, json: api || request.method == .post, frame: frame).response)
        }
        do {
            return Self.secured(try await next(request, context))
        } catch let error as HTTPError {
            let message = error.status == .notFound ? "nothing here: see the dashboard" : (error.body ?? error.status.reasonPhrase)
            return Self.secured(Reply.error(error.status, message, json: api, frame: frame).response)
        } catch let error as ReviewError {
            return Self.secured(Reply.error(.internalServerError, error.description, json: api, frame: frame).response)
        }
    }

    /// Why the request is refused, if it is: a status and a message saying what to do.
    func refusal(_ request: Request) -> (HTTPResponse.Status, String)? {
        if loopbackOnly {
            let host = request.head.authority.map(Self.hostName) ?? ""
            guard DashboardServer.isLoopbackName(host) else {
                return (.misdirectedRequest, "this dashboard answers only to 127.0.0.1 or localhost, not '\(host)'")
            }
        }
        if let token, request.uri.path != "/login" {
            let bearer = request.headers[.authorization].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
            guard let given = bearer ?? cookie(Self.cookieName, in: request), Self.same(given, token) else {
                return (.unauthorized, "this dashboard needs its access token: open /login?token=TOKEN once, or send 'Authorization: Bearer TOKEN'")
            }
        }
        guard request.method != .get, request.method != .head else { return nil }
        if readOnly { return (.forbidden, "this dashboard is read-only (review serve --read-only): sign with 'review approve' instead") }
        guard request.method == .post else { return (.methodNotAllowed, "only GET and POST are answered") }
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site != "same-origin" {
            return (.forbidden, "cross-site request refused (Sec-Fetch-Site: \(site))")
        }
        if let origin = request.headers[.origin] {
            let host = request.head.authority ?? ""
            guard origin == "http://\(host)" || origin == "https://\(host)" else {
                return (.forbidden, "cross-site request refused (Origin \(origin) is not this dashboard)")
            }
        }
        guard let sent = request.headers[Self.csrfHeader], Self.same(sent, csrfToken) else {
            return (.forbidden, "missing or wrong CSRF token: reload the page and try again")
        }
        guard request.headers[.contentType]?.hasPrefix("application/json") == true else {
            return (.unsupportedMediaType, "send the signed record as application/json")
        }
        return nil
    }

    /// `/login?token=…`: checks the token and keeps it in a cookie for this browser.
    func login(_ request: Request) -> Response {
        guard let token else { return Response.redirect(to: "/") }
        guard let given = Pages.query(request)["token"], Self.same(given, token) else {
            return Self.secured(Reply.error(.unauthorized, "wrong or missing token: open /login?token=TOKEN with the dashboard's access token", json: false, frame: frame).response)
        }
        var response = Response.redirect(to: "/")
        response.headers[.setCookie] = "\(Self.cookieName)=\(token); HttpOnly; SameSite=Strict; Path=/"
        return Self.secured(response)
    }

    func cookie(_ name: String, in request: Request) -> String? {
        for header in request.headers[values: .cookie] {
            for part in header.split(separator: ";") {
                let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
                if pair.count == 2, pair[0] == name { return String(pair[1]) }
            }
        }
        return nil
    }

    /// `localhost:8080` → `localhost`; `[::1]:8080` → `::1`.
    static func hostName(_ header: String) -> String {
        if header.hasPrefix("["), let end = header.firstIndex(of: "]") { return String(header[header.index(after: header.startIndex)..<end]) }
        return String(header.split(separator: ":", maxSplits: 1).first ?? "")
    }

    /// Compares secrets in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for i in x.indices { difference |= x[i] ^ y[i] }
        return difference == 0
    }

    static func secured(_ response: Response) -> Response {
        var response = response
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = policy }
        if response.headers[HTTPField.Name("X-Frame-Options")!] == nil { response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY" }
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
        // Same-origin everywhere but the preview's constant stylesheet, which the sandboxed
        // preview frame (an opaque origin) loads.
        if response.headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] == nil {
            response.headers[HTTPField.Name("Cross-Origin-Resource-Policy")!] = "same-origin"
        }
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
