import CCmarkGFM
import CmarkArena
@testable import ReviewCore
import Testing

/// Issue 36, item 1: cmark-gfm parses each document in an arena (Sources/CmarkArena), reset
/// after the document, not freed node by node.
@Suite struct CmarkArenaTests {
    /// The allocator keeps what cmark-gfm asks of `calloc`, `realloc` and `free`: zeroed memory,
    /// contents kept through a growth (in place for the last allocation, moved for another, and
    /// for allocations large enough for a block of their own), the last allocation taken back by
    /// its free, and memory reused after a reset.
    @Test func theArenaKeepsWhatAnAllocatorPromises() throws {
        let arena = try #require(review_arena_new())
        defer { review_arena_free(arena) }
        let mem = review_arena_mem(arena).assumingMemoryBound(to: cmark_mem.self).pointee
        func bytes(_ pointer: UnsafeMutableRawPointer, _ count: Int) -> [UInt8] {
            Array(UnsafeBufferPointer(start: pointer.assumingMemoryBound(to: UInt8.self), count: count))
        }
        func fill(_ pointer: UnsafeMutableRawPointer, _ count: Int, _ seed: UInt8) {
            for i in 0..<count { pointer.storeBytes(of: seed &+ UInt8(truncatingIfNeeded: i), toByteOffset: i, as: UInt8.self) }
        }
        func pattern(_ count: Int, _ seed: UInt8) -> [UInt8] { (0..<count).map { seed &+ UInt8(truncatingIfNeeded: $0) } }

        for round in 0..<2 {
            // Zeroed, even where a reset left bytes behind.
            let a = try #require(mem.calloc(10, 7))
            #expect(bytes(a, 70) == [UInt8](repeating: 0, count: 70), "round \(round)")
            fill(a, 70, 1)
            // The last allocation grows in place.
            let grown = try #require(mem.realloc(a, 300))
            #expect(grown == a && bytes(grown, 70) == pattern(70, 1))
            fill(grown, 300, 1)
            // Another after it (not over its growth): growing the first now moves it, with its bytes.
            let b = try #require(mem.calloc(1, 16))
            #expect(bytes(grown, 300) == pattern(300, 1))
            fill(b, 16, 9)
            let moved = try #require(mem.realloc(grown, 5000))
            #expect(moved != grown && bytes(moved, 300) == pattern(300, 1) && bytes(b, 16) == pattern(16, 9))
            // Freeing the last allocation gives its memory to the next.
            mem.free(moved)
            let next = try #require(mem.calloc(1, 32))
            #expect(next == moved && bytes(next, 32) == [UInt8](repeating: 0, count: 32))
            // Large allocations (a block of their own) keep their bytes through growth and
            // free, and the chunk's allocations are untouched by them.
            let large = try #require(mem.calloc(1, 100_000))
            fill(large, 100_000, 3)
            let larger = try #require(mem.realloc(large, 3_000_000))
            #expect(bytes(larger, 100_000) == pattern(100_000, 3))
            // A small allocation grown past the large size becomes one, with its bytes.
            let small = try #require(mem.calloc(1, 40))
            fill(small, 40, 5)
            let promoted = try #require(mem.realloc(small, 200_000))
            #expect(bytes(promoted, 40) == pattern(40, 5))
            mem.free(larger)
            // Many allocations fill several chunks (the first ones kept for the next round).
            var pointers: [UnsafeMutableRawPointer] = []
            for k in 0..<2_000 {
                let p = try #require(mem.calloc(1, 1_000))
                fill(p, 8, UInt8(truncatingIfNeeded: k))
                pointers.append(p)
            }
            #expect(pointers.enumerated().allSatisfy { bytes($1, 8) == pattern(8, UInt8(truncatingIfNeeded: $0)) })
            #expect(bytes(b, 16) == pattern(16, 9) && bytes(promoted, 40) == pattern(40, 5))
            mem.free(promoted)
            review_arena_reset(arena)
        }
    }

    /// Where no arena is to be had (every slot taken), a page is parsed with cmark-gfm's own
    /// allocator and its document freed node by node: pages with every extension's syntax give
    /// the trees they give in an arena. The slots run out, and are taken again once freed.
    @Test func withoutAnArenaAPageParsesAsInOne() {
        for k in 0..<200 {
            let page = "# Page \(k)\n\n" + ParseFastPathTests.markdown(UInt64(k)) + "\n\n~~gone~~ www.example.com \(k)\n\n| a |\n|---|\n| 1 |\n\n- [x] done\n"
            #expect(MarkdownParser.parseTree(page, inArena: false) == MarkdownParser.parseTree(page), "seed \(k)")
        }
        var held: [OpaquePointer] = []
        while let arena = review_arena_new() { held.append(arena) }
        #expect(held.count <= 32)
        for arena in held { review_arena_free(arena) }
        let again = review_arena_new()
        #expect(again != nil)
        if let again { review_arena_free(again) }
    }

    /// Documents large enough to take several chunks, blocks of their own (a code block of
    /// hundreds of kilobytes) and more than the arena keeps, parsed one after another and
    /// again, give the texts cmark-gfm's getters read from its own allocator's parse.
    @Test func largeDocumentsParseAsWithCmarksAllocator() {
        let code = "```text\n" + (0..<12_000).map { "line \($0) of a long listing" }.joined(separator: "\n") + "\n```\n"
        let list = (0..<20_000).map { "- item \($0) with [a link](https://example.org/\($0) \"t\") and `code`" }.joined(separator: "\n") + "\n"
        let table = "| a | b |\n|---|---|\n" + (0..<5_000).map { "| \($0) | ~~x~~ www.example.com |" }.joined(separator: "\n") + "\n"
        let documents = [code, "Small *page*.\n", list, table, "# T\n\nText.\n"]
        for _ in 0..<2 {
            for markdown in documents {
                var values: [String] = []
                ParseFastPathTests.texts(of: MarkdownParser.parse(markdown), into: &values)
                #expect(values == ParseFastPathTests.texts(viaGetters: markdown), "\(markdown.prefix(30).debugDescription)")
            }
        }
    }
}
