import Paths
import SystemCrypto
import Foundation

/// Rules over an article's Markdown structure (cmark-gfm's tree): the damage the reference
/// page shows — lists lost after their introductions, text printed twice, a question heading
/// run into a paragraph. They depend on the article's bytes only, so they run when it is parsed
/// and their findings are kept in the article cache with the parse.
public protocol StructureRule: Sendable {
    static var description: RuleDescription { get }
    /// - Parameter firstLine: the file line the body starts on (findings give file lines).
    static func check(_ body: BodyText, firstLine: Int) -> [Finding]
}

/// A parsed body with each block's text worked out once: the blocks in reading order (lists
/// and quotes entered), each with its whitespace-collapsed plain text and, for paragraphs, its
/// sentences. Every structure rule, the plain-paragraph digests and the readability count read
/// these; each used to extract, collapse and split the same text again (issue 21: a fifth of a
/// cold `status` on a documentation history went to doing so five times).
public struct BodyText: Sendable {
    /// What the rules read of a block: not the node itself (copying a node, or a block holding
    /// one, retains each of its strings and its children; every rule reads every block).
    public struct Block: Sendable {
        public let kind: MarkdownNode.Kind
        /// The line it starts on, counted in the body.
        public let line: Int
        /// ``StructureRules/normalized(_:)`` of the block's plain text (paragraphs and headings;
        /// empty for other blocks).
        public let text: String
        /// The kind of the block after it among its siblings (`nil` for the last).
        public let nextKind: MarkdownNode.Kind?
        /// Its sentences (paragraphs only; empty for other blocks), as slices of ``text``.
        public let sentences: [Substring]
        /// A paragraph a reader sees as plain text: nothing but text, breaks, emphasis and
        /// strong emphasis in it (no link, code, image or raw HTML). `false` for other blocks.
        public let isPlain: Bool
        /// How many lists, items and quotes it is inside (0: a block of the document itself).
        public var depth: Int = 0
        /// Whether it is inside a list item.
        public var inItem = false
        /// A heading's level (0 for other blocks).
        public var level: Int = 0
        /// The kind of a paragraph's first inline (`nil` for other blocks): a paragraph that
        /// opens with code, a link, an image or strong text is a syntax line, an entry or a label.
        public var lead: MarkdownNode.Kind?
        /// A paragraph that is only strong or emphasized text or a link, with at most a colon
        /// after it: a label (`**Using pkgsrc**:`), not a sentence.
        public var isLabel = false
        /// An HTML block that is a comment (`<!-- markdownlint-disable -->`).
        public var isComment = false
    }

    /// The body's Markdown, as parsed.
    public let tree: MarkdownTree
    public let blocks: [Block]

    /// Whether some rule compares the text of blocks of this kind (paragraphs and headings; no
    /// rule reads a code block's or a table's, often the largest blocks of a reference page, so
    /// theirs is not worked out). A switch, not a set: a set of these kinds hashes each one's name.
    static func isTextKind(_ kind: MarkdownNode.Kind) -> Bool {
        switch kind {
        case .paragraph, .heading: true
        default: false
        }
    }

    public init(_ document: MarkdownNode) {
        self.init(MarkdownTree(document))
    }

    public init(_ tree: MarkdownTree) {
        self.tree = tree
        var blocks: [Block] = []
        blocks.reserveCapacity(tree.children(of: MarkdownTree.root).count)
        // One buffer for the text of every block made of several pieces.
        var scratch: [UInt8] = []
        let nodes = tree.nodes
        func visit(_ parent: Int, depth: Int, inItem: Bool) {
            let count = nodes[parent].childCount
            var i = parent + 1
            for n in 0..<count {
                defer { i = nodes[i].next }
                let kind = nodes[i].kind
                switch kind {
                case .list, .item, .blockQuote:
                    visit(i, depth: depth + 1, inItem: inItem || kind == .item)
                default:
                    // Only the kinds a rule reads have their text worked out (raw HTML, often
                    // large in MDX pages, is read by none).
                    let text = Self.isTextKind(kind) ? StructureRules.normalizedPlainText(tree, i, scratch: &scratch) : ""
                    var block = Block(kind: kind, line: nodes[i].line, text: text, nextKind: n + 1 < count ? nodes[nodes[i].next].kind : nil,
                                      sentences: kind == .paragraph ? StructureRules.sentences(text, normalized: true) : [],
                                      isPlain: kind == .paragraph && Self.allPlain(tree, i))
                    block.depth = depth
                    block.inItem = inItem
                    block.level = nodes[i].level
                    if kind == .paragraph {
                        block.lead = nodes[i].childCount > 0 ? nodes[i + 1].kind : nil
                        block.isLabel = Self.isLabel(tree, i)
                    }
                    if kind == .htmlBlock { block.isComment = tree.literal(i).drop { $0 == " " }.hasPrefix("<!--") }
                    blocks.append(block)
                }
            }
        }
        visit(MarkdownTree.root, depth: 0, inItem: false)
        self.blocks = blocks
    }

    /// Whether every child of the node at `index` is text, a break, or emphasis of such nodes.
    private static func allPlain(_ tree: MarkdownTree, _ index: Int) -> Bool {
        tree.children(of: index).allSatisfy { child in
            switch tree.nodes[child].kind {
            case .text, .softBreak, .lineBreak: true
            case .emphasis, .strong: allPlain(tree, child)
            default: false
            }
        }
    }

    /// Whether the paragraph at `index` is one strong, emphasized or linked run with at most a
    /// colon (and spaces) after it.
    private static func isLabel(_ tree: MarkdownTree, _ index: Int) -> Bool {
        let inlines = tree.children(of: index)
        guard let first = inlines.first, [.strong, .emphasis, .link].contains(tree.nodes[first].kind), inlines.count <= 2 else { return false }
        guard inlines.count == 2 else { return true }
        let second = tree.nodes[first].next
        return tree.nodes[second].kind == .text && tree.withLiteral(second) { $0.allSatisfy { $0 == 0x3A || $0 == 0x20 } }
    }

    /// The paragraphs, in reading order.
    public var paragraphs: some Sequence<Block> { blocks.lazy.filter { $0.kind == .paragraph } }
}

public enum StructureRules {
    public static let all: [any StructureRule.Type] = [
        IntroWithoutListRule.self, RepeatedTextRule.self, RunInQuestionRule.self, HeadingStructureRule.self, ImageAltRule.self,
        RawHTMLRule.self, UnfilledPlaceholderRule.self,
    ]

    /// Every structure finding for a parsed body (paths are set by the caller).
    public static func check(_ document: MarkdownNode, firstLine: Int) -> [Finding] {
        check(BodyText(document), firstLine: firstLine)
    }

    /// Every structure finding for a body whose text is already worked out.
    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        all.flatMap { $0.check(body, firstLine: firstLine) }
    }

    /// Every relative link and image address in the body, with its file line.
    public static func relativeLinks(_ document: MarkdownNode, firstLine: Int) -> [RelativeLink] {
        relativeLinks(MarkdownTree(document), firstLine: firstLine)
    }

    public static func relativeLinks(_ tree: MarkdownTree, firstLine: Int) -> [RelativeLink] {
        var out: [RelativeLink] = []
        let nodes = tree.nodes
        // A node without a line of its own (inline nodes) is on its parent's.
        func visit(_ index: Int, line: Int) {
            let here = nodes[index].line > 0 ? firstLine + nodes[index].line - 1 : line
            if nodes[index].kind == .link || nodes[index].kind == .image {
                // Told from the address's bytes where it is ASCII (most are absolute: no string
                // is made for them), from its characters otherwise.
                let ascii = tree.withURL(index) { SiteLinks.isRelative(asciiBytes: $0) }
                if ascii != false {
                    let url = tree.url(index)
                    if ascii ?? SiteLinks.isRelative(url), !url.hasPrefix("#") { out.append(RelativeLink(url: url, line: here)) }
                }
            }
            var child = index + 1
            for _ in 0..<nodes[index].childCount {
                visit(child, line: here)
                child = nodes[child].next
            }
        }
        visit(MarkdownTree.root, line: 0)
        return out.sorted { ($0.line, $0.url) < ($1.line, $1.url) }
    }

    /// The paragraphs a reader sees as plain text: no link, code, image or raw HTML in them.
    public static func plainParagraphs(_ document: MarkdownNode) -> [PlainParagraph] {
        plainParagraphs(BodyText(document))
    }

    public static func plainParagraphs(_ body: BodyText) -> [PlainParagraph] {
        // The blocks are read in place (a lazy filter copied each one it passed on).
        let blocks = body.blocks
        var out: [PlainParagraph] = []
        for k in blocks.indices where blocks[k].kind == .paragraph && blocks[k].isPlain { out.append(PlainParagraph(blocks[k].text)) }
        return out
    }

    /// Every structure finding for an article body (paths are set by the caller).
    public static func check(body: String, firstLine: Int) -> [Finding] {
        check(BodyText(MarkdownParser.parseTree(body)), firstLine: firstLine)
    }

    /// ``normalized(_:)`` of a node's ``MarkdownTree/plainText(_:)``: a node whose text is one
    /// literal (a paragraph of one run of text) gives that literal, normalized where it is not
    /// already; the text of several pieces is gathered as bytes in `scratch` and normalized from
    /// there (one string made, not one grown piece by piece and then copied).
    static func normalizedPlainText(_ tree: MarkdownTree, _ index: Int, scratch: inout [UInt8]) -> String {
        switch tree.nodes[index].kind {
        case .text, .code, .htmlInline, .htmlBlock, .codeBlock: return tree.withLiteral(index) { normalized(bytes: $0) }
        case .softBreak, .lineBreak: return ""  // one space, normalized
        default:
            if tree.nodes[index].childCount == 1 { return normalizedPlainText(tree, index + 1, scratch: &scratch) }
            scratch.removeAll(keepingCapacity: true)
            tree.appendPlainText(of: index, to: &scratch)
            return scratch.withUnsafeBufferPointer { normalized(bytes: $0) }
        }
    }

    /// ``normalized(_:)`` of UTF-8 bytes, as a new string.
    private static func normalized(bytes source: UnsafeBufferPointer<UInt8>) -> String {
        isNormalized(source) ? String(decoding: source, as: UTF8.self) : normalizedCopy(source)
    }

    /// Text with runs of whitespace (ASCII whitespace and no-break spaces) collapsed to one
    /// space and none at either end, for comparing. Works on UTF-8 bytes: it runs over every
    /// article when it is parsed.
    static func normalized(_ text: String) -> String {
        var contiguous = text
        return contiguous.withUTF8 { source in
            // Most text is already so (cmark turns line breaks into spaces): then it is kept,
            // not copied and checked again.
            if isNormalized(source) { return text }
            return normalizedCopy(source)
        }
    }

    /// The bytes with runs of whitespace collapsed (``normalized(_:)``), as a new string.
    private static func normalizedCopy(_ source: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: source.count) { out in
            var count = 0
            var pending = false
            var previous: UInt8 = 0
            for byte in source {
                let space = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C || byte == 0x0B
                if space || (previous == 0xC2 && byte == 0xA0) {
                    if previous == 0xC2 && byte == 0xA0 {
                        count -= 1  // the no-break space's lead byte, and the space put before it
                        if count > 0 && out[count - 1] == 0x20 { count -= 1 }
                    }
                    pending = count > 0
                } else {
                    if pending {
                        out[count] = 0x20
                        count += 1
                        pending = false
                    }
                    out[count] = byte
                    count += 1
                }
                previous = byte
            }
            return count
        }
    }

    /// Whether ``normalized(_:)`` would surely leave these bytes as they are: no whitespace but
    /// single spaces between words, no no-break space. It may say no to text that is so (a
    /// control character): the caller then normalizes, which gives the same text.
    private static func isNormalized(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, let first = bytes.first, let last = bytes.last else { return true }
        guard first > 0x20, last != 0x20 else { return false }
        // Eight bytes at a time, each beside the byte before it (this runs over the text of every
        // block of every article).
        let ones = ByteWords.ones
        let raw = UnsafeRawPointer(base)
        var i = 1
        while i + 8 <= bytes.count {
            let here = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let before = raw.loadUnaligned(fromByteOffset: i - 1, as: UInt64.self)
            if ByteWords.anyBelow(here, 0x20)  // a tab or line break (or another control character)
                || ByteWords.anyZero((here ^ (ones &* 0x20)) | (before ^ (ones &* 0x20)))  // two spaces
                || ByteWords.anyZero((here ^ (ones &* 0xA0)) | (before ^ (ones &* 0xC2))) {  // a no-break space
                return false
            }
            i += 8
        }
        while i < bytes.count {
            let (byte, previous) = (bytes[i], bytes[i - 1])
            if byte < 0x20 || (byte == 0x20 && previous == 0x20) || (byte == 0xA0 && previous == 0xC2) { return false }
            i += 1
        }
        return true
    }

    /// Sentences of a text: split after `.`, `?` or `!` followed by a space. They are slices of
    /// the (normalized) text, not copies: every paragraph of every article is split.
    static func sentences(_ text: String, normalized alreadyNormalized: Bool = false) -> [Substring] {
        var text = alreadyNormalized ? text : normalized(text)
        // Where each sentence ends, found in the bytes; each cut is at an ASCII space, so every
        // slice starts and ends on a character's bytes.
        let (cuts, count) = text.withUTF8 { bytes in (sentenceCuts(bytes), bytes.count) }
        let utf8 = text.utf8
        var out: [Substring] = []
        out.reserveCapacity(cuts.count + 1)
        func slice(_ start: Int, _ end: Int) -> Substring {
            Substring(utf8[utf8.index(utf8.startIndex, offsetBy: start)..<utf8.index(utf8.startIndex, offsetBy: end)])
        }
        var start = 0
        for cut in cuts {
            out.append(slice(start, cut))
            start = cut + 1
        }
        if start < count { out.append(slice(start, count)) }
        return out
    }

    /// Where sentences end: each space after a `.`, `?` or `!`. Sixteen bytes are looked at a
    /// time (sentence marks are rare beside the bytes between them; every paragraph is split).
    static func sentenceCuts(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var cuts: [Int] = []
        guard let base = bytes.baseAddress, bytes.count > 1 else { return cuts }
        @inline(__always) func isMark(_ byte: UInt8) -> Bool { byte == 0x2E || byte == 0x3F || byte == 0x21 }
        let raw = UnsafeRawPointer(base)
        // The byte at i is a mark followed by a space at i + 1 (so the last byte is never a mark looked at).
        var i = 0
        let last = bytes.count - 1
        let (dot, question, bang) = (SIMD16<UInt8>(repeating: 0x2E), SIMD16<UInt8>(repeating: 0x3F), SIMD16<UInt8>(repeating: 0x21))
        while i + 16 <= last {
            let chunk = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
            if any(chunk .== dot .| chunk .== question .| chunk .== bang) {
                for j in i..<(i + 16) where isMark(base[j]) && base[j + 1] == 0x20 { cuts.append(j + 1) }
            }
            i += 16
        }
        while i < last {
            if isMark(base[i]) && base[i + 1] == 0x20 { cuts.append(i + 1) }
            i += 1
        }
        return cuts
    }
}

/// `list-intro-without-list`: a paragraph that introduces a list ("…include:") whose list is
/// lost.
///
/// A colon introduces many things besides a list: a code block, a table, a quotation, an image,
/// raw HTML (`<pre>`), a syntax line in inline code, a further intro (`Domain name values:`)
/// and its list, a heading whose section holds the list, or prose entries that each open with
/// code, a link or strong text. None of those is reported. What is reported is the lost list
/// itself:
/// - nothing follows the colon (the end of the article, or a heading whose section holds no list);
/// - the items follow as paragraphs starting `--`, `–`, `—` or `•`, which render as loose text;
/// - code follows written as paragraphs (`{`, `@{`, `[{`), not in a fenced block;
/// - a plain prose paragraph of two sentences or more follows, as on the reference page ("those
///   at highest risk include:", then the next topic).
/// A colon paragraph that closes a list item is followed by the list's next item, and a one- or
/// two-word label (`Syntax:`) or a strong label (`**Using pkgsrc**:`) introduces what follows,
/// whatever it is.
public enum IntroWithoutListRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.introWithoutList], summary: "A paragraph ends in a colon, introducing a list, but the list is lost.",
        rationale: "The reference page lost both its lists this way: readers saw 'those at highest risk include:' and then the next topic.")

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        var findings: [Finding] = []
        let blocks = body.blocks
        for k in blocks.indices where blocks[k].kind == .paragraph && blocks[k].text.endsWith(ascii: ":") {
            guard let problem = problem(blocks, at: k, firstLine: firstLine) else { continue }
            let block = blocks[k]
            let tail = block.text.split(separator: " ").suffix(4).joined(separator: " ")
            findings.append(Finding(.introWithoutList, path: "", line: firstLine + block.line - 1, "'…\(tail)' \(problem)"))
        }
        return findings
    }

    /// What is wrong after the colon paragraph `blocks[k]`, or `nil` when it introduced what follows.
    static func problem(_ blocks: [BodyText.Block], at k: Int, firstLine: Int) -> String? {
        let intro = blocks[k]
        // A label introduces anything; so does the last paragraph of a list item or quote (the
        // list's next item, or the text after the quote, follows).
        if intro.isLabel || wordCount(intro.text, upTo: 3) <= 2 { return nil }
        switch intro.nextKind {
        case .list?, .table?, .codeBlock?, .blockQuote?, .thematicBreak?: return nil
        case nil where intro.depth > 0: return nil
        default: break
        }
        // The next block, past HTML comments.
        var n = k + 1
        while n < blocks.count, blocks[n].kind == .htmlBlock, blocks[n].isComment { n += 1 }
        guard n < blocks.count else {
            return "introduces a list, but nothing follows it; restore the list (lines starting '- ' or '1. ') or end the sentence"
        }
        let next = blocks[n]
        switch next.kind {
        case .heading:
            // Sub-sections (one per CVE, one per codemod) are what the colon introduced: a heading
            // deeper than the intro's own section. Before the first heading, the first heading is
            // the article's section level, so it ends the introduction.
            if let section = blocks[..<k].last(where: { $0.kind == .heading }), next.level > section.level { return nil }
            // A heading whose section opens with the list (or with a further intro and its list).
            if next.nextKind == .list || next.nextKind == .table || next.nextKind == .codeBlock { return nil }
            if n + 1 < blocks.count, blocks[n + 1].kind == .paragraph, blocks[n + 1].text.hasSuffix(":") || blocks[n + 1].isLabel { return nil }
            return "introduces a list, but the section ends there (the heading '\(next.text)' follows); restore the list (lines starting '- ' or '1. ') or end the sentence"
        case .paragraph:
            let text = next.text
            if next.isLabel { return nil }
            if text.hasSuffix(":") {
                // A further intro ("Domain name values:"): fine when its own list follows.
                guard problem(blocks, at: n, firstLine: firstLine) != nil else { return nil }
                return "introduces a list, but the paragraph after it (line \(firstLine + next.line - 1)) introduces another and no list follows either; restore the list (lines starting '- ') or end the sentence"
            }
            if let marker = pseudoItemMarkers.first(where: { text.hasPrefix($0) }) {
                return "introduces a list, but its items are paragraphs starting '\(marker)', which readers see as loose text; start each item with '- ' on its own line"
            }
            // JSON or a hashtable opening a paragraph (not a GUID in braces, not a code span).
            if next.lead != .code, ["{\"", "{ \"", "@{", "[{"].contains(where: { text.hasPrefix($0) }) {
                return "introduces code that is written as paragraphs, so readers see it reflowed; put it in a fenced code block (```)"
            }
            if next.lead == .code || next.lead == .link || next.lead == .image || next.lead == .strong || next.lead == .emphasis
                || next.lead == .htmlInline || !next.isPlain || next.depth != intro.depth { return nil }
            // Prose of its own, the next topic, where the list of members was ("those at highest risk
            // include:"). After "as follows:" or "to break it down:" prose is what was promised.
            let promise = intro.text.dropLast().split(separator: " ").last.map { $0.lowercased() } ?? ""
            guard listPromises.contains(promise), next.sentences.count >= 2, wordCount(text, upTo: 20) >= 20 else { return nil }
            return "introduces a list, but the paragraph after it (line \(firstLine + next.line - 1)) is prose of its own; restore the list (lines starting '- ') or end the sentence"
        default:
            return nil
        }
    }

    static func wordCount(_ text: String) -> Int { text.split(separator: " ").count }

    /// ``wordCount(_:)`` up to `limit`: `min(wordCount(text), limit)`, without splitting the text
    /// into an array of substrings (every paragraph ending in a colon is counted). In ASCII
    /// every byte is a character of its own but for CR LF (no ASCII scalar extends a grapheme
    /// cluster or is prepended to one), so there the words are the runs of bytes other than
    /// 0x20; a text with any other byte is split by characters as before (a space followed by
    /// a combining mark is no separator).
    static func wordCount(_ text: String, upTo limit: Int) -> Int {
        let counted: Int?? = text.utf8.withContiguousStorageIfAvailable { bytes -> Int? in
            var words = 0
            var inWord = false
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                if byte == 0x20 {
                    inWord = false
                } else if !inWord {
                    inWord = true
                    words += 1
                }
            }
            return words
        }
        if let counted = counted ?? nil { return min(counted, limit) }
        return min(wordCount(text), limit)
    }

    /// How items written as paragraphs begin (legacy conversions' `--`).
    static let pseudoItemMarkers = ["--", "–", "—", "•"]

    /// Whether `text` opens with one of ``pseudoItemMarkers``. Each begins with the byte 0x2D or
    /// 0xE2 and none is canonically equivalent to anything but itself, so a text opening with
    /// another byte opens with none of them (most paragraphs: no character is compared).
    static func startsWithPseudoItemMarker(_ text: String) -> Bool {
        guard let first = text.utf8.first, first == 0x2D || first == 0xE2 else { return false }
        return pseudoItemMarkers.contains(where: { text.hasPrefix($0) })
    }

    /// Last words of an intro that promise members, not an explanation.
    static let listPromises: Set<String> = ["include", "includes", "including", "are", "were", "following", "these"]
}

/// `repeated-text`: a prose paragraph, or a sentence of eight words or more, printed twice
/// within one section (or repeating the text before the first heading).
///
/// Only prose is compared: paragraphs outside list items, of eight words or more. Code blocks,
/// tables, headings and list items repeat by design in reference pages and changelogs (a
/// PlatyPS parameter's metadata block, a notable change listed again among the commits, a table
/// of contents). Parallel sections (each parameter, each input type, each CVE) are read on their
/// own, so a sentence they share is meant; the scope is the section, the text under one heading
/// down to the next heading of any level, and the text before the first heading, which every
/// section is compared with (the reference page has no heading at all).
public enum RepeatedTextRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.repeatedText], summary: "A prose paragraph, or a sentence of eight or more words, appears twice in one section.",
        rationale: "The reference page printed its summary twice; repeated prose is a copy or merge gone wrong.")

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        var findings: [Finding] = []
        // The text before the first heading, and the current section's.
        var preambleBlocks = SeenTexts()
        var preambleSentences = SeenTexts()
        var sectionBlocks = SeenTexts()
        var sectionSentences = SeenTexts()
        var inPreamble = true
        // Blocks are read in place, and the texts seen kept as places (``SeenTexts``): a block
        // copied, or a text kept as a dictionary key, was retained, released and hashed (the rule
        // was 6.6% of a cold run's CPU over the generated corpus; this took 1.2% of it off).
        let blocks = body.blocks
        for k in blocks.indices {
            // Headings and paragraphs only are looked at.
            guard blocks[k].kind == .heading || blocks[k].kind == .paragraph else { continue }
            if blocks[k].kind == .heading {
                inPreamble = false
                sectionBlocks.removeAll()
                sectionSentences.removeAll()
                continue
            }
            // Prose only: not a label, not an item written as a paragraph ('-- …', '• …'), not a
            // quoted message or syntax line opening with code.
            guard !blocks[k].inItem, !blocks[k].isLabel, blocks[k].lead != .code, hasEightWords(blocks[k].text[...]),
                  !IntroWithoutListRule.startsWithPseudoItemMarker(blocks[k].text) else { continue }
            let line = firstLine + blocks[k].line - 1
            let paragraph = SeenTexts.Text(blocks[k].text[...], block: k, sentence: -1)
            let earlier = inPreamble ? preambleBlocks.claim(paragraph, line: line, in: blocks)
                : preambleBlocks.line(of: paragraph, in: blocks) ?? sectionBlocks.claim(paragraph, line: line, in: blocks)
            if let first = earlier {
                findings.append(Finding(.repeatedText, path: "", line: line,
                                        "this paragraph repeats line \(first) word for word\(inPreamble || preambleBlocks.line(of: paragraph, in: blocks) == nil ? " in the same section" : ""); remove the copy that does not belong"))
                continue
            }
            var repeats: [Int] = []
            // How often each sentence came again within this paragraph (rarely any).
            var again: [Substring: Int] = [:]
            // Eight words or more: seven spaces (the text is whitespace-collapsed).
            for j in blocks[k].sentences.indices where hasEightWords(blocks[k].sentences[j]) {
                let sentence = SeenTexts.Text(blocks[k].sentences[j], block: k, sentence: j)
                let seen = inPreamble ? preambleSentences.claim(sentence, line: line, in: blocks)
                    : preambleSentences.line(of: sentence, in: blocks) ?? sectionSentences.claim(sentence, line: line, in: blocks)
                // A sentence said twice in one paragraph is parallel wording ("…; specifying any
                // other value results in an error" after each case), not a copy; a third time is.
                guard let first = seen else { continue }
                if first != line {
                    repeats.append(first)
                } else {
                    again[blocks[k].sentences[j], default: 0] += 1
                    if again[blocks[k].sentences[j]] == 2 { repeats.append(first) }
                }
            }
            if let first = repeats.first {
                let what = repeats.count == 1 ? "a sentence" : "\(repeats.count) sentences"
                findings.append(Finding(.repeatedText, path: "", line: line,
                                        "\(what) of this paragraph already appear\(repeats.count == 1 ? "s" : "") on line \(first); remove the repeat"))
            }
        }
        return findings
    }

    /// The texts of one scope (the preamble, or the current section) seen so far, each with the
    /// line it was first seen on. A text is kept as where it is (its block, and its sentence or
    /// -1 for the whole paragraph) with the number of spaces it holds, in 64 lists by that
    /// number: keeping one copies and retains nothing, and emptying a scope clears the heads its
    /// texts used. Equal texts hold as many spaces (no character's canonical decomposition
    /// holds one), so a text is compared, as a string (canonically equivalent texts are one
    /// text), only with those that hold as many.
    struct SeenTexts {
        /// A text looked up: its characters, the spaces it holds, and where it is.
        struct Text {
            let text: Substring
            let spaces: Int
            let block: Int
            let sentence: Int

            init(_ text: Substring, block: Int, sentence: Int) {
                self.text = text
                spaces = RepeatedTextRule.spaces(in: text)
                self.block = block
                self.sentence = sentence
            }
        }

        private struct Entry {
            let spaces: Int
            let block: Int
            let sentence: Int
            let line: Int
            /// The entry before it in its list (-1: none).
            let next: Int
        }

        private var heads = [Int](repeating: -1, count: 64)
        private var entries: [Entry] = []

        /// The line `text` was first seen on in this scope, if it was.
        func line(of text: Text, in blocks: [BodyText.Block]) -> Int? {
            var i = heads[text.spaces & 63]
            while i >= 0 {
                let entry = entries[i]
                if entry.spaces == text.spaces,
                   (entry.sentence < 0 ? blocks[entry.block].text[...] : blocks[entry.block].sentences[entry.sentence]) == text.text {
                    return entry.line
                }
                i = entry.next
            }
            return nil
        }

        /// The line `text` was first seen on in this scope; or, for a text not seen before,
        /// `nil`, and it is kept as seen on `line`.
        mutating func claim(_ text: Text, line: Int, in blocks: [BodyText.Block]) -> Int? {
            if let seen = self.line(of: text, in: blocks) { return seen }
            entries.append(Entry(spaces: text.spaces, block: text.block, sentence: text.sentence, line: line, next: heads[text.spaces & 63]))
            heads[text.spaces & 63] = entries.count - 1
            return nil
        }

        mutating func removeAll() {
            guard !entries.isEmpty else { return }
            for entry in entries { heads[entry.spaces & 63] = -1 }
            entries.removeAll(keepingCapacity: true)
        }
    }

    /// How many spaces `text` holds (every paragraph and long sentence of every article is
    /// counted: ``ByteWords/count(of:in:)``).
    static func spaces(in text: Substring) -> Int {
        var bytes = text
        return bytes.withUTF8 { ByteWords.count(of: 0x20, in: $0) }
    }

    /// Whether the whitespace-collapsed `sentence` has eight words or more: seven spaces.
    static func hasEightWords(_ sentence: Substring) -> Bool {
        var sentence = sentence
        return sentence.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            // Spaces counted eight bytes at a time (every sentence of every paragraph is looked at).
            let raw = UnsafeRawPointer(base)
            var spaces = 0
            var i = 0
            while i + 8 <= bytes.count {
                spaces += ByteWords.count(raw.loadUnaligned(fromByteOffset: i, as: UInt64.self), of: 0x20)
                if spaces >= 7 { return true }
                i += 8
            }
            while i < bytes.count {
                if base[i] == 0x20 { spaces += 1 }
                i += 1
            }
            return spaces >= 7
        }
    }
}

/// `run-in-question`: a question that reads as a heading ("What is …?") runs into a paragraph.
///
/// Questions are ordinary prose (a hook opening a post, a call to action in a list), so only a
/// question where a heading was lost is reported, in a context that reads as questions and
/// answers:
/// - the article has two question headings or more (an FAQ), or three paragraphs or more open with a question
///   (a collapsed FAQ): a paragraph that opens with a question and goes on with its answer;
/// - or, anywhere, a question run into the middle of a paragraph of three sentences or more
///   (the end of one section, the lost heading, the start of the next), as on the reference page.
/// Never inside list items or quotations.
public enum RunInQuestionRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.runInQuestion], summary: "A question heading is run into the text of a paragraph.",
        rationale: "The reference page lost its 'What is the underlying cause …?' heading into the summary.")

    static let questionWords: Set<Substring> = ["What", "How", "Why", "When", "Who", "Which", "Where", "Is", "Are", "Can", "Should",
                                                "Do", "Does", "Will"]

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        // The blocks are read where they are (filtering them into arrays copied each one).
        let blocks = body.blocks
        var questionHeadings = 0
        var questionLed = 0
        for k in blocks.indices {
            if blocks[k].kind == .heading, blocks[k].text.endsWith(ascii: "?") { questionHeadings += 1 }
            if blocks[k].kind == .paragraph, blocks[k].depth == 0, blocks[k].sentences.first.map(isQuestion) == true { questionLed += 1 }
        }
        let faq = questionHeadings >= 2 || questionLed >= 3
        var findings: [Finding] = []
        for k in blocks.indices where blocks[k].kind == .paragraph && blocks[k].depth == 0 {
            let block = blocks[k]
            let sentences = block.sentences
            for (i, sentence) in sentences.enumerated().dropLast() where isQuestion(sentence) {
                let runIn = i > 0 && sentences.count >= 3 && sentence.split(separator: " ").count >= 6
                guard (faq && i == 0) || runIn else { continue }
                let more = sentences.count - i - 1
                findings.append(Finding(.runInQuestion, path: "", line: firstLine + block.line - 1,
                                        "'\(sentence)' reads as a heading run into the paragraph (\(more == 1 ? "1 more sentence follows" : "\(more) more sentences follow")); make it a heading ('## …') on its own line"))
                break
            }
        }
        return findings
    }

    /// A sentence that asks, opening with a question word.
    static func isQuestion(_ sentence: Substring) -> Bool {
        guard sentence.endsWith(ascii: "?"), let first = sentence.split(separator: " ", maxSplits: 1).first else { return false }
        return questionWords.contains(first)
    }
}

/// `heading-structure`: at most one first-level heading (the title) and only as the first
/// block, no skipped levels, no heading without a section.
///
/// Levels are checked relative to the first heading, as markdownlint's MD001 does: a site whose
/// layout renders the title and whose posts start at `###` is not told to re-level each post.
/// Empty sections are found when the body is parsed (``emptySections(_:firstLine:)``) and
/// reported by ``EmptySectionRule``, which knows the policy: headings a template requires may
/// stay empty (`headings: may-be-empty`), and the headings under some sections are their
/// content (`headings: content-under`, PlatyPS's `### None` or a type name under INPUTS).
public enum HeadingStructureRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.headingStructure], summary: "Headings skip a level, repeat the title, or head an empty section.",
        rationale: "Screen readers and readers navigate by headings; a broken outline hides or misplaces content.")

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        var findings: [Finding] = []
        var previousLevel: Int?
        // Only the top-level headings are looked into.
        let tree = body.tree
        for (i, index) in tree.children(of: MarkdownTree.root).enumerated() where tree.nodes[index].kind == .heading {
            let block = tree.nodes[index]
            let line = firstLine + block.line - 1
            // Its text only goes into a finding (most headings have none).
            var text: String { StructureRules.normalized(tree.plainText(index)) }
            if block.level == 1, i > 0 {
                findings.append(Finding(.headingStructure, path: "", line: line,
                                        "'# \(text)' is a second title; the title comes from the front matter or the first heading, so use '## ' for sections"))
            } else if let previous = previousLevel, block.level > previous + 1 {
                findings.append(Finding(.headingStructure, path: "", line: line,
                                        "'\(text)' jumps from level \(previous) to \(block.level); use level \(previous + 1) (or raise the headings above it)"))
            }
            previousLevel = block.level
        }
        return findings
    }

    /// The sections of a body with nothing in them: a heading (below the title level) followed
    /// directly by a heading of its level or above, or by the end.
    public static func emptySections(_ body: BodyText, firstLine: Int) -> [EmptySection] {
        var out: [EmptySection] = []
        // The enclosing headings: (level, text).
        var open: [(level: Int, text: String)] = []
        // The document's own headings, read from the body's blocks: a heading is a block of
        // depth 0, its text is its normalized plain text, and the block after it is the first
        // of its next sibling's, which is that sibling itself where it is a heading (a leaf).
        let blocks = body.blocks
        for k in blocks.indices where blocks[k].kind == .heading && blocks[k].depth == 0 {
            let level = blocks[k].level
            // One of a series: a heading of its level came before it in its parent's section.
            let inSeries = open.last?.level == level
            while let last = open.last, last.level >= level { open.removeLast() }
            let isLast = blocks[k].nextKind == nil
            // The next sibling's level (0: not a heading).
            let nextLevel = blocks[k].nextKind == .heading ? blocks[k + 1].level : 0
            if level > 1, isLast || (blocks[k].nextKind == .heading && nextLevel <= level) {
                out.append(EmptySection(line: firstLine + blocks[k].line - 1, level: level, heading: blocks[k].text,
                                        parent: open.last?.text, nextIsSameLevel: !isLast && nextLevel == level && !inSeries))
            }
            open.append((level, level > 1 || open.isEmpty ? blocks[k].text : ""))
        }
        return out
    }
}

/// A heading with nothing under it before the next heading of its level or above (or the end
/// of the body), as ``HeadingStructureRule/emptySections(_:firstLine:)`` finds it.
public struct EmptySection: Sendable, Equatable {
    /// The heading's file line.
    public var line: Int
    public var level: Int
    /// Its text, whitespace-collapsed.
    public var heading: String
    /// The text of the heading whose section holds it, if any.
    public var parent: String?
    /// Whether the next heading is of the same level and this one opens its series (the next
    /// ones are its would-be sub-sections, perhaps); an empty entry among its siblings is not.
    public var nextIsSameLevel: Bool

    public init(line: Int, level: Int, heading: String, parent: String?, nextIsSameLevel: Bool) {
        self.line = line
        self.level = level
        self.heading = heading
        self.parent = parent
        self.nextIsSameLevel = nextIsSameLevel
    }
}

/// The empty-section half of `heading-structure`, reported with the policy's `headings:` in hand.
public enum EmptySectionRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [], summary: "Reports the empty sections the parse found.", rationale: "See heading-structure.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        let headings = context.configuration.policy.headings
        return context.article.emptySections.compactMap { section in
            guard let message = message(section, headings: headings) else { return nil }
            return Finding(.headingStructure, path: context.path, line: section.line, message)
        }
    }

    /// What to say about an empty section, or `nil` where the policy lets it be.
    public static func message(_ section: EmptySection, headings: Policy.Headings) -> String? {
        // The heading's key is worked out once (a lowercased copy; there are tens of thousands of
        // empty sections on a PlatyPS site), and only where the policy lists headings at all.
        let heading = headings.listedKey(section.heading)
        if let heading, headings.mayBeEmpty(key: heading) { return nil }
        if let parent = section.parent, headings.namesContent(under: parent) { return nil }
        let hashes = String(repeating: "#", count: section.level)
        if let heading, headings.namesContent(underKey: heading) {
            return "the section '\(section.heading)' is empty; add a heading naming what it holds ('\(hashes)# None' if nothing)"
        }
        if section.nextIsSameLevel {
            return "the section '\(section.heading)' is empty and the heading after it is level \(section.level) too; if the headings after it are its sub-sections, make them level \(section.level + 1) ('\(hashes)# '), otherwise write the section"
        }
        return "the section '\(section.heading)' is empty; write it, or remove the heading (where a template requires it, list it under headings: may-be-empty in \(Policy.path))"
    }
}

/// `image-without-alt`: an image with no text for readers who cannot see it.
public enum ImageAltRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.imageWithoutAlt], summary: "An image has no alternative text.",
        rationale: "A reader using a screen reader gets nothing from an image without a description.")

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        var findings: [Finding] = []
        let tree = body.tree
        for index in tree.nodes.indices where tree.nodes[index].kind == .image && StructureRules.normalized(tree.plainText(index)).isEmpty {
            findings.append(Finding(.imageWithoutAlt, path: "", line: firstLine + tree.nodes[index].line - 1,
                                    "the image \(tree.url(index)) has no description; write one between the brackets: ![what it shows](…)"))
        }
        return findings.sorted()
    }
}

/// `unfilled-placeholder`: text a template left to be written: a paragraph that is only a label
/// and an ellipsis (`**Short answer:** …`, what `review new` writes) or a `{{ … }}` placeholder
/// (`{{ Fill in the Description }}`, as PlatyPS writes) outside code. Blocking, and it holds the
/// article back from publishing until the text is written.
public enum UnfilledPlaceholderRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.unfilledPlaceholder], summary: "Text a template left to be written is still a placeholder.",
        rationale: "A reader would get '…' or '{{ Fill in the Description }}' where the answer should be.")

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        var found: [Int: String] = [:]
        // A paragraph that is only a label and an ellipsis. (The blocks are read in place: a
        // loop over them copied each one.)
        let blocks = body.blocks
        for k in blocks.indices where blocks[k].kind == .paragraph || blocks[k].kind == .heading {
            let text = blocks[k].text
            // Both end in three bytes no other text ends in ('…' and '.' are canonically equivalent
            // to nothing but themselves): most texts are passed on their last bytes alone.
            guard text.utf8.count >= 3 else { continue }
            let tail = text.utf8.suffix(3)
            guard tail.elementsEqual([0xE2, 0x80, 0xA6]) || tail.elementsEqual([0x2E, 0x2E, 0x2E]),
                  text.hasSuffix("…") || text.hasSuffix("...") else { continue }
            let label = String(text.dropLast(text.hasSuffix("…") ? 1 : 3)).trimmingCharacters(in: .whitespaces)
            if label.isEmpty || (label.hasSuffix(":") && label.count <= 40) { found[blocks[k].line] = text }
        }
        // `{{ … }}` in text (never in code, which is a node of its own).
        // Only a text with a `{` can hold one (most hold none: their line is not looked up).
        let tree = body.tree
        for index in tree.nodes.indices where tree.nodes[index].kind == .text && tree.literalContains(index, 0x7B) {
            let line = tree.nodes[index].line
            guard found[line] == nil else { continue }
            if let placeholder = Self.placeholder(in: tree.literal(index)) { found[line] = placeholder }
        }
        return found.map { line, placeholder in
            Finding(.unfilledPlaceholder, path: "", line: firstLine + line - 1,
                    "'\(placeholder.prefix(60))' is a placeholder a template left; write the text readers need here (the article is held back from publishing until then)")
        }.sorted()
    }
}

extension UnfilledPlaceholderRule {
    /// The first `{{ words }}` in a text a template left to be filled: words, not code. Not an
    /// MDX/JSX attribute value (`style={{ display: 'inline' }}`, preceded by `=`), nor a
    /// template expression or shortcode (`{{< figure >}}`, `{{ "a" | upcase }}`): the inside
    /// holds a letter and none of `' " : ; < > % = | { }` (labelled on nodejs.org, where every
    /// `{{ … }}` found was a JSX style object).
    public static func placeholder(in text: String) -> String? {
        guard text.containsByte(0x7B) else { return nil }  // no `{`: most text, found without Foundation's search
        var rest = text[...]
        while let open = rest.range(of: "{{"), let close = rest.range(of: "}}", range: open.upperBound..<rest.endIndex) {
            let inside = rest[open.upperBound..<close.lowerBound]
            let attribute = open.lowerBound > rest.startIndex && rest[rest.index(before: open.lowerBound)] == "="
            if !attribute, inside.contains(where: \.isLetter), !inside.contains(where: { "'\":;<>%=|{}".contains($0) }) {
                return String(rest[open.lowerBound..<close.upperBound])
            }
            rest = rest[close.upperBound...]
        }
        return nil
    }
}

/// `raw-html-shown`: raw HTML in an article is never passed through to pages (it could carry
/// script), so a reader sees it as literal text (`<div class="callout">` on a patient's page).
/// Comments are not shown, and are not reported; nor is `<br>`, which pages render as a line
/// break (the only way to break a line inside a table cell).
public enum RawHTMLRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.rawHTMLShown], summary: "Raw HTML that published pages show as literal text.",
        rationale: "Pages never pass raw HTML through, so readers would see the tags themselves.")

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        var findings: [Finding] = []
        var lines: Set<Int> = []
        let tree = body.tree
        for index in tree.nodes.indices where tree.nodes[index].kind == .htmlBlock || tree.nodes[index].kind == .htmlInline {
            let kind = tree.nodes[index].kind
            let literal = tree.literal(index)
            guard !Alert.isComment(literal), !(kind == .htmlInline && MarkdownHTML.isLineBreakTag(literal)) else { continue }
            let line = firstLine + tree.nodes[index].line - 1
            guard lines.insert(line).inserted else { continue }
            let tag = literal.trimmingCharacters(in: .whitespacesAndNewlines).prefix(40)
            findings.append(Finding(.rawHTMLShown, path: "", line: line,
                                    "raw HTML '\(tag)' is shown to readers as text, since pages never pass HTML through; write it in Markdown (a callout is '> [!NOTE]', a line break a blank line)"))
        }
        return findings.sorted()
    }
}

/// A paragraph's text as a reader sees it (markup gone, whitespace collapsed), kept as the
/// first 16 bytes of its SHA-256: enough to tell whether a disclaimer stands as a paragraph of
/// its own, small enough for the article cache.
public struct PlainParagraph: Hashable, Sendable {
    /// The digest's two halves (plain values: no allocation per paragraph).
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    public init(_ normalizedText: String) {
        var text = normalizedText
        // Fed its bytes directly: `SHA256.hash(data:)` is generic over DataProtocol, unspecialized
        // across the module boundary (a metadata lookup per region of every plain paragraph).
        let digest = text.withUTF8 { bytes in
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
            return hasher.finalize()
        }
        (high, low) = digest.withUnsafeBytes { bytes in
            (UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
             UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }

    /// Each paragraph of a Markdown text (such as a disclaimer file), as a reader sees it.
    public static func of(markdown: String) -> [PlainParagraph] {
        BodyText(MarkdownParser.parseTree(markdown)).paragraphs.map { PlainParagraph($0.text) }
    }
}

/// A relative address in an article (`asthma.md`, `images/mri.png`) and the line it is on.
public struct RelativeLink: Sendable, Equatable {
    public var url: String
    public var line: Int

    public init(url: String, line: Int) {
        self.url = url
        self.line = line
    }
}

/// `broken-link`: a relative link or image that leads to nothing at the revision. The parse
/// keeps the addresses (``Article/relativeLinks``); the loader, which knows the revision's
/// files, reports the ones that lead nowhere.
public enum BrokenLinkRule {
    public static let description = RuleDescription(
        ids: [.brokenLink], summary: "A link or image leads to an article or file that does not exist at the revision.",
        rationale: "Readers follow links between articles; a page must not send them nowhere, or show a missing image.")
}

/// `link-case-mismatch`: a link whose target exists, but with other letter case. A finding of
/// its own, a warning, rather than `broken-link`: the link works where the site is built
/// case-insensitively (Microsoft Learn lowercases every URL; Windows and macOS checkouts) and
/// breaks only where paths are case-sensitive, so a team can turn it off per category
/// (`rules: link-case-mismatch: …`) without losing the links that lead nowhere. The remedy is
/// to write the real file's name, never to add a file whose name differs only in case.
public enum LinkCaseRule {
    public static let description = RuleDescription(
        ids: [.linkCaseMismatch], summary: "A link's target exists, but with other letter case.",
        rationale: "It works on case-insensitive hosts and breaks on case-sensitive ones (GitHub, a Linux server); adding the file in the link's case would collide with the real one on Windows and macOS.")
}
