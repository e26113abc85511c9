import Paths
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Issue 32: a link whose target exists with other letter case is its own, quieter finding that
/// names the real file; a target that does not exist at all stays a broken link.
@Suite struct LinkCaseTests {
    @Test func aTargetThatDiffersOnlyInCaseIsNamedNotMissing() throws {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann")])
        try content.commit("links", [
            .write("Articles/ActiveDirectory.md", ContentRepository.article("activedirectory", category: .neurology, lastUpdated: "2026-04-07")),
            .write("Articles/pml.md", ContentRepository.article("pml", category: .neurology, lastUpdated: "2026-04-08",
                                                                body: "See [AD](./activedirectory.md#syntax), [gone](missing.md) and [policy](Set-Policy.yml); "
                                                                    + "[the policy file](../Reviews/policy.yml) and [nothing](../Nowhere/x.md).")),
            .write("Articles/Set-Policy.md", ContentRepository.article("set-policy", category: .neurology, lastUpdated: "2026-04-07")),
        ], on: "2026-04-08")
        let first = try content.status(asOf: "2026-05-01")
        let findings = first.articles.first { $0.slug == "pml" }!.findings
        let cased = findings.filter { $0.rule == .linkCaseMismatch }
        #expect(cased.count == 1 && cased[0].severity == .warning)
        #expect(cased.first?.message.contains("differs only in letter case from Articles/ActiveDirectory.md") == true
                && cased.first?.message.contains("write the link as './ActiveDirectory.md#syntax'") == true, "\(cased)")
        let broken = findings.filter { $0.rule == .brokenLink }.map(\.message)
        #expect(broken.count == 3, "\(broken)")
        #expect(broken.contains { $0.contains("'../Nowhere/x.md'") })
        #expect(broken.contains { $0.contains("'missing.md'") && $0.contains("fix the address or add the file") })
        #expect(broken.contains { $0.contains("'Set-Policy.yml'") && $0.contains("Articles/Set-Policy.md exists beside it") })
        // Read again, the articles come from the cache and are placed (their links checked) on
        // another core while history is walked: the same answer, as without any cache.
        ReviewSession.finishCacheWrites()
        let warm = try content.status(asOf: "2026-05-01")
        let uncached = try content.session(usesCaches: false).reading.status(asOf: Day("2026-05-01")!)
        #expect(StatusJSONReporter.render(warm) == StatusJSONReporter.render(first))
        #expect(StatusJSONReporter.render(uncached) == StatusJSONReporter.render(first))
    }
}
