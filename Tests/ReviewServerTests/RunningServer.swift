import Paths
import Dispatch
import Foundation
import Glibc
import ReviewServer
import Synchronization

/// An answer read off the socket: status, header lines and body.
struct HTTPAnswer {
    var status: Int
    var headers: [String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
}

/// `review serve` on a free loopback port for one test; ``stop()`` ends it.
final class RunningServer: Sendable {
    let port: Int
    private let task: Task<Void, Never>

    init(_ options: DashboardServer.Options) async throws {
        let address = Mutex<String?>(nil)
        let failure = Mutex<String?>(nil)
        task = Task {
            do {
                try await DashboardServer.run(options) { url in address.withLock { $0 = url } }
            } catch is CancellationError {
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
        }
        for _ in 0..<200 {
            if address.withLock({ $0 }) != nil || failure.withLock({ $0 }) != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        if let failure = failure.withLock({ $0 }) { throw ServerFailure(message: failure) }
        guard let url = address.withLock({ $0 }), let port = Int(url.split(separator: ":").last?.filter(\.isNumber) ?? "") else {
            throw ServerFailure(message: "the server did not start in 10 s")
        }
        self.port = port
    }

    struct ServerFailure: Error { let message: String }

    func stop() { task.cancel() }

    /// GETs `path` until its text satisfies `condition` (the server polls every 100 ms in the
    /// tests); fails after 10 s.
    func waitFor(_ path: String, _ condition: (String) -> Bool) async throws -> String {
        var last = ""
        for _ in 0..<100 {
            last = try await request("GET", path).text
            if condition(last) { return last }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw ServerFailure(message: "\(path) never became what the test waits for: \(last.prefix(400))")
    }

    /// The CSRF token the pages carry.
    func csrfToken() async throws -> String {
        let page = try await request("GET", "/").text
        guard let range = page.range(of: "name=\"review-csrf\" content=\"") else { throw ServerFailure(message: "no CSRF token in the page") }
        return String(page[range.upperBound...].prefix(64))
    }

    /// One HTTP/1.1 request over a new connection, headers exactly as given (a `Host` of
    /// 127.0.0.1 unless one is given). The socket blocks, so it runs off Swift's cooperative
    /// pool: the server's handlers need that pool to answer.
    func request(_ method: String, _ path: String, headers: [String: String] = [:], body: [UInt8] = []) async throws -> HTTPAnswer {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try self.blockingRequest(method, path, headers: headers, body: body) })
            }
        }
    }

    private func blockingRequest(_ method: String, _ path: String, headers: [String: String], body: [UInt8]) throws -> HTTPAnswer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerFailure(message: "socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ServerFailure(message: "connect: \(errno)") }
        var head = "\(method) \(path) HTTP/1.1\r\n"
        var all = headers
        if all["Host"] == nil { all["Host"] = "127.0.0.1:\(port)" }
        all["Connection"] = "close"
        if !body.isEmpty || method == "POST" { all["Content-Length"] = String(body.count) }
        for (name, value) in all.sorted(by: { $0.key < $1.key }) { head += "\(name): \(value)\r\n" }
        let bytes = Array((head + "\r\n").utf8) + body
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw ServerFailure(message: "send: \(errno)") }
            sent += n
        }
        var answer: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            answer += buffer[0..<n]
        }
        guard let split = answer.indices.first(where: { i in i + 3 < answer.count && answer[i...(i + 3)].elementsEqual([13, 10, 13, 10]) }) else {
            throw ServerFailure(message: "no HTTP answer: \(String(decoding: answer, as: UTF8.self))")
        }
        let lines = String(decoding: answer[..<split], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        return HTTPAnswer(status: status, headers: Array(lines.dropFirst()), body: Array(answer[(split + 4)...]))
    }
}
