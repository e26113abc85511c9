import Paths
@testable import ReviewCore
import Testing

/// Fragments (issue 37): the policy's `fragments:` key, the include syntaxes, the include graph.
@Suite struct FragmentScannerTests {
    static let policy = PolicyParserTests.valid + "\n"

    @Test func thePolicyNamesWhereFragmentsLiveAndWhichSyntaxesAreOn() throws {
        let policy = try PolicyParser.parse(Array((Self.policy + "fragments:\n  paths: [\"Articles/fragments/**\"]\n  syntax: [mdx, docfx]\n").utf8),
                                            disclaimerIDs: ["medical"])
        #expect(policy.fragments.syntaxes == [.docfx, .mdx])
        #expect(policy.fragments.isFragment("Articles/fragments/call-999.md"))
        #expect(!policy.fragments.isFragment("Articles/pml.md"))
        #expect(try !PolicyParser.parse(Array(Self.policy.utf8), disclaimerIDs: ["medical"]).fragments.isOn)
    }

    @Test func aBadFragmentsKeyIsAFileAndLineError() {
        let refusals: [(String, String)] = [
            ("fragments: [a]\n", "Reviews/policy.yml:9: error: 'fragments' must be a mapping"),
            ("fragments:\n  paths: [\"Articles/f/**\"]\n  syntax: [comment]\n  depth: 3\n", "Reviews/policy.yml:12: error: unknown key 'depth' in fragments"),
            ("fragments:\n  paths: [\"shared/**\"]\n  syntax: [comment]\n", "Reviews/policy.yml:10: error: 'shared/**' in fragments paths is not below a content root"),
            ("fragments:\n  paths: [\"Articles/f/**\"]\n  syntax: [hugo]\n", "Reviews/policy.yml:11: error: unknown include syntax 'hugo'"),
            ("fragments:\n  paths: [\"Articles/f/**\"]\n", "Reviews/policy.yml:10: error: fragments has no 'syntax'"),
            ("fragments:\n  paths: []\n  syntax: [comment]\n", "Reviews/policy.yml:10: error: 'paths' in fragments lists no glob"),
            ("fragmnets:\n  paths: []\n", "did you mean 'fragments'?"),
        ]
        for (tail, words) in refusals {
            #expect {
                _ = try PolicyParser.parse(Array((Self.policy + tail).utf8), disclaimerIDs: ["medical"])
            } throws: { error in
                (error as? ReviewError)?.description.contains(words) == true
            }
        }
    }

    @Test func eachSyntaxIsFoundOutsideCodeBlocksWithItsLine() {
        let body = """
            Intro [!INCLUDE[Note](../includes/note.md)] inline.
            <!-- include: ./shared/call.md -->
            import Warning from './warning.mdx'
            import { x } from 'react'
            ```
            <!-- include: inside-code.md -->
            [!INCLUDE[x](inside-code.md)]
            ```
            [!include[root](~/docs/includes/root.md)]
            """
        let found = IncludeScanner.includes(in: body, firstLine: 5, from: "docs/a/page.md", syntaxes: IncludeSyntax.allCases)
        #expect(found.map(\.syntax) == [.docfx, .comment, .mdx, .docfx])
        #expect(found.map(\.target) == ["docs/includes/note.md", "docs/a/shared/call.md", "docs/a/warning.mdx", "docs/includes/root.md"])
        #expect(found.map(\.line) == [5, 6, 7, 13])
        // Only the syntaxes the policy turns on.
        #expect(IncludeScanner.includes(in: body, firstLine: 1, from: "docs/a/page.md", syntaxes: [.comment]).count == 1)
        // A path that climbs out of the repository names nothing.
        #expect(IncludeScanner.resolve("../../x.md", from: "docs/page.md") == nil)
    }

    @Test func includesAreRenderedInPlaceRecursively() {
        let fragments: [GitPath: String] = ["A/f/one.md": "One.\n\n<!-- include: two.md -->", "A/f/two.md": "Two."]
        let page = IncludeScanner.expand("Before.\n\n<!-- include: f/one.md -->\n\nSee [!INCLUDE[t](f/two.md)] here.", from: "A/page.md",
                                         syntaxes: [.comment, .docfx], fragments: fragments)
        #expect(page == "Before.\n\nOne.\n\nTwo.\n\nSee Two. here.")
        // A cycle stops at the depth limit instead of looping.
        let cyclic: [GitPath: String] = ["A/f/one.md": "<!-- include: one.md -->"]
        #expect(IncludeScanner.expand("<!-- include: f/one.md -->", from: "A/page.md", syntaxes: [.comment], fragments: cyclic, depth: 3)
            == "<!-- include: one.md -->")
    }

    @Test func theStrictestCategoryHasTheMostRolesThenTheShortestInterval() {
        let loose = Policy.Category(name: "general", requiredRoles: ["editorial"], reviewIntervalDays: 100, dueSoonDays: 1, disclaimers: [])
        let strict = Policy.Category(name: "neurology", requiredRoles: ["medical", "editorial"], reviewIntervalDays: 365, dueSoonDays: 1, disclaimers: [])
        let often = Policy.Category(name: "drugs", requiredRoles: ["medical", "editorial"], reviewIntervalDays: 180, dueSoonDays: 1, disclaimers: [])
        #expect(FragmentGraph.strictest([loose, strict])?.name == "neurology")
        #expect(FragmentGraph.strictest([loose, strict, often])?.name == "drugs")
        #expect(FragmentGraph.strictest([]) == nil)
    }
}
