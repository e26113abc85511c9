import CCmarkGFM
import Foundation
import PropertyBased
@testable import ReviewCore
import Testing
import TestSupport

/// Issue 36, item 1: the shortcuts a cold parse takes (texts read from cmark-gfm's nodes in
/// place, byte pre-checks, a block's text gathered as bytes, repeated-text's keys, the reader
/// view built as bytes) give what the plain definitions give.
@Suite struct ParseFastPathTests {
    /// Markdown that stresses the texts a node holds: entities, autolinks, links with titles,
    /// images, fenced code with info strings, inline code, raw HTML, tables, task lists,
    /// strikethrough, non-ASCII letters, and nesting past the parser's maximum depth.
    static func markdown(_ seed: UInt64) -> String {
        let pieces = ["word ", "Été ", "&amp; ", "&#0; ", "&copy;", "<https://example.org/a?b=c>", " www.example.com ",
                      "[link](https://a.example/x \"A title\") ", "![alt *text*](img/p.png 'T') ", "`code` ", "~~gone~~ ",
                      "<span class=\"x\">", "</span>", "**strong** ", "_em_ ", "\n", "\n\n", "\n\n```powershell info\nPS C:\\> Get-Item\n```\n\n",
                      "\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n", "\n\n- [x] done\n- [ ] open\n\n", "\n\n> quoted\n\n", "\n\n## Heading\n\n",
                      "\n\n<div>\nraw block\n</div>\n\n", "\u{A0}", "\t", "n't ", "{{ Fill }} ", "\u{200B}", "ǅ", "İ", "ß"]
        var random = SplitMix(seed: seed)
        var out = ""
        if random.next(in: 0..<5) == 0 { out += String(repeating: "> ", count: random.next(in: 40..<60)) }
        for _ in 0..<random.next(in: 0..<40) { out += pieces[random.next(in: 0..<pieces.count)] }
        return out
    }

    /// The tree as cmark-gfm's own getters read it (each text copied into a C string), in the
    /// parser's document order, for comparing with ``MarkdownParser``'s values, with a parser of
    /// its own (strikethrough attached) while MarkdownParser parses no page with a `~` (other
    /// suites parse on other threads meanwhile).
    static func texts(viaGetters markdown: String) -> [String] {
        MarkdownParser.exclusively { texts(viaGettersUnlocked: markdown) }
    }

    private static func texts(viaGettersUnlocked markdown: String) -> [String] {
        cmark_gfm_core_extensions_ensure_registered()
        let parser = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_SOURCEPOS)!
        defer { cmark_parser_free(parser) }
        for name in ["table", "strikethrough", "autolink", "tasklist"] {
            cmark_parser_attach_syntax_extension(parser, cmark_find_syntax_extension(name))
        }
        var text = markdown
        text.withUTF8 { buffer in
            buffer.baseAddress.map { $0.withMemoryRebound(to: CChar.self, capacity: buffer.count) { cmark_parser_feed(parser, $0, buffer.count) } }
        }
        let document = cmark_parser_finish(parser)!
        defer { cmark_node_free(document) }
        let iterator = cmark_iter_new(document)!
        defer { cmark_iter_free(iterator) }
        var out: [String] = []
        func string(_ pointer: UnsafePointer<CChar>?) -> String { pointer.map { String(cString: $0) } ?? "" }
        while cmark_iter_next(iterator) != CMARK_EVENT_DONE {
            guard cmark_iter_get_event_type(iterator) == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            out.append(string(cmark_node_get_literal(node)))
            let type = cmark_node_get_type(node)
            if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE {
                out.append(string(cmark_node_get_url(node)))
                out.append(string(cmark_node_get_title(node)))
            }
            if type == CMARK_NODE_CODE_BLOCK { out.append(string(cmark_node_get_fence_info(node))) }
        }
        return out
    }

    /// The same texts from the value tree, where it keeps every node (not past the maximum depth).
    static func texts(of node: MarkdownNode, into out: inout [String]) {
        out.append(node.literal)
        if node.kind == .link || node.kind == .image { out += [node.url, node.title] }
        if node.kind == .codeBlock { out.append(node.info) }
        for child in node.children { texts(of: child, into: &out) }
    }

    static func depth(_ node: MarkdownNode) -> Int { 1 + (node.children.map(depth).max() ?? 0) }

    @Test func textsReadInPlaceAreWhatCmarksGettersGive() async {
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            let markdown = Self.markdown(seed)
            let document = MarkdownParser.parse(markdown)
            // Past the maximum depth the tree keeps text only: those are compared where they
            // stop short of it.
            guard Self.depth(document) < MarkdownParser.maximumDepth else { return }
            var values: [String] = []
            Self.texts(of: document, into: &values)
            #expect(values == Self.texts(viaGetters: markdown), "seed \(seed)")
        }
    }

    /// A block's text gathered as bytes is ``StructureRules/normalized(_:)`` of its plain text.
    @Test func blockTextsAreTheirNormalizedPlainText() async {
        await propertyCheck(count: 600, input: Gen.uint64()) { seed in
            let markdown = Self.markdown(seed) + NormalizedTextTests.tricky(seed) + "\n\n" + NormalizedTextTests.tricky(seed &+ 1)
            let document = MarkdownParser.parse(markdown)
            let tree = MarkdownTree(document)
            var scratch: [UInt8] = [0x41, 0x20]  // left over from an earlier block: cleared first
            var index = 0
            document.forEachNode { node in
                let gathered = StructureRules.normalizedPlainText(tree, index, scratch: &scratch)
                #expect(Array(gathered.utf8) == Array(StructureRules.normalized(node.pointee.plainText).utf8), "seed \(seed)")
                #expect(tree.plainText(index) == node.pointee.plainText, "seed \(seed)")
                index += 1
            }
            #expect(index == tree.nodes.count)
        }
    }

    /// The flat tree and the value tree convert into each other node for node: the values made
    /// from a parse, flattened again, are that parse (random pages, nesting past the depth
    /// bound, task lists, ordered lists, code info strings, an empty document).
    @Test func theFlatTreeAndTheValueTreeAreOneTree() async {
        func same(_ markdown: String) -> Bool {
            let flat = MarkdownParser.parseTree(markdown)
            return MarkdownTree(MarkdownNode(flat)) == flat
        }
        let fixed = [String(repeating: "> ", count: 60) + "deep *text* [l](u)\n\nout\n", String(repeating: "- ", count: 70) + "item\n", "", "\n\n",
                     "# T\n\n- [x] a\n- [ ] b\n\n3. c\n4. d\n\n```js x\ncode\n```\n"]
        for markdown in fixed { #expect(same(markdown), "\(markdown.debugDescription)") }
        await propertyCheck(count: 600, input: Gen.uint64()) { seed in
            #expect(same(Self.markdown(seed) + NormalizedTextTests.tricky(seed) + "\n\n" + Self.markdown(seed &+ 1)), "seed \(seed)")
        }
    }

    /// A block cmark-gfm gives no line (a paragraph whose last line became a table's header row)
    /// is put on the line after its previous sibling's end, or on its parent's line where it is
    /// the first child; nesting past the depth bound keeps only text, in the deepest node kept.
    @Test func aBlockWithoutALineTakesTheNearestOneBefore() {
        #expect(BodyText(MarkdownParser.parseTree("First.\n\nSecond\n| a |\n|---|\n| 1 |\n\nAfter.\n")).blocks.map(\.line) == [1, 2, 3, 8])
        #expect(BodyText(MarkdownParser.parseTree("- item\n\n  Second\n  | a |\n  |---|\n")).blocks.map(\.line) == [1, 2, 3])
        #expect(BodyText(MarkdownParser.parseTree("Intro\n| a |\n|---|\n")).blocks.map(\.line) == [1, 1])
        let deep = MarkdownParser.parseTree(String(repeating: "> ", count: 60) + "deep *text*\n")
        // The document and the quotes down to the bound, then the texts ("deep ", and the
        // emphasis's "text") in the deepest quote kept.
        #expect(deep.nodes.count == MarkdownParser.maximumDepth + 2)
        #expect(deep.nodes.suffix(2).allSatisfy { $0.kind == .text } && deep.plainText(MarkdownTree.root) == "deep text")
    }

    /// `endsWith(ascii:)` is `hasSuffix`, including where the last byte is the character's but
    /// the last character is not (a prepended mark) and where it is not ASCII at all.
    @Test func suffixByItsLastByteIsHasSuffix() async {
        let tails = ["?", ":", ".", "?\u{301}", "\u{600}?", "\u{600}:", "…", "...", "a", "é", "\u{37E}", ";", "", " ", "?\u{200D}"]
        for suffix: Unicode.Scalar in ["?", ":", "."] {
            for head in ["", "What", "x y", "Été"] {
                for tail in tails {
                    let text = head + tail
                    #expect(text.endsWith(ascii: suffix) == text.hasSuffix(String(suffix)), "\(text.debugDescription)")
                    #expect(text[...].endsWith(ascii: suffix) == text[...].hasSuffix(String(suffix)), "\(text.debugDescription)")
                }
            }
        }
    }

    /// A text seen in a scope is found again by any text equal to it as a string (canonically
    /// equivalent: a letter spelled with a combining mark, the Kelvin, Ångström and ohm signs, a
    /// Greek question mark, a negated sign), whether it was seen as a paragraph or a sentence;
    /// a text that differs is not found, and a scope emptied finds nothing.
    @Test func seenTextsAreFoundAsStringsAreEqual() {
        typealias Seen = RepeatedTextRule.SeenTexts
        let pairs: [(String, String)] = [
            ("Café au lait is served here every day", "Cafe\u{301} au lait is served here every day"),
            ("The temperature is 300 K at noon today", "The temperature is 300 \u{212A} at noon today"),
            ("Use the ; key to end each statement here", "Use the \u{37E} key to end each statement here"),
            ("Å ring and Ω ohm and ≠ sign in one text", "\u{212B} ring and \u{2126} ohm and =\u{338} sign in one text"),
        ]
        for (a, b) in pairs {
            #expect(a == b)
            let blocks = BodyText(MarkdownParser.parse("\(a)\n\n\(b)\n\nOne two three four five six seven eight nine.\n")).blocks
            #expect(blocks.count == 3 && blocks[0].text == a && blocks[1].text == b)
            var seen = Seen()
            #expect(seen.claim(Seen.Text(blocks[0].text[...], block: 0, sentence: -1), line: 1, in: blocks) == nil)
            #expect(seen.claim(Seen.Text(blocks[1].text[...], block: 1, sentence: -1), line: 3, in: blocks) == 1)
            #expect(seen.line(of: Seen.Text(blocks[1].sentences[0], block: 1, sentence: 0), in: blocks) == 1)
            #expect(seen.line(of: Seen.Text(blocks[2].text[...], block: 2, sentence: -1), in: blocks) == nil)
            seen.removeAll()
            #expect(seen.line(of: Seen.Text(blocks[1].text[...], block: 1, sentence: -1), in: blocks) == nil)
        }
        // Texts whose spaces fall in one list (64 apart, and equal) are told apart by their text.
        let words = (0..<80).map { "w\($0)" }
        // 7, 71 and 7 spaces.
        let texts = [Array(words.prefix(8)), Array(words.prefix(72)), ["x"] + words.prefix(7)].map { $0.joined(separator: " ") }
        let blocks = BodyText(MarkdownParser.parse(texts.joined(separator: "\n\n") + "\n")).blocks
        var seen = Seen()
        for k in blocks.indices { #expect(seen.claim(Seen.Text(blocks[k].text[...], block: k, sentence: -1), line: k + 1, in: blocks) == nil) }
        for k in blocks.indices { #expect(seen.line(of: Seen.Text(blocks[k].text[...], block: k, sentence: -1), in: blocks) == k + 1) }
    }

    /// No character's canonical decomposition holds a space: what lets ``RepeatedTextRule/SeenTexts``
    /// list texts by their spaces.
    @Test func noCanonicalDecompositionHoldsASpace() {
        var found: [UInt32] = []
        for value in UInt32(0x80)...0x2FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.contains(" ") { found.append(value) }
        }
        #expect(found.isEmpty)
    }

    /// A repeated paragraph is found when its copy spells a letter another way (each of a dozen,
    /// so that no table happens to put both spellings in one place), and a paragraph with as
    /// many words but other text is not a repeat.
    @Test func repeatedTextComparesTextsNotBytes() {
        let numbers = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
        var text = ""
        for number in numbers {
            text += "Caf\u{E9} number \(number) should check the temperature of the milk every morning.\n\n"
            text += "Cafe\u{301} number \(number) should check the temperature of the milk every morning.\n\n"
        }
        text += "Shop number twelve should check the quality of the bread every single evening.\n"
        let findings = RepeatedTextRule.check(BodyText(MarkdownParser.parse(text)), firstLine: 1)
        #expect(findings.map(\.line) == numbers.indices.map { 4 * $0 + 3 })
    }

    /// The reader's text built as bytes is what lowercasing scalar by scalar (ASCII letters and
    /// digits kept, any other scalar lowercased and kept where alphabetic or numeric) gives.
    @Test func readerTextIsItsScalarDefinition() async {
        let letters = ["A", "z", "7", "É", "ǅ", "İ", "ß", "Σ", "ς", "ﬁ", "٣", "Ⅻ", "😀", "中", "\u{301}", "-", "'", "Ω"]
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            let words = (0..<random.next(in: 1..<12)).map { _ in
                (0..<random.next(in: 1..<6)).map { _ in letters[random.next(in: 0..<letters.count)] }.joined()
            }
            let paragraph = words.joined(separator: " ")
            var expected = String.UnicodeScalarView()
            for scalar in paragraph.unicodeScalars {
                if scalar.isASCII {
                    if scalar.properties.isAlphabetic || scalar.properties.numericType != nil { expected.append(contentsOf: String(scalar).lowercased().unicodeScalars) }
                    continue
                }
                for lower in scalar.properties.lowercaseMapping.unicodeScalars where lower.properties.isAlphabetic || lower.properties.numericType != nil {
                    expected.append(lower)
                }
            }
            let article = Array("---\ntitle: T\n---\n\(paragraph)\n".utf8)
            #expect(ArticleParser.readerText(article) == "t\u{1}\u{1}" + String(expected), "seed \(seed)")
        }
    }

    /// The reader's text read from the flat tree, in its order with a bare address's subtree
    /// skipped, is what walking the value tree gives: each node, then its children.
    @Test func readerTextFromTheFlatTreeIsTheTreeWalk() async {
        func lowered(_ text: String) -> String {
            var out = String.UnicodeScalarView()
            for scalar in text.unicodeScalars {
                for lower in scalar.properties.lowercaseMapping.unicodeScalars where lower.properties.isAlphabetic || lower.properties.numericType != nil {
                    out.append(lower)
                }
            }
            return String(out)
        }
        func walk(_ node: MarkdownNode, into out: inout String) {
            switch node.kind {
            case .text: out += lowered(ReaderHousekeeping.withNegationsSpelledOut(ReaderHousekeeping.withoutPlaceholders(node.literal)))
            case .code, .htmlBlock, .htmlInline: out += lowered(ReaderHousekeeping.withoutPlaceholders(node.literal))
            case .codeBlock: out += lowered(ReaderHousekeeping.withoutPrompts(node.literal))
            case .image: out += "\u{2}" + lowered(node.url)
            case .link where node.children.count == 1 && node.children[0].kind == .text
                && (node.children[0].literal == node.url || "mailto:" + node.children[0].literal == node.url): return
            default: break
            }
            for child in node.children { walk(child, into: &out) }
        }
        let pieces = ["<https://a.example/x>", " [https://b.example](https://b.example) ", "[mail@x.org](mailto:mail@x.org)", "*<https://c.example>*",
                      "[text](https://d.example)", "![Alt *Text*](img/p.png)", "[![inner](i.png)](https://e.example)", "`Code`", "<b>x</b>",
                      "{{ Fill in }}", " don't ", "\n\n```\nPS C:\\> Get-Item\n```\n\n", "\n\n## Head\n\n", "\n\n- item <https://f.example>\n\n", "word "]
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            let body = (0..<random.next(in: 1..<20)).map { _ in pieces[random.next(in: 0..<pieces.count)] }.joined()
            var expected = "t\u{1}\u{1}"
            walk(MarkdownParser.parse(body + "\n"), into: &expected)
            #expect(ArticleParser.readerText(Array("---\ntitle: T\n---\n\(body)\n".utf8)) == expected, "seed \(seed)")
        }
    }

    /// The byte search finds a needle exactly where a plain search does: needles of lowercase
    /// letters and spaces only (searched by their first byte) and with other bytes anywhere in
    /// them, at the haystack's start and end, overlapping near-misses.
    @Test func byteSearchIsThePlainSearch() async {
        let alphabet: [UInt8] = Array("rev-i gn".utf8)
        await propertyCheck(count: 3000, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            let hay = (0..<random.next(in: 0..<40)).map { _ in alphabet[random.next(in: 0..<alphabet.count)] }
            let needle = (0..<random.next(in: 0..<6)).map { _ in alphabet[random.next(in: 0..<alphabet.count)] }
            let plain = needle.isEmpty || (hay.count >= needle.count && (0...(hay.count - needle.count)).contains { Array(hay[$0..<($0 + needle.count)]) == needle })
            #expect(hay.containsBytes(needle) == plain, "\(hay) \(needle)")
            #expect(hay.lazy.map { $0 }.containsBytes(needle) == plain, "\(hay) \(needle)")  // not contiguous
        }
    }

    /// The hidden-character pre-filter finds each sequence wherever it stands (before, across
    /// and after an eight-byte boundary), and passes bytes that hold none.
    @Test func hiddenCharacterPrefilterFindsEverySequence() {
        let sequences: [[UInt8]] = [[0xE2, 0x80, 0x8B], [0xE2, 0x80, 0xAE], [0xE2, 0x81, 0xA6], [0xEF, 0xBB, 0xBF], [0xD8, 0x9C], [0xC2, 0xAD], [0xE1, 0xA0, 0x8E]]
        for sequence in sequences {
            for offset in 0..<20 {
                for length in [offset + sequence.count, 24, 40] where length >= offset + sequence.count {
                    var bytes = [UInt8](repeating: 0x61, count: length)
                    bytes.replaceSubrange(offset..<(offset + sequence.count), with: sequence)
                    #expect(HiddenCharacterRule.mayHoldHidden(bytes), "\(sequence) at \(offset) of \(length)")
                }
            }
        }
        let clean = Array("Plain text, é and ü and “quotes” — over more than eight bytes.".utf8)
        #expect(!HiddenCharacterRule.mayHoldHidden(clean))
    }

    /// The pseudo-item pre-check by the first byte is the markers' `hasPrefix`, with marks
    /// after a marker and look-alike dashes.
    @Test func pseudoItemMarkerByItsFirstByteIsHasPrefix() {
        let texts = ["-- item", "--", "-\u{301}- item", "– item", "–\u{301} item", "— item", "• item", "•", "‐ hyphen", "−minus",
                     "- single", "item --", "", "é", "\u{2013}", "\u{2014}\u{2014}", "x – y"]
        for text in texts {
            let definition = IntroWithoutListRule.pseudoItemMarkers.contains(where: { text.hasPrefix($0) })
            #expect(IntroWithoutListRule.startsWithPseudoItemMarker(text) == definition, "\(text.debugDescription)")
        }
    }

    /// Empty sections read from the body's blocks are those the document's top-level nodes give
    /// (the definition: each heading's normalized plain text, its next sibling's kind and level).
    @Test func emptySectionsFromBlocksAreThoseOfTheTree() async {
        func definition(_ document: MarkdownNode, firstLine: Int) -> [EmptySection] {
            var out: [EmptySection] = []
            var open: [(level: Int, text: String)] = []
            let blocks = document.children
            for i in blocks.indices where blocks[i].kind == .heading {
                let block = blocks[i]
                let inSeries = open.last?.level == block.level
                while let last = open.last, last.level >= block.level { open.removeLast() }
                let isLast = i + 1 == blocks.count
                if block.level > 1, isLast || (blocks[i + 1].kind == .heading && blocks[i + 1].level <= block.level) {
                    out.append(EmptySection(line: firstLine + block.line - 1, level: block.level, heading: StructureRules.normalized(block.plainText),
                                            parent: open.last?.text, nextIsSameLevel: !isLast && blocks[i + 1].level == block.level && !inSeries))
                }
                open.append((block.level, block.level > 1 || open.isEmpty ? StructureRules.normalized(block.plainText) : ""))
            }
            return out
        }
        let headings = ["# Title\n\n", "## Two\n\n", "### Three *em*\n\n", "#### Four `code`\n\n", "## Two again\n\n", "Setext\n---\n\n",
                        "> ## Quoted\n\n", "- ## In item\n\n", "text\n\n", "- a\n- b\n\n", "```\ncode\n```\n\n", "<!-- c -->\n\n",
                        "| a |\n|---|\n| 1 |\n\n", "##   Spaced   out  \n\n", "## É\u{301}t\u{E9}\n\n", "---\n\n", "##\n\n"]
        await propertyCheck(count: 600, input: Gen.uint64()) { seed in
            var random = SplitMix(seed: seed)
            var markdown = ""
            for _ in 0..<random.next(in: 0..<14) {
                markdown += random.next(in: 0..<3) == 0 ? Self.markdown(random.next()) + "\n\n" : headings[random.next(in: 0..<headings.count)]
            }
            let document = MarkdownParser.parse(markdown)
            let firstLine = random.next(in: 1..<5)
            #expect(HeadingStructureRule.emptySections(BodyText(document), firstLine: firstLine) == definition(document, firstLine: firstLine), "seed \(seed)")
        }
    }

    /// The word count up to a limit is the split's count capped at the limit: ASCII texts by
    /// their bytes, spaces followed by combining marks, CR LF, runs of spaces and non-ASCII texts.
    @Test func wordCountUpToALimitIsTheSplitsCount() {
        var texts = ["", " ", "   ", "one", " one ", "one two", "one  two   three", "a b c \u{301}d", "a \u{301}b", "\u{301} a b",
                     "a\r\nb c", "a \r\n b", "été est là", "a\u{A0}b c", "tab\tseparated words here", "x:"]
        let pieces = [" ", "  ", "word", "é", "\u{301}", "\r\n", "\t", ":", "a", "\u{200D}", "🇫🇷", "\u{A0}"]
        var random = SplitMix(seed: 36)
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<random.next(in: 0..<30) { text += pieces[random.next(in: 0..<(random.next(in: 0..<3) == 0 ? pieces.count : 4))] }
            texts.append(text)
        }
        for text in texts {
            for limit in [1, 2, 3, 20, 100] {
                #expect(IntroWithoutListRule.wordCount(text, upTo: limit) == min(text.split(separator: " ").count, limit), "\(text.debugDescription) \(limit)")
            }
        }
    }

    /// A label closed by an ellipsis, of three dots or one '…', is a placeholder; one closed by
    /// two dots, by dots with a mark on the last, or by other text is not.
    @Test func placeholderEllipsisByItsLastBytes() {
        let cases: [(String, Bool)] = [("**Short answer:** …", true), ("Short answer: ...", true), ("…", true), ("...", true),
                                       ("Short answer: ..", false), ("Short answer: ..\u{301}.", false), ("Short answer: .\u{301}..", false), ("Answer: ...", true),
                                       ("Short answer: …\u{301}", false), ("Short answer: done.", false), ("..", false)]
        for (text, placeholder) in cases {
            let findings = UnfilledPlaceholderRule.check(BodyText(MarkdownParser.parse(text + "\n")), firstLine: 1)
            #expect(findings.isEmpty == !placeholder, "\(text.debugDescription)")
        }
    }

    /// A front-matter date written MM/DD/YYYY is read from its bytes in the usual shape; the day
    /// is the one the general reading (split at slashes, numbers formatted into YYYY-MM-DD) gives,
    /// for that shape and every other text.
    @Test func usDatesReadFromTheirBytesAreThoseTheGeneralReadingGives() {
        func general(_ text: String) -> Day? {
            let parts = text.split(separator: "/")
            guard parts.count == 3, let m = Int(parts[0]), let d = Int(parts[1]), parts[2].count == 4, let y = Int(parts[2]) else { return nil }
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            return Day("\(y)-\(two(m))-\(two(d))")
        }
        var mapping = FrontMatterMapping()
        mapping.dateFormat = .us
        let alphabet: [Character] = ["0", "1", "2", "3", "9", "/", "/", "+", "-", " ", "a", "٣", "0"]
        var random = SplitMix(seed: 36)
        var texts = ["05/23/2024", "5/3/2024", "02/29/2024", "02/29/2023", "13/01/2024", "00/10/2024", "12/31/9999", "01/01/0000",
                     "005/23/2024", "05//23/2024", "+5/23/2024", "05/23/202", "05/23/20245", "/05/23/2024", "05/23/2024/", ""]
        for _ in 0..<3000 { texts.append(String((0..<random.next(in: 0..<13)).map { _ in alphabet[random.next(in: 0..<alphabet.count)] })) }
        for month in 0...13 { for day in [0, 1, 28, 29, 30, 31, 32] { texts.append("\(month)/\(day)/2024"); texts.append("0\(month)/0\(day)/2023") } }
        var plain = 0
        for text in texts {
            #expect(mapping.day(text) == general(text), "\(text.debugDescription)")
            if let day = FrontMatterMapping.plainUSDate(text) { plain += 1; #expect(day == general(text), "\(text.debugDescription)") }
        }
        #expect(plain > 100)
    }
}
