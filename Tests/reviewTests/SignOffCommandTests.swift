import Paths
import Foundation
import GitKit
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// keygen → reviewer add → approve / request-changes → verify, diff and log, as a reviewer runs them.
@Suite struct SignOffCommandTests {
    final class Site {
        let content: ContentRepository
        let keys = TemporaryDirectory("review-keys")
        var path: String { content.path }

        init() throws {
            content = try ContentRepository(articles: ["pml": .neurology], reviewers: [], on: "2026-04-07")
        }

        func run(_ arguments: [String]) throws -> ReviewRun {
            try ReviewRun(arguments + ["--repo", path], environment: ["REVIEW_KEY_DIR": keys.path])
        }

        /// Makes a key and adds the reviewer through the CLI.
        func addReviewer(_ id: String, role: String, email: String? = nil) throws {
            let key = try run(["keygen", id])
            #expect(key.status == 0, "\(key.stderr)")
            let add = try run(["reviewer", "add", id, "--name", id.capitalized, "--roles", role, "--credentials", "MD",
                               "--public-key", key.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "--valid-from", "2020-01-01"]
                              + (email.map { ["--email", $0] } ?? []))
            #expect(add.status == 0, "\(add.stderr)")
        }
    }

    @Test func keygenWritesAPrivateKeyOnlyItsOwnerCanRead() throws {
        let site = try Site()
        let first = try site.run(["keygen", "ann"])
        #expect(first.status == 0)
        #expect(Data(base64Encoded: first.stdout.trimmingCharacters(in: .whitespacesAndNewlines))?.count == 32)
        let attributes = try FileManager.default.attributesOfItem(atPath: site.keys.file("ann.key"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let again = try site.run(["keygen", "ann"])
        #expect(again.status == 2 && again.stderr.contains("already exists"))
        // A key others can read is refused when signing.
        try site.addReviewer("bob", role: "medical")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: site.keys.file("bob.key"))
        let refused = try site.run(["approve", "pml", "--as", "bob", "--role", "medical", "--as-of", "2026-04-09"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("can be read by other users"), "\(refused.stderr)")
        // A key directory others can write is refused too (issue 31, item 12): they could swap a key.
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: site.keys.file("bob.key"))
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: site.keys.path)
        let head = try site.content.repository.headCommit()
        let open = try site.run(["approve", "pml", "--as", "bob", "--role", "medical", "--as-of", "2026-04-09"])
        #expect(open.status == 2 && open.stderr.contains("can be written by other users"), "\(open.stderr)")
        #expect(try site.run(["keygen", "carol"]).status == 2)
        #expect(try site.content.repository.headCommit() == head)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: site.keys.path)
        #expect(try site.run(["approve", "pml", "--as", "bob", "--role", "medical", "--as-of", "2026-04-09"]).status == 0)
    }

    /// A key directory inside the content repository is one `git add` away from publishing a
    /// private key: keygen and approve refuse it, writing nothing.
    @Test func aKeyDirectoryInsideTheRepositoryIsRefused() throws {
        let site = try Site()
        try site.addReviewer("ann", role: "medical")
        let inside = site.path + "/keys"
        try FileManager.default.createDirectory(atPath: inside, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: site.keys.file("ann.key"), toPath: inside + "/ann.key")
        let head = try site.content.repository.headCommit()
        for arguments in [["keygen", "bob"], ["approve", "pml", "--as", "ann", "--role", "medical", "--as-of", "2026-04-09"]] {
            let run = try ReviewRun(arguments + ["--repo", site.path], environment: ["REVIEW_KEY_DIR": inside])
            #expect(run.status == 2, "\(arguments): \(run.stdout)")
            #expect(run.stderr.contains("private-key directory is inside the content repository"), "\(run.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: inside + "/bob.key"))
        #expect(try site.content.repository.headCommit() == head)
    }

    @Test func approveRequestChangesVerifyDiffAndLog() throws {
        let site = try Site()
        try site.addReviewer("ann", role: "medical")
        try site.addReviewer("ed", role: "editorial")
        let asked = try site.run(["request-changes", "pml", "--as", "ann", "--role", "medical", "--comment", "Add the MRI finding", "--as-of", "2026-04-08"])
        #expect(asked.status == 0, "\(asked.stderr)")
        #expect(try site.run(["status", "pml", "--as-of", "2026-04-08"]).stdout.contains("changes-requested"))
        for (who, role) in [("ann", "medical"), ("ed", "editorial")] {
            let approve = try site.run(["approve", "pml", "--as", who, "--role", role, "--as-of", "2026-04-09"])
            #expect(approve.status == 0, "\(approve.stderr)")
        }
        #expect(try site.run(["status", "pml", "--as-of", "2026-04-09"]).stdout.contains("approved"))
        #expect(try Git.run(["status", "--porcelain"], in: site.path) == "")
        #expect(try Git.run(["log", "-1", "--format=%s"], in: site.path) == "Approve pml (editorial) by ed\n")

        let verified = try site.run(["verify"])
        #expect(verified.status == 0)
        #expect(verified.stdout.contains("3 sign-off records at") && verified.stdout.contains("3 verified, 0 with findings"))
        #expect(try site.run(["diff", "pml"]).stdout.contains("unchanged since its approved revision"))

        try site.content.edit("pml", lastUpdated: "2026-05-01", body: "A changed sentence.")
        let diff = try site.run(["diff", "pml"])
        #expect(diff.stdout.contains("-Text.") && diff.stdout.contains("+A changed sentence."))

        let log = try site.run(["log", "pml", "--format", "json"])
        let entries = try JSONSerialization.jsonObject(with: Data(log.stdout.utf8)) as! [[String: Any]]
        #expect(entries.map { $0["action"] as! String } == ["edited", "approved", "approved", "requested-changes", "created"])

        // A record edited by hand: verify names it and exits 1.
        let record = try #require(try site.content.repository.files(under: "Reviews/signoffs/pml", inTree: site.content.repository.commit(site.content.repository.headCommit()).tree).first)
        let text = String(decoding: try site.content.repository.blob(record.id), as: UTF8.self)
        try site.content.commit("tamper", [.write(record.path, text.replacingOccurrences(of: "2026-04-0", with: "2026-03-0"))], on: "2026-05-02")
        let bad = try site.run(["verify"])
        #expect(bad.status == 1)
        #expect(bad.stdout.contains(record.path.text.components(separatedBy: "/").dropLast().joined(separator: "/")), "\(bad.stdout)")
    }

    @Test func refusalsWriteNothing() throws {
        let site = try Site()
        try site.addReviewer("ann", role: "medical", email: "ann@example.org")
        try site.content.edit("pml", lastUpdated: "2026-04-08", body: "Ann's words.", author: "Ann")
        let head = try site.content.repository.headCommit()
        // The repository byte for byte, apart from review's own caches under .git/review/.
        _ = try site.run(["status"])
        let before = try DirectoryContents(site.path, excluding: [".git/review/"])
        let cases: [([String], String)] = [
            (["approve", "pml", "--as", "ann", "--role", "medical", "--as-of", "2026-04-09"], "self-approval"),
            (["approve", "pml", "--as", "zed", "--role", "medical"], "no private key for 'zed'"),
            (["approve", "pml", "--as", "ann", "--role", "editorial", "--as-of", "2026-04-09"], "role-not-held"),
            (["approve", "nope", "--as", "ann", "--role", "medical"], "no article 'nope'"),
            (["approve", "../etc/passwd", "--as", "ann", "--role", "medical"], "not an article"),
            (["approve", "/etc/passwd", "--as", "ann", "--role", "medical"], "not an article"),
            (["request-changes", "pml", "--as", "ann", "--role", "medical"], "--comment"),
        ]
        for (arguments, mention) in cases {
            let run = try site.run(arguments)
            #expect(run.status == 2, "\(arguments)")
            #expect(run.stderr.contains(mention), "\(arguments): \(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
            #expect(try DirectoryContents(site.path, excluding: [".git/review/"]).differences(from: before) == [], "\(arguments)")
        }
        #expect(try site.content.repository.headCommit() == head)
        // The comparison does see a write.
        try Git.run(["tag", "probe"], in: site.path)
        #expect(try DirectoryContents(site.path, excluding: [".git/review/"]).differences(from: before) == [".git/refs/tags/probe"])
    }

    @Test func onADetachedHeadApproveRefusesAndInABareRepositoryItCommitsToHEADsBranch() throws {
        let site = try Site()
        try site.addReviewer("ann", role: "medical")
        let bare = TemporaryDirectory()
        try Git.run(["clone", "-q", "--bare", site.path, bare.path + "/b.git"], in: bare.path)
        try Git.run(["checkout", "-q", "--detach"], in: site.path)
        let head = try Git.run(["rev-parse", "HEAD"], in: site.path)
        let refused = try site.run(["approve", "pml", "--as", "ann", "--role", "medical", "--as-of", "2026-04-09"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("HEAD is detached"), "\(refused.stderr)")
        #expect(try Git.run(["rev-parse", "HEAD"], in: site.path) == head)

        let approved = try ReviewRun(["approve", "pml", "--as", "ann", "--role", "medical", "--as-of", "2026-04-09", "--repo", bare.path + "/b.git"],
                                     environment: ["REVIEW_KEY_DIR": site.keys.path])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(try Git.run(["log", "-1", "--format=%s", "main"], in: bare.path + "/b.git") == "Approve pml (medical) by ann\n")
    }

    @Test func approvalsStartedAtTheSameMomentBothLand() throws {
        let site = try Site()
        try site.addReviewer("ann", role: "medical")
        try site.addReviewer("ed", role: "editorial")
        let processes = [("ann", "medical"), ("ed", "editorial")].map { who, role -> Process in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: ReviewRun.binary)
            process.arguments = ["approve", "pml", "--as", who, "--role", role, "--repo", site.path]
            process.environment = ["REVIEW_KEY_DIR": site.keys.path, "HOME": NSTemporaryDirectory(), "PATH": "/usr/bin:/bin"]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
        #expect(processes.allSatisfy { $0.terminationStatus == 0 })
        let signOffs = try Git.run(["ls-tree", "-r", "--name-only", "HEAD", "Reviews/signoffs/pml"], in: site.path).split(separator: "\n")
        #expect(signOffs.count == 2)
        #expect(try Git.run(["status", "--porcelain"], in: site.path) == "")
        try Git.run(["fsck", "--strict"], in: site.path)
    }
}
