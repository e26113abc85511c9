import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

/// The `review` command: medical content review and versioning over git.
///
/// Exit codes live here and nowhere else: 0 done, 1 blocking findings (check, verify,
/// publish), 2 usage, configuration or repository errors with one line on stderr.
@main
struct Review: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Medical review, staleness and publishing for articles kept in git.",
        version: "0.1.0",
        subcommands: [StatusCommand.self, CheckCommand.self, DueCommand.self, VerifyCommand.self, DiffCommand.self, LogCommand.self, PublishCommand.self, ApproveCommand.self, RequestChangesCommand.self, RetractCommand.self, KeygenCommand.self, ReviewerCommand.self, GovernanceCommand.self, InitCommand.self, NewCommand.self, BaselineCommand.self, LastChangesCommand.self, ServeCommand.self]
    )

    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let ahead = readsARepository(arguments) ? StartAhead.begin(repositoryPath: repositoryOption(arguments) ?? ".") : nil
        let code = run(arguments, exitsAfterward: true)
        ahead?.finish()
        Foundation.exit(code)
    }

    /// Whether a command line will most likely open a repository (anything but help, the
    /// version, and key generation), so that ``StartAhead`` is worth starting.
    static func readsARepository(_ arguments: [String]) -> Bool {
        guard let first = arguments.first, first != "help", first != "keygen" else { return false }
        return !arguments.contains { $0 == "--help" || $0 == "-h" || $0 == "--version" }
    }

    /// The last `--repo PATH` or `--repo=PATH` on a command line, looked for before the
    /// arguments are parsed (only a guess for ``StartAhead``; the parsed option decides).
    static func repositoryOption(_ arguments: [String]) -> String? {
        var found: String?
        for (i, argument) in arguments.enumerated() {
            if argument == "--repo", i + 1 < arguments.count {
                found = arguments[i + 1]
            } else if argument.hasPrefix("--repo=") {
                found = String(argument.dropFirst("--repo=".count))
            }
        }
        return found
    }

    /// Runs a command line and returns the exit code (so tests can call it).
    ///
    /// - Parameter exitsAfterward: the process ends with this command (`main`); what a command
    ///   other than `serve` reads is then let go of by exiting, not freed piece by piece
    ///   (``Teardown``).
    static func run(_ arguments: [String], exitsAfterward: Bool = false) -> Int32 {
        // Caches are written while the answer is printed; the command ends when they are written.
        defer { ReviewSession.finishCacheWrites() }
        do {
            let arguments = hoistingGlobalOptions(arguments)
            let names = configuration.subcommands.compactMap { $0.configuration.commandName }
            if let name = arguments.first, !name.hasPrefix("-"), !names.contains(name), name != "help" {
                throw ReviewError("unknown command '\(name)'",
                                  remedy: DidYouMean.suggestion(for: name, among: names).map { "did you mean 'review \($0)'?" } ?? "see 'review --help' for the commands")
            }
            // `review help NAME` for a command that does not exist is an error too.
            if arguments.first == "help", arguments.count > 1, let name = arguments.dropFirst().first(where: { !$0.hasPrefix("-") }), !names.contains(name) {
                throw ReviewError("no command '\(name)' to show help for",
                                  remedy: DidYouMean.suggestion(for: name, among: names).map { "did you mean 'review help \($0)'?" } ?? "see 'review --help'")
            }
            var command = try parseAsRoot(arguments)
            if exitsAfterward, !(command is ServeCommand) { Teardown.keepUntilExit() }
            try command.run()
            if let notice = LateNotice.take() { printError(notice) }
            return 0
        } catch let error as ReviewError {
            _ = LateNotice.take()
            printError(error.description)
            return 2
        } catch let outcome as Outcome {
            if let notice = LateNotice.take() { printError(notice) }
            return outcome.code
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                emit(fullMessage(for: error))
                return 0
            }
            var message = message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
            message = message.replacingOccurrences(of: "Error: ", with: "")
            if message.hasSuffix(".") { message.removeLast() }
            if message.contains("<date>") { message += " (a date is written YYYY-MM-DD, like 2026-11-25)" }
            // Point to the help of the command that was run (`review reviewer add --help`).
            let arguments = hoistingGlobalOptions(arguments)
            var command = ["review"]
            var level: [ParsableCommand.Type] = configuration.subcommands
            for word in arguments {
                guard let sub = level.first(where: { $0.configuration.commandName == word }) else { break }
                command.append(word)
                level = sub.configuration.subcommands
            }
            printError("error: " + message + "; see '\(command.joined(separator: " ")) --help'")
            return 2
        }
    }

    /// `--repo`, `--as-of` and `--trust-root` may come before the command name
    /// (`review --repo X status`): move them after it, where the command's options parse them.
    static func hoistingGlobalOptions(_ arguments: [String]) -> [String] {
        var globals: [String] = []
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("--") {
            let name = first.split(separator: "=", maxSplits: 1).first.map(String.init) ?? first
            guard name == "--repo" || name == "--as-of" || name == "--trust-root" else { break }
            globals.append(first)
            rest = rest.dropFirst()
            if !first.contains("="), let value = rest.first {
                globals.append(value)
                rest = rest.dropFirst()
            }
        }
        guard !globals.isEmpty, let command = rest.first, !command.hasPrefix("-") else { return arguments }
        // A command group (`reviewer add`, `governance sign`): after the subcommand's name.
        let groups = configuration.subcommands.filter { !$0.configuration.subcommands.isEmpty }.map { $0.configuration.commandName }
        if groups.contains(command), rest.count > 1, !rest[rest.startIndex + 1].hasPrefix("-") {
            return Array(rest.prefix(2)) + globals + rest.dropFirst(2)
        }
        return [command] + globals + rest.dropFirst()
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((TerminalSafe.withoutWorkflowCommands(TerminalSafe.clean(line)) + "\n").utf8))
    }
}

/// Prints to standard output so that no line, whatever a repository put in it, can be read
/// by a GitHub Actions runner as a workflow command (only `check --format github` issues them).
func emit(_ text: String, terminator: String = "\n") {
    print(TerminalSafe.withoutWorkflowCommands(text), terminator: terminator)
}

/// ``emit(_:terminator:)`` for a text in parts (``ReviewSession/Reading/renderParts(_:as:)``), with no
/// terminator: tens of megabytes go out part by part, not joined and copied into a string first.
func emit(parts: [[UInt8]]) {
    guard !ReviewSession.Reading.containsWorkflowCommands(parts) else {
        return emit(String(decoding: parts.joined(), as: UTF8.self), terminator: "")
    }
    // After what `print` buffered, a megabyte at a time (a write per part would be tens of
    // thousands of calls).
    fflush(nil)
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 20)
    func flush() {
        var done = 0
        while done < buffer.count {
            let n = buffer.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress! + done, $0.count - done) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { break }  // a closed pipe: the rest is not wanted
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }
    for part in parts {
        if buffer.count + part.count > 1 << 20 { flush() }
        buffer += part
    }
    flush()
}

/// A command's result that is not success but not an error either: blocking findings (1).
struct Outcome: Error {
    let code: Int32
    static let blockingFindings = Outcome(code: 1)
}
