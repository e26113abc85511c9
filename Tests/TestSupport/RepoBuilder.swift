import Paths
import Foundation
import GitKit

/// A temporary directory removed when the value is released.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String

    public init(_ label: String = "review-test") {
        let template = NSTemporaryDirectory() + "\(label)-XXXXXX"
        var bytes = Array(template.utf8CString)
        guard let made = mkdtemp(&bytes) else { fatalError("mkdtemp failed: \(errno)") }
        path = String(cString: made)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    public func file(_ relative: String) -> String { path + "/" + relative }
}

/// Builds a repository for a test, commit by commit, through GitKit.
///
/// Commits get fixed authors and times (a clock that advances one hour per commit unless a
/// time is given), so each test's history is readable in the test and reproducible.
public final class RepoBuilder {
    public let directory: TemporaryDirectory
    public let repository: Repository
    public var clock: Int64 = 1_767_225_600  // 2026-01-01T00:00:00Z
    public static let main = "refs/heads/main"

    public var path: String { directory.path }

    public init(bare: Bool = false) throws {
        directory = TemporaryDirectory()
        repository = try Repository.create(at: directory.path, bare: bare)
        try repository.setHead(branch: Self.main)
    }

    public static func signature(_ name: String, time: Int64, offsetMinutes: Int32 = 0) -> Signature {
        Signature(name: name, email: name.lowercased().replacingOccurrences(of: " ", with: ".") + "@example.org",
                  time: time, offsetMinutes: offsetMinutes)
    }

    /// Commits `changes` on top of `parents` (default: the branch tip) and moves `branch` to it.
    @discardableResult
    public func commit(_ message: String, _ changes: [FileChange], on branch: String = RepoBuilder.main,
                       parents: [ObjectID]? = nil, time: Int64? = nil, author: String = "Ann Author", committer: String? = nil,
                       offsetMinutes: Int32 = 0, moveBranch: Bool = true) throws -> ObjectID {
        let tip = try repository.referenceTarget(branch)
        let parentIDs = parents ?? (tip.map { [$0] } ?? [])
        let base = try parentIDs.first.map { try repository.commit($0).tree }
        let tree = try repository.buildTree(base: base, changes: changes)
        let when = time ?? advance()
        let sig = Self.signature(author, time: when, offsetMinutes: offsetMinutes)
        let id = try repository.createCommit(tree: tree, parents: parentIDs, author: sig,
                                             committer: committer.map { Self.signature($0, time: when, offsetMinutes: offsetMinutes) } ?? sig, message: message)
        if moveBranch { try repository.updateReference(branch, to: id, expected: tip, message: message) }
        return id
    }

    /// A merge commit of `branch`'s tip and `other`, whose tree is the first parent's with `changes`.
    @discardableResult
    public func merge(_ other: ObjectID, into branch: String = RepoBuilder.main, _ changes: [FileChange] = [],
                      time: Int64? = nil, author: String = "Ann Author") throws -> ObjectID {
        let tip = try repository.referenceTarget(branch)!
        return try commit("Merge", changes, on: branch, parents: [tip, other], time: time, author: author)
    }

    /// Creates or moves a branch to a commit.
    public func branch(_ name: String, at id: ObjectID) throws {
        let current = try repository.referenceTarget(name)
        try repository.updateReference(name, to: id, expected: current, message: "branch")
    }

    private func advance() -> Int64 {
        clock += 3600
        return clock
    }

    /// Writes HEAD's tree into the work tree, for tests that run the CLI on a checkout.
    public func checkoutHead() throws {
        _ = try Git.run(["checkout", "-f", "-q", "HEAD"], in: path)
    }
}

/// The git program, as a test oracle only, with a hermetic environment.
public enum Git {
    public struct Failure: Error, CustomStringConvertible {
        public let arguments: [String]
        public let status: Int32
        public let stderr: String
        public var description: String { "git \(arguments.joined(separator: " ")) exited \(status): \(stderr)" }
    }

    @discardableResult
    public static func run(_ arguments: [String], in directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/git")
        process.arguments = ["-C", directory, "-c", "core.quotePath=false", "-c", "safe.directory=*"] + arguments
        let home = NSTemporaryDirectory()
        process.environment = [
            "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "HOME": home,
            "GIT_AUTHOR_NAME": "Oracle", "GIT_AUTHOR_EMAIL": "oracle@example.org",
            "GIT_COMMITTER_NAME": "Oracle", "GIT_COMMITTER_EMAIL": "oracle@example.org",
            "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
            "PATH": "/usr/bin:/bin",
        ]
        let result = try ProcessResult(process)
        guard result.status == 0 else { throw Failure(arguments: arguments, status: result.status, stderr: result.stderr) }
        return result.stdout
    }

    /// Runs git and returns what it printed as bytes (paths need not be UTF-8). With
    /// `pathspec`, those exact bytes follow the arguments as one literal pathspec (passed
    /// through a file and the shell, since a process's arguments here are strings).
    public static func runBytes(_ arguments: [String], pathspec: [UInt8]? = nil, in directory: String) throws -> [UInt8] {
        let process = Process()
        let scratch = NSTemporaryDirectory() + "review-pathspec-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var command = ["/usr/bin/git", "-C", directory, "-c", "core.quotePath=false", "-c", "safe.directory=*"] + arguments
        if let pathspec {
            try Data(pathspec).write(to: URL(fileURLWithPath: scratch))
            command = ["/bin/sh", "-c", "exec \"$@\" \":(literal)$(cat \"$SPEC\")\"", "sh"] + command
        }
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = ["GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1", "HOME": NSTemporaryDirectory(),
                               "PATH": "/usr/bin:/bin", "SPEC": scratch]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(arguments: arguments, status: process.terminationStatus, stderr: "") }
        return Array(data)
    }

    /// `git log -1 --format=%H -- path` at `revision`: the definition of "last changed".
    public static func lastChange(of path: String, at revision: String = "HEAD", in directory: String) throws -> String {
        try run(["log", "-1", "--format=%H", revision, "--", path], in: directory)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// What a finished process printed and how it exited.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    /// Runs a configured process to the end, collecting both streams.
    public init(_ process: Process) throws {
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read stderr on another thread so a full stderr pipe cannot block the child.
        final class Box: @unchecked Sendable { var data = Data() }
        let errBox = Box()
        let done = DispatchSemaphore(value: 0)
        let errHandle = err.fileHandleForReading
        Thread {
            errBox.data = errHandle.readDataToEndOfFile()
            done.signal()
        }.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        process.waitUntilExit()
        status = process.terminationStatus
        stdout = String(decoding: outData, as: UTF8.self)
        stderr = String(decoding: errBox.data, as: UTF8.self)
    }
}

/// Every file below a directory with its bytes, to prove a command wrote nothing.
public struct DirectoryContents: Equatable, CustomStringConvertible {
    public let files: [String: [UInt8]]

    /// Reads `path` recursively, leaving out relative paths that start with any of `excluding`.
    public init(_ path: String, excluding: [String] = []) throws {
        var files: [String: [UInt8]] = [:]
        let manager = FileManager.default
        for case let relative as String in manager.enumerator(atPath: path) ?? NSEnumerator()
        where !excluding.contains(where: { relative.hasPrefix($0) }) {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            files[relative] = Array(try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative)))
        }
        self.files = files
    }

    /// What differs from `other`: paths added, removed or changed.
    public func differences(from other: DirectoryContents) -> [String] {
        Set(files.keys).union(other.files.keys).sorted().filter { files[$0] != other.files[$0] }
    }

    public var description: String { "\(files.count) files" }
}
