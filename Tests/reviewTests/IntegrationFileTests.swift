import Paths
import Foundation
import ReviewCore
import Testing
import TestSupport

/// Issue 19, item 2: the Action, the pre-commit hook and the GitLab template run
/// Scripts/ci-check; this runs it as each of them does, on a content repository.
@Suite struct IntegrationFileTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    private func ciCheck(_ arguments: [String] = [], in directory: String, environment: [String: String]) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Self.root + "/Scripts/ci-check"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory(), "REVIEW": ReviewRun.binary].merging(environment) { $1 }
        return try ProcessResult(process)
    }

    @Test func theGitHubActionsStepAnnotatesReportsAndSummarises() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "easy": .general], reviewers: [.medical("ann"), .editorial("ed")])
        let base = try content.repository.headCommit()
        try content.edit("pml", lastUpdated: "2026-04-08", body: "Changed in the pull request.")
        try content.builder.checkoutHead()
        let out = TemporaryDirectory()
        let summary = out.path + "/summary.md"
        let run = try ciCheck(in: content.path, environment: ["GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary,
                                                              "REVIEW_BASE": base.hex, "REVIEW_OUT": out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("::warning "), "\(run.stdout)")
        let text = try String(contentsOfFile: summary, encoding: .utf8)
        #expect(text.hasPrefix("### Medical review status") && text.contains("`pml`") && !text.contains("`easy`"), "only the touched article: \(text)")
        for file in ["review.sarif", "review-junit.xml", "gl-code-quality.json"] {
            #expect(FileManager.default.fileExists(atPath: out.path + "/" + file), "\(file)")
        }
        let quality = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out.path + "/gl-code-quality.json"))) as? [[String: Any]]
        #expect(quality?.allSatisfy { ($0["fingerprint"] as? String)?.count == 64 } == true)
    }

    @Test func thePrePushHookChecksEverythingOnAFirstPush() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann")])
        try content.builder.checkoutHead()
        let out = TemporaryDirectory()
        // As .pre-commit-hooks.yaml runs it; this repository has no upstream yet.
        let hooks = try String(contentsOfFile: Self.root + "/.pre-commit-hooks.yaml", encoding: .utf8)
        #expect(hooks.contains("entry: Scripts/ci-check") && hooks.contains("args: [--base, \"@{upstream}\"]"))
        let run = try ciCheck(["--base", "@{upstream}"], in: content.path, environment: ["REVIEW_OUT": out.path])
        #expect(run.status == 0, "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains("checking every article") && run.stdout.contains("Articles/pml.md: warning"))
    }

    /// Outside CI (the pre-push hook) the reports go under the git directory, never into the
    /// work tree (issue 35, item 3).
    @Test func theHookWritesNoReportIntoTheWorkTree() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann")])
        try content.builder.checkoutHead()
        let run = try ciCheck(["--base", "@{upstream}"], in: content.path, environment: [:])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Git.run(["status", "--porcelain"], in: content.path).isEmpty)
        #expect(FileManager.default.fileExists(atPath: content.repository.gitDirectory + "review/reports/review.sarif"))
    }

    /// A base that cannot be had is an error, never a silent check of everything.
    @Test func aBaseThatDoesNotResolveFails() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann")])
        try content.builder.checkoutHead()
        let out = TemporaryDirectory()
        let run = try ciCheck(in: content.path, environment: ["REVIEW_BASE": "origin/nothing", "REVIEW_OUT": out.path])
        #expect(run.status == 2 && run.stderr.contains("names no commit here"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path + "/review.sarif"))
    }

    /// In a single-branch clone of a pull request, the target branch is fetched with an explicit
    /// refspec, and the range checked is said.
    @Test func aSingleBranchCloneGetsItsBaseAndSaysTheRange() throws {
        let content = try ContentRepository(articles: ["pml": .neurology, "easy": .general], reviewers: [.medical("ann"), .editorial("ed")])
        let base = try content.repository.headCommit()
        try Git.run(["branch", "feature"], in: content.path)
        try Git.run(["checkout", "-q", "feature"], in: content.path)
        try Git.run(["commit", "-q", "--allow-empty", "-m", "feature work"], in: content.path)
        let clone = TemporaryDirectory()
        try Git.run(["clone", "-q", "--single-branch", "--branch", "feature", content.path, clone.path + "/repo"], in: clone.path)
        let out = TemporaryDirectory()
        let run = try ciCheck(in: clone.path + "/repo", environment: ["CI": "true", "GITHUB_BASE_REF": "main", "REVIEW_OUT": out.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("checking what \(base.short)..") && run.stderr.contains("base refs/remotes/origin/main"), "\(run.stderr)")
    }

    /// In CI a governed repository is read against a pinned root: an empty secret fails.
    @Test func aGovernedRepositoryNeedsItsPinInCI() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.governWith(on: "2026-04-07")
        try content.builder.checkoutHead()
        let out = TemporaryDirectory()
        let unpinned = try ciCheck(in: content.path, environment: ["CI": "true", "REVIEW_OUT": out.path, "REVIEW_TRUST_ROOT": ""])
        #expect(unpinned.status == 2 && unpinned.stderr.contains("no trust root is pinned"), "\(unpinned.stderr)")
        let fingerprint = ContentRepository.root().fingerprint
        let pinned = try ciCheck(in: content.path, environment: ["CI": "true", "REVIEW_OUT": out.path, "REVIEW_TRUST_ROOT": fingerprint])
        #expect(pinned.status != 2, "\(pinned.stderr)")
        #expect(!pinned.stdout.contains("trust-root-required") && !pinned.stdout.contains("unpinned-trust-root"), "\(pinned.stdout)")
        let wrong = try ciCheck(in: content.path, environment: ["CI": "true", "REVIEW_OUT": out.path,
                                                                "REVIEW_TRUST_ROOT": "sha256:" + String(repeating: "0", count: 64)])
        #expect(wrong.status == 1 && wrong.stdout.contains("trust-root-mismatch"), "\(wrong.stdout)")
    }

    /// docs/ci.md's GitLab job, run as GitLab runs it on a merge request (issue 35, item 3): its
    /// script is Scripts/ci-check, which fetches the target branch into the clone, checks only what
    /// the request touches, and writes the reports the job's artifacts name into the project
    /// directory; on the default branch (no target) it checks every article.
    @Test func theGitLabJobInTheDocsRunsOnAMergeRequest() throws {
        let docs = try String(contentsOfFile: Self.root + "/docs/ci.md", encoding: .utf8)
        let section = try #require(docs.components(separatedBy: "## GitLab CI").dropFirst().first)
        let job = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first)
        #expect(job.contains("GIT_DEPTH: \"0\"") && job.contains("Scripts/ci-check"), "\(job)")
        let artifacts = ["review-junit.xml", "gl-code-quality.json", "review.sarif"]
        for file in artifacts { #expect(job.contains(file), "the job keeps \(file)") }

        let content = try ContentRepository(articles: ["pml": .neurology, "easy": .general], reviewers: [.medical("ann"), .editorial("ed")])
        let base = try content.repository.headCommit()
        // The merge request's branch holds one edit; main stays at the base.
        try content.edit("pml", lastUpdated: "2026-04-08", body: "Changed in the merge request.")
        try Git.run(["branch", "feature", "main"], in: content.path)
        try Git.run(["update-ref", "refs/heads/main", base.hex], in: content.path)
        try Git.run(["checkout", "-q", "-f", "feature"], in: content.path)
        // The runner's clone: the merge request's branch only, full depth (GIT_DEPTH "0").
        let runner = TemporaryDirectory()
        let project = runner.path + "/project"
        try Git.run(["clone", "-q", "--single-branch", "--branch", "feature", content.path, project], in: runner.path)
        let gitlab = ["CI": "true", "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "merge_request_event",
                      "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_DEFAULT_BRANCH": "main"]
        let request = try ciCheck(in: project, environment: gitlab)
        #expect(request.status == 0, "\(request.stderr)")
        #expect(request.stderr.contains("checking what \(base.short)..") && request.stderr.contains("base refs/remotes/origin/main"), "\(request.stderr)")
        for file in artifacts { #expect(FileManager.default.fileExists(atPath: project + "/" + file), "\(file) where the artifacts look") }
        let junit = try String(contentsOfFile: project + "/review-junit.xml", encoding: .utf8)
        #expect(junit.contains("Articles/pml.md") && !junit.contains("Articles/easy.md"), "only the touched article: \(junit)")
        let quality = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: project + "/gl-code-quality.json")))
        #expect(quality is [Any])
        // The default branch's pipeline: no target branch, every article.
        let everything = TemporaryDirectory()
        try Git.run(["clone", "-q", "--branch", "main", content.path, everything.path + "/project"], in: everything.path)
        let branch = try ciCheck(in: everything.path + "/project", environment: ["CI": "true", "GITLAB_CI": "true", "CI_PIPELINE_SOURCE": "push"])
        #expect(branch.status == 0 && branch.stderr.contains("checking every article"), "\(branch.stderr)")
        let all = try String(contentsOfFile: everything.path + "/project/review-junit.xml", encoding: .utf8)
        #expect(all.contains("Articles/pml.md") && all.contains("Articles/easy.md"), "\(all)")
    }

    @Test func theActionRunsTheSameScript() throws {
        let action = try String(contentsOfFile: Self.root + "/action.yml", encoding: .utf8)
        #expect(action.contains("\"$GITHUB_ACTION_PATH/Scripts/ci-check\"") && action.contains("Scripts/package"))
        #expect(action.contains("using: composite"))
    }
}
