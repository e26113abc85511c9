import Paths
@testable import ReviewCore
import Testing

/// Issue 36, item 4: the values every article's evaluation reads are kept behind one reference
/// (a category, an article's facts, the record's ancestry), and each thread's share of the
/// articles reads a copy of the configuration that shares none of the objects it retains for
/// every article (``WorkflowConfiguration/unshared()``). Copies still behave as values, and an
/// unshared configuration decides what the shared one decides.
@Suite struct SharedStorageTests {
    private static func storage(_ array: [String]) -> UnsafeRawPointer? {
        array.withUnsafeBufferPointer { $0.baseAddress.map { UnsafeRawPointer($0) } }
    }

    @Test func anUnsharedConfigurationIsEqualAndHoldsItsOwnArrays() throws {
        var configuration = Fixture.configuration
        configuration.policy.categories["general"]?.ruleSeverity = [.repeatedText: .warning]
        configuration.policy.categories["general"]?.switchedOff = [.readingLevel]
        let copy = configuration.unshared()
        #expect(copy.policy == configuration.policy)
        #expect(copy.asOf == configuration.asOf && copy.reviewers.map(\.id) == configuration.reviewers.map(\.id))
        for (name, category) in configuration.policy.categories {
            let other = try #require(copy.policy.categories[name])
            #expect(other == category)
            #expect(Self.storage(other.requiredRoles) != Self.storage(category.requiredRoles), "\(name)")
        }
        #expect(Self.storage(copy.policy.roles) != Self.storage(configuration.policy.roles))
    }

    @Test func anUnsharedConfigurationDecidesTheSame() {
        let text = Fixture.articleText()
        let sha = SignOff.sha256Hex(Array(text.utf8))
        var approved = Fixture.facts(text)
        approved.signOffs = [Fixture.record("ann", "medical", sha256: sha), Fixture.record("ed", "editorial", sha256: sha)]
        var requested = Fixture.facts(text)
        requested.signOffs = [Fixture.record("bo", "medical", .requestChanges, sha256: sha)]
        let uncategorised = Fixture.facts(Fixture.articleText(category: "cardiology"))
        let configuration = Fixture.configuration
        let copy = configuration.unshared()
        for facts in [Fixture.facts(text), approved, requested, uncategorised] {
            let a = WorkflowEngine.evaluate(facts, configuration), b = WorkflowEngine.evaluate(facts, copy)
            #expect(a.state == b.state && a.findings == b.findings && a.missingRoles == b.missingRoles)
            #expect(a.approvals == b.approvals && a.nextReviewDue == b.nextReviewDue && a.freshness == b.freshness)
        }
    }

    @Test func aCategoryIsAValue() {
        var category = Policy.Category(name: "general", requiredRoles: ["editorial"], reviewIntervalDays: 730, dueSoonDays: 60,
                                       disclaimers: [])
        let before = category
        category.requiredRoles.append("medical")
        category.ruleSeverity[.repeatedText] = .error
        category.reviewIntervalDays = 30
        #expect(before.requiredRoles == ["editorial"] && before.ruleSeverity.isEmpty && before.reviewIntervalDays == 730)
        #expect(category != before && category.requiredRoles == ["editorial", "medical"])
        var same = before
        same.name = "general"
        #expect(same == before)
    }

    @Test func anArticlesFactsAreAValue() {
        var facts = Fixture.facts()
        let before = facts
        facts.blob = "b2"
        facts.changes.append(Fixture.change("c0", by: "Writer", on: "2026-01-01", blob: "b0"))
        facts.recordFindings = [Finding(.recordTampered, path: "Articles/pml.md", "edited")]
        facts.textChange = .none
        #expect(before.blob == "b1" && before.changes.count == 1 && before.recordFindings.isEmpty && before.textChange == .notLookedFor)
        #expect(facts.blob == "b2" && facts.changes.count == 2 && facts.recordFindings.count == 1 && facts.textChange == .none)
    }

    @Test func anAncestryOfNoCommitsIsALine() {
        let none = CommitAncestry(count: 0, parents: { _ in [Int32]() })
        for (a, b) in [(0, 1), (1, 0), (2, 5), (3, 3), (-1, 2), (4, .max)] {
            #expect(none.isAncestor(a, of: b) == CommitAncestry.line.isAncestor(a, of: b), "\(a) \(b)")
        }
        let branchy = CommitAncestry(count: 3, parents: { [[], [0], [0]][$0].map(Int32.init) })
        #expect(branchy.isAncestor(0, of: 2) && !branchy.isAncestor(1, of: 2) && !branchy.isAncestor(1, of: 5))
    }
}
