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

    @Test func theActionRunsTheSameScript() throws {
        let action = try String(contentsOfFile: Self.root + "/action.yml", encoding: .utf8)
        #expect(action.contains("\"$GITHUB_ACTION_PATH/Scripts/ci-check\"") && action.contains("Scripts/package"))
        #expect(action.contains("using: composite"))
    }
}
