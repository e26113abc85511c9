import Paths
import Foundation
import GitKit
import Testing
import TestSupport

/// Runs the built `review` binary and captures what a user would see.
struct ReviewRun {
    var status: Int32
    var stdout: String
    var stderr: String

    static var binary: String {
        // The test bundle lives next to the built products.
        let products = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let direct = products.appendingPathComponent("review").path
        if FileManager.default.isExecutableFile(atPath: direct) { return direct }
        return products.deletingLastPathComponent().appendingPathComponent("review").path
    }

    init(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.environment = ["HOME": NSTemporaryDirectory(), "PATH": "/usr/bin:/bin", "NO_COLOR": "1", "REVIEW_KNOWN_ROOTS": "/dev/null"].merging(environment) { $1 }
        let result = try ProcessResult(process)
        status = result.status
        stdout = result.stdout
        stderr = result.stderr
    }
}

@Suite struct CommandLineTests {
    private func sampleRepository() throws -> RepoBuilder {
        let repo = try RepoBuilder()
        try repo.commit("import", [
            .write("Reviews/policy.yml", "roles: [medical]\ncategories:\n  neurology:\n    required-roles: [medical]\n    review-interval-days: 365\n    due-soon-days: 30\n"),
            .write("Articles/migraine.md", "---\ntitle: Migraine\nlast-updated: 2026-01-01\ncategory: neurology\n---\nBody\n"),
            .write("Articles/heart/broken.md", "---\ntitle: [\n---\nBody\n"),
        ], author: "Ed Editor")
        return repo
    }

    @Test func statusListsArticlesWithTheirLastChange() throws {
        let repo = try sampleRepository()
        let run = try ReviewRun(["status", "--repo", repo.path, "--as-of", "2026-11-25"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(run.stdout.contains("migraine"))
        #expect(run.stdout.contains("Ed Editor"))
        #expect(run.stdout.contains("2 articles: 2 draft, 0 in-review, 0 changes-requested, 0 approved, 0 published · 0 overdue, 0 due soon · 1 blocking finding · as of 2026-11-25"))
    }

    @Test func globalOptionsWorkBeforeTheCommandName() throws {
        let repo = try sampleRepository()
        let run = try ReviewRun(["--repo", repo.path, "--as-of=2026-11-25", "status", "migraine"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("migraine: Migraine\n"))
        #expect(run.stdout.contains("  state           draft, fresh as of 2026-11-25"))
        #expect(!run.stdout.contains("broken"))
    }

    @Test func theRepositoryIsFoundFromTheCurrentDirectory() throws {
        let repo = try sampleRepository()
        let run = try ReviewRun(["status"], in: repo.path)
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// Bad input: exit 2, exactly one line on stderr, nothing on stdout.
    @Test(arguments: [
        (["status", "--as-of", "2026-02-30"], "2026-02-30"),
        (["status", "--format", "yaml"], "yaml"),
        (["status", "no-such-article"], "no article 'no-such-article'"),
        (["frobnicate"], "frobnicate"),
    ])
    func badArgumentsExitTwoWithOneLine(_ arguments: [String], _ mention: String) throws {
        let repo = try sampleRepository()
        let run = try ReviewRun(arguments + ["--repo", repo.path])
        #expect(run.status == 2)
        #expect(run.stdout == "")
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run.stderr)")
        #expect(run.stderr.contains(mention), "\(run.stderr)")
    }

    @Test func aPathThatIsNoRepositoryExitsTwo() throws {
        let dir = TemporaryDirectory()
        let run = try ReviewRun(["status", "--repo", dir.path])
        #expect(run.status == 2)
        #expect(run.stderr == "error: '\(dir.path)' is not inside a git repository; run from a content repository or pass --repo PATH\n")
    }

    @Test func anEmptyRepositoryExitsTwo() throws {
        let repo = try RepoBuilder()
        let run = try ReviewRun(["status", "--repo", repo.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("has no commits yet"))
    }

    @Test func aCorruptObjectExitsTwoNamingIt() throws {
        let repo = try sampleRepository()
        let head = try repo.repository.headCommit()
        let blob = try #require(try repo.repository.entry(at: "Articles/migraine.md", inCommit: head)).id
        let path = repo.path + "/.git/objects/\(blob.hex.prefix(2))/\(blob.hex.dropFirst(2))"
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try Data([0x78, 0x01, 0xFF, 0xFF]).write(to: URL(fileURLWithPath: path))
        let before = try Git.run(["rev-parse", "HEAD"], in: repo.path)
        let run = try ReviewRun(["status", "--repo", repo.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains(blob.hex), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1)
        #expect(try Git.run(["rev-parse", "HEAD"], in: repo.path) == before)
    }

    @Test(.enabled(if: getuid() == 0, "needs root to hand the repository to another user"))
    func aRepositoryOwnedByAnotherUserIsExplained() throws {
        let repo = try sampleRepository()
        _ = try Git.run(["status"], in: repo.path)
        let chown = Process()
        chown.executableURL = URL(fileURLWithPath: "/bin/chown")
        chown.arguments = ["-R", "65534:65534", repo.path]
        try chown.run()
        chown.waitUntilExit()
        let run = try ReviewRun(["status", "--repo", repo.path])
        #expect(run.status == 2)
        #expect(run.stderr.contains("owned by another user"), "\(run.stderr)")
        #expect(run.stderr.contains("safe.directory"))
    }
}

/// `publish --site .` inside a clone once deleted the whole repository, `.git` included.
@Suite struct PublishSiteCommandTests {
    @Test func publishingTheSiteIntoTheRepositoryIsRefusedBeforeAnythingMoves() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        let head = try content.repository.headCommit()
        for site in [".", ".git", ".."] {
            let run = try ReviewRun(["publish", "--as-of", "2026-04-10", "--site", site], in: content.path)
            #expect(run.status == 2, "\(site): \(run.stdout) \(run.stderr)")
            #expect(run.stderr.hasPrefix("\(site): error: --site "), "\(run.stderr)")
            #expect(run.stderr.split(separator: "\n").count == 1)
        }
        #expect(try content.repository.referenceTarget("refs/heads/published") == nil, "the published ref moved")
        #expect(try content.repository.headCommit() == head)
        #expect(FileManager.default.fileExists(atPath: content.path + "/Articles/pml.md"))
        #expect(try Git.run(["status", "--porcelain"], in: content.path) == "")
    }

    /// When nothing can be published, `publish --site` says so and renders nothing: it used to go
    /// on to render, and fail with "nothing is published yet; run 'review publish' first".
    @Test func publishingNothingRendersNothingAndSaysWhy() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let site = TemporaryDirectory().path + "/public"
        let run = try ReviewRun(["publish", "--as-of", "2026-04-10", "--site", site], in: content.path)
        #expect(run.status == 1, "\(run.stdout) \(run.stderr)")
        #expect(run.stdout.contains("1 held back") && !run.stderr.contains("run 'review publish' first"), "\(run.stdout) \(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: site + "/index.html"))
    }
}
