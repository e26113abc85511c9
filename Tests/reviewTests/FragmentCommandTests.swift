import Foundation
import GitKit
import Paths
import ReviewCore
import Testing
import TestSupport

/// Fragments from the command line (issue 37): `status --format json` lists articles only, with
/// `fragment-changed` naming the fragment; `check` blocks on it; `diff` shows the fragment's change.
@Suite struct FragmentCommandTests {
    @Test func statusCheckAndDiffShowAChangedFragment() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        let fragment: GitPath = "Articles/fragments/call-999.md"
        try content.commit("Fragments", [
            .write(Policy.path, ContentRepository.policy + "fragments:\n  paths: [\"Articles/fragments/**\"]\n  syntax: [comment]\n"),
            .write(fragment, "Call 999 if the face droops.\n"),
            .write("Articles/pml.md", ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-04-08",
                                                                body: "Before.\n\n<!-- include: fragments/call-999.md -->")),
        ], on: "2026-04-08")
        try content.builder.checkoutHead()
        for name in ["pml", "call-999"] {
            try content.signOff(name, as: "ann", role: "medical", on: "2026-04-09")
            try content.signOff(name, as: "ed", role: "editorial", on: "2026-04-09")
        }
        #expect(try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-04-10"]).status == 0)

        try content.commit("Edit the fragment", [.write(fragment, "Call 112 if the face droops.\n")], on: "2026-04-11")
        try content.builder.checkoutHead()
        let status = try ReviewRun(["status", "--repo", content.path, "--format", "json", "--as-of", "2026-04-12"])
        let json = try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as! [String: Any]
        let articles = json["articles"] as! [[String: Any]]
        #expect(articles.map { $0["path"] as! String } == ["Articles/pml.md"])
        #expect(articles[0]["state"] as? String == "in-review")
        let findings = articles[0]["findings"] as! [[String: Any]]
        #expect(findings.contains { ($0["rule"] as? String) == "fragment-changed" && ($0["message"] as? String)?.contains("Articles/fragments/call-999.md") == true })

        let check = try ReviewRun(["check", "--repo", content.path, "--as-of", "2026-04-12"])
        #expect(check.status == 1)
        #expect(check.stdout.contains("fragment-changed"), "\(check.stdout)")

        let diff = try ReviewRun(["diff", "pml", "--repo", content.path, "--as-of", "2026-04-12"])
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("unchanged since its approved revision"))
        #expect(diff.stdout.contains("Included fragment:") && diff.stdout.contains("-Call 999") && diff.stdout.contains("+Call 112"), "\(diff.stdout)")
    }
}
