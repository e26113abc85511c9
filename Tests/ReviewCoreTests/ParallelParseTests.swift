import Dispatch
import ReviewCore
import Synchronization
import Testing

/// Pages are parsed on every core at once (the loader, the text-change search): a page parses
/// the same on any thread, whatever the others are parsing. cmark-gfm keeps the characters
/// that start autolinks and strikethroughs in one table for the process, which each parse used
/// to set and clear (MarkdownParser sets the autolink ones once, and parses a page with a `~`
/// with strikethrough, one at a time, and every other page without it, on any thread).
@Suite struct ParallelParseTests {
    static func count(_ kind: MarkdownNode.Kind, in node: MarkdownNode) -> Int {
        (node.kind == kind ? 1 : 0) + node.children.reduce(0) { $0 + count(kind, in: $1) }
    }

    @Test func aPageParsesTheSameWhileOthersAreParsed() {
        // One page with strikethroughs (parsed one at a time), one without (parsed on any
        // thread), both with autolinks, and a table whose rows are parsed while the blocks are.
        let struck = (1...40).map { "Line \($0): see https://example.org/\($0) or www.example.com, ~~not this~~, and ~~that~~." }
            .joined(separator: "\n\n")
        let table = "| a | b |\n|---|---|\n| https://example.net/x | www.example.net |\n"
        let plain = (1...40).map { "Line \($0): see https://example.org/\($0) or www.example.com, and *this*." }.joined(separator: "\n\n")
            + "\n\n" + table
        let bytes = Array("---\ntitle: A\n---\n\n\(struck)\n".utf8)
        let alone = ArticleParser.readerText(bytes)
        let struckTree = MarkdownParser.parse(struck)
        let plainTree = MarkdownParser.parse(plain)
        let differing = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 600) { i in
            let same = switch i % 3 {
            case 0: ArticleParser.readerText(bytes) == alone
            case 1: MarkdownParser.parse(struck) == struckTree
            default: MarkdownParser.parse(plain) == plainTree
            }
            if !same { differing.withLock { $0 += 1 } }
        }
        #expect(differing.withLock { $0 } == 0)
        // The autolinks are links (their text is left out of what readers read), the
        // strikethroughs are parsed, in both pages and in the table's cells.
        #expect(alone?.contains("httpsexampleorg") == false)
        #expect(Self.count(.strikethrough, in: struckTree) == 80 && Self.count(.link, in: struckTree) == 80)
        #expect(Self.count(.link, in: plainTree) == 82 && Self.count(.table, in: plainTree) == 1)
    }

    /// A `~` anywhere in a page (a path, a fence, a strikethrough) is read as cmark-gfm reads
    /// it with strikethrough attached, and a page without one parses as it would with it.
    @Test func pagesWithAndWithoutATildeParseAsWithEveryExtension() {
        let fenced = "~~~\ncode ~ here\n~~~\n\n~~struck~~ and ~one~ and `~\\Documents` www.example.com"
        let tree = MarkdownParser.parse(fenced)
        #expect(Self.count(.codeBlock, in: tree) == 1 && Self.count(.strikethrough, in: tree) == 2 && Self.count(.link, in: tree) == 1)
        let none = MarkdownParser.parse("See <https://example.org> and https://example.com/a_b, **bold** www.example.com.")
        #expect(Self.count(.link, in: none) == 3 && Self.count(.strong, in: none) == 1)
    }
}
