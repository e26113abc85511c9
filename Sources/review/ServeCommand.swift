import Paths
import ArgumentParser
import Dispatch
import Foundation
import ReviewCore
import ReviewKit
import ReviewServer

/// `review serve`: the dashboard and the reviewers' desk in a browser.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the editors' dashboard and the reviewers' desk in a browser (127.0.0.1 by default).",
        discussion: """
            Reviewers approve and request changes in the page: the browser signs the record with their key file \
            (or a passphrase-protected export: 'review keygen ID --export FILE'), which never leaves their computer; the server holds no key and checks each record exactly as 'review approve' does. \
            Pages follow new commits without a restart. Every page has a JSON twin under /api/ (docs/serve.md).
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(help: "The address to bind (anything but loopback needs --allow-remote and an access token).")
    var host = "127.0.0.1"

    @Option(help: "The port (0 picks a free one and prints it).")
    var port = 8080

    @Flag(help: "Allow binding an address other than loopback (requires an access token).")
    var allowRemote = false

    @Option(help: ArgumentHelp("A file holding the access token every request must carry (default: $REVIEW_SERVE_TOKEN).", valueName: "file"))
    var tokenFile: String?

    @Flag(help: "Show everything, change nothing: no signing in the browser (a team-wide dashboard).")
    var readOnly = false

    @Option(help: ArgumentHelp("How often to look for new commits, in milliseconds.", valueName: "ms"))
    var poll = 1000

    func token() throws(ReviewError) -> String? {
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ReviewError(file: tokenFile, "cannot read the token file", remedy: "give a readable file holding the access token")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty, token.allSatisfy({ $0.isASCII && !$0.isWhitespace && $0 != ";" && $0 != "," }) else {
                throw ReviewError(file: tokenFile, "the token must be one line of printable ASCII without spaces, ';' or ','",
                                  remedy: "make one with 'openssl rand -hex 32'")
            }
            return token
        }
        return ProcessInfo.processInfo.environment["REVIEW_SERVE_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func run() throws {
        DashboardServer.prepareProcess()
        guard (50...600_000).contains(poll) else { throw ReviewError("--poll \(poll) is out of range", remedy: "give 50 to 600000 milliseconds") }
        var options = DashboardServer.Options()
        options.repository = global.repo
        options.session = try global.sessionOptions()
        options.host = host
        options.port = port
        options.allowRemote = allowRemote
        options.token = try token()
        options.readOnly = readOnly
        options.asOf = global.asOf
        options.pollMilliseconds = poll
        // DashboardServer.run checks the options and reads the repository before it binds: a
        // refused setting or a path that is not a repository ends here with exit 2.
        let outcome = ServeOutcome()
        let done = DispatchSemaphore(value: 0)
        let readOnly = readOnly
        Task {
            do {
                try await DashboardServer.run(options) { address in
                    // Unbuffered: a script waits for this line to learn the port.
                    FileHandle.standardOutput.write(Data("Serving \(readOnly ? "a read-only " : "")dashboard at \(address) (Ctrl-C stops)\n".utf8))
                }
            } catch {
                outcome.set(error)
            }
            done.signal()
        }
        done.wait()
        if let error = outcome.error {
            if let error = error as? ReviewError { throw error }
            if "\(error)".contains("Address already in use") {
                throw ReviewError("port \(port) on \(host) is already in use", remedy: "pick another with --port (0 picks a free one)")
            }
            throw ReviewError("cannot serve on \(host):\(port): \(error)", remedy: "check the address, or pick another port with --port")
        }
    }
}

/// The server task's error, handed back to the waiting command.
final class ServeOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (any Error)?

    var error: (any Error)? { lock.withLock { stored } }
    func set(_ error: any Error) { lock.withLock { stored = error } }
}
