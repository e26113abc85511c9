import Dispatch
import ReviewCore
import Synchronization
import Testing

/// Pages are parsed on every core at once (the loader, the text-change search): a page parses
/// the same on any thread, whatever the others are parsing. cmark-gfm keeps the characters
/// that start autolinks and strikethroughs in one table for the process, which each parse used
/// to clear when it ended (MarkdownParser sets them once instead).
@Suite struct ParallelParseTests {
    @Test func aPageParsesTheSameWhileOthersAreParsed() {
        let page = (1...40).map { "Line \($0): see https://example.org/\($0) or www.example.com, ~~not this~~, and ~~that~~." }
            .joined(separator: "\n\n")
        let bytes = Array("---\ntitle: A\n---\n\n\(page)\n".utf8)
        let alone = ArticleParser.readerText(bytes)
        let tree = MarkdownParser.parse(page)
        let differing = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 400) { i in
            let same = i % 2 == 0 ? ArticleParser.readerText(bytes) == alone : MarkdownParser.parse(page) == tree
            if !same { differing.withLock { $0 += 1 } }
        }
        #expect(differing.withLock { $0 } == 0)
        // The autolinks are links (their text is left out of what readers read), the
        // strikethroughs are parsed.
        #expect(alone?.contains("httpsexampleorg") == false)
        func count(_ kind: MarkdownNode.Kind, in node: MarkdownNode) -> Int {
            (node.kind == kind ? 1 : 0) + node.children.reduce(0) { $0 + count(kind, in: $1) }
        }
        #expect(count(.strikethrough, in: tree) == 80 && count(.link, in: tree) == 80)
    }
}
