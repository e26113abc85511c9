import Paths
import Crypto
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
        /// ``StructureRules/normalized(_:)`` of the block's plain text (paragraphs, headings,
        /// code blocks and tables; empty for other blocks).
        public let text: String
        /// The kind of the block after it among its siblings (`nil` for the last).
        public let nextKind: MarkdownNode.Kind?
        /// Its sentences (paragraphs only; empty for other blocks), as slices of ``text``.
        public let sentences: [Substring]
        /// A paragraph a reader sees as plain text: nothing but text, breaks, emphasis and
        /// strong emphasis in it (no link, code, image or raw HTML). `false` for other blocks.
        public let isPlain: Bool
    }

    public let document: MarkdownNode
    public let blocks: [Block]

    /// Whether some rule compares the text of blocks of this kind (paragraphs, headings, code
    /// blocks, tables). A switch, not a set: a set of these kinds hashes each one's name.
    static func isTextKind(_ kind: MarkdownNode.Kind) -> Bool {
        switch kind {
        case .paragraph, .heading, .codeBlock, .table: true
        default: false
        }
    }

    public init(_ document: MarkdownNode) {
        self.document = document
        var blocks: [Block] = []
        blocks.reserveCapacity(document.children.count)
        // The nodes are borrowed, not copied, as they are visited.
        func visit(_ siblings: UnsafePointer<MarkdownNode>, _ count: Int) {
            for i in 0..<count {
                let kind = siblings[i].kind
                switch kind {
                case .list, .item, .blockQuote:
                    siblings[i].children.withBorrowedNodes(visit)
                default:
                    // Only the kinds a rule reads have their text worked out (raw HTML, often
                    // large in MDX pages, is read by none).
                    let text = Self.isTextKind(kind) ? StructureRules.normalized(siblings[i].plainText) : ""
                    blocks.append(Block(kind: kind, line: siblings[i].line, text: text, nextKind: i + 1 < count ? siblings[i + 1].kind : nil,
                                        sentences: kind == .paragraph ? StructureRules.sentences(text, normalized: true) : [],
                                        isPlain: kind == .paragraph && Self.allPlain(siblings[i].children)))
                }
            }
        }
        document.children.withBorrowedNodes(visit)
        self.blocks = blocks
    }

    /// Whether every node is text, a break, or emphasis of such nodes.
    private static func allPlain(_ nodes: [MarkdownNode]) -> Bool {
        nodes.withBorrowedNodes { nodes, count in
            (0..<count).allSatisfy { i in
                switch nodes[i].kind {
                case .text, .softBreak, .lineBreak: true
                case .emphasis, .strong: allPlain(nodes[i].children)
                default: false
                }
            }
        } ?? true
    }

    /// The paragraphs, in reading order.
    public var paragraphs: some Sequence<Block> { blocks.lazy.filter { $0.kind == .paragraph } }
}

public enum StructureRules {
    public static let all: [any StructureRule.Type] = [
        IntroWithoutListRule.self, RepeatedTextRule.self, RunInQuestionRule.self, HeadingStructureRule.self, ImageAltRule.self,
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
        var out: [RelativeLink] = []
        // A node without a line of its own (inline nodes) is on its parent's.
        // The nodes are read in place (a node passed by value would be copied).
        func visit(_ node: UnsafePointer<MarkdownNode>, line: Int) {
            let here = node.pointee.line > 0 ? firstLine + node.pointee.line - 1 : line
            if node.pointee.kind == .link || node.pointee.kind == .image {
                let url = node.pointee.url
                if SiteLinks.isRelative(url), !url.hasPrefix("#") { out.append(RelativeLink(url: url, line: here)) }
            }
            node.pointee.children.withBorrowedNodes { children, count in
                for i in 0..<count { visit(children + i, line: here) }
            }
        }
        withUnsafePointer(to: document) { visit($0, line: 0) }
        return out.sorted { ($0.line, $0.url) < ($1.line, $1.url) }
    }

    /// The paragraphs a reader sees as plain text: no link, code, image or raw HTML in them.
    public static func plainParagraphs(_ document: MarkdownNode) -> [PlainParagraph] {
        plainParagraphs(BodyText(document))
    }

    public static func plainParagraphs(_ body: BodyText) -> [PlainParagraph] {
        body.paragraphs.filter(\.isPlain).map { PlainParagraph($0.text) }
    }

    /// Every structure finding for an article body (paths are set by the caller).
    public static func check(body: String, firstLine: Int) -> [Finding] {
        check(MarkdownParser.parse(body), firstLine: firstLine)
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
            return String(unsafeUninitializedCapacity: source.count) { out in
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

    /// Where sentences end: each space after a `.`, `?` or `!`. Eight bytes are looked at a time
    /// (sentence marks are rare beside the bytes between them; every paragraph is split).
    static func sentenceCuts(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        var cuts: [Int] = []
        guard let base = bytes.baseAddress, bytes.count > 1 else { return cuts }
        @inline(__always) func isMark(_ byte: UInt8) -> Bool { byte == 0x2E || byte == 0x3F || byte == 0x21 }
        let raw = UnsafeRawPointer(base)
        // The byte at i is a mark followed by a space at i + 1 (so the last byte is never a mark looked at).
        var i = 0
        let last = bytes.count - 1
        while i + 8 <= last {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if ByteWords.any(word, is: 0x2E) || ByteWords.any(word, is: 0x3F) || ByteWords.any(word, is: 0x21) {
                for j in i..<(i + 8) where isMark(base[j]) && base[j + 1] == 0x20 { cuts.append(j + 1) }
            }
            i += 8
        }
        while i < last {
            if isMark(base[i]) && base[i + 1] == 0x20 { cuts.append(i + 1) }
            i += 1
        }
        return cuts
    }
}

/// `list-intro-without-list`: a paragraph that introduces a list ("…include:") with no list,
/// table or code block after it.
public enum IntroWithoutListRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.introWithoutList], summary: "A paragraph ends in a colon, introducing a list, but no list follows.",
        rationale: "The reference page lost both its lists this way: readers saw 'those at highest risk include:' and then nothing.")

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        var findings: [Finding] = []
        for block in body.paragraphs where block.text.hasSuffix(":") {
            if block.nextKind == .list || block.nextKind == .table || block.nextKind == .codeBlock { continue }
            let tail = block.text.split(separator: " ").suffix(4).joined(separator: " ")
            findings.append(Finding(.introWithoutList, path: "", line: firstLine + block.line - 1,
                                    "'…\(tail)' introduces a list, but no list follows; restore the list (lines starting '- ') or end the sentence"))
        }
        return findings
    }
}

/// `repeated-text`: a block, or a sentence of eight words or more, printed twice.
public enum RepeatedTextRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.repeatedText], summary: "A block, or a sentence of eight or more words, appears twice in the body.",
        rationale: "The reference page printed its summary twice; repeated text is a copy or merge gone wrong.")

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        var findings: [Finding] = []
        var seenBlocks: [String: Int] = [:]
        var seenSentences: [Substring: Int] = [:]
        seenBlocks.reserveCapacity(body.blocks.count)
        seenSentences.reserveCapacity(body.blocks.count * 2)
        for entry in body.blocks where BodyText.isTextKind(entry.kind) {
            let line = firstLine + entry.line - 1
            let text = entry.text
            guard !text.isEmpty else { continue }
            // One lookup each: the text is hashed once whether it is new or a repeat.
            if let first = claim(&seenBlocks[text, default: -1], for: line) {
                findings.append(Finding(.repeatedText, path: "", line: line, "this block repeats line \(first) word for word; remove one of them"))
                continue
            }
            guard entry.kind == .paragraph else { continue }
            var repeats: [Int] = []
            // Eight words or more: seven spaces (the text is whitespace-collapsed).
            for sentence in entry.sentences where hasEightWords(sentence) {
                if let first = claim(&seenSentences[sentence, default: -1], for: line) { repeats.append(first) }
            }
            if let first = repeats.first {
                let what = repeats.count == 1 ? "a sentence" : "\(repeats.count) sentences"
                findings.append(Finding(.repeatedText, path: "", line: line,
                                        "\(what) of this paragraph already appear\(repeats.count == 1 ? "s" : "") on line \(first); remove the repeat"))
            }
        }
        return findings
    }

    /// The line a text was first seen on (`slot` holds it, or -1 for a text not seen before: it
    /// is then claimed for `line`, and `nil` returned).
    @inline(__always)
    private static func claim(_ slot: inout Int, for line: Int) -> Int? {
        if slot >= 0 { return slot }
        slot = line
        return nil
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
public enum RunInQuestionRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.runInQuestion], summary: "A question heading is run into the text of a paragraph.",
        rationale: "The reference page lost its 'What is the underlying cause …?' heading into the summary.")

    static let questionWords: Set<String> = ["What", "How", "Why", "When", "Who", "Which", "Where", "Is", "Are", "Can", "Should",
                                             "Do", "Does", "Will"]

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        var findings: [Finding] = []
        for block in body.paragraphs {
            let sentences = block.sentences
            for (i, sentence) in sentences.enumerated().dropLast() where sentence.hasSuffix("?") {
                guard let first = sentence.split(separator: " ").first, questionWords.contains(String(first)) else { continue }
                findings.append(Finding(.runInQuestion, path: "", line: firstLine + block.line - 1,
                                        "'\(sentence)' reads as a heading run into the paragraph (\(sentences.count - i - 1) more sentence\(sentences.count - i - 1 == 1 ? "" : "s") follow); make it a heading ('## …') on its own line"))
                break
            }
        }
        return findings
    }
}

/// `heading-structure`: at most one first-level heading (the title) and only as the first
/// block, no skipped levels, no heading without a section.
public enum HeadingStructureRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.headingStructure], summary: "Headings skip a level, repeat the title, or head an empty section.",
        rationale: "Screen readers and readers navigate by headings; a broken outline hides or misplaces content.")

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        var findings: [Finding] = []
        var previousLevel = 1
        // The top-level nodes are borrowed; only headings are looked into.
        body.document.children.withBorrowedNodes { blocks, count in
            for i in 0..<count where blocks[i].kind == .heading {
                let block = blocks[i]
                let line = firstLine + block.line - 1
                // Its text only goes into a finding (most headings have none).
                var text: String { StructureRules.normalized(block.plainText) }
                if block.level == 1, i > 0 {
                    findings.append(Finding(.headingStructure, path: "", line: line,
                                            "'# \(text)' is a second title; the title comes from the front matter, so use '## ' for sections"))
                } else if block.level > previousLevel + 1 {
                    findings.append(Finding(.headingStructure, path: "", line: line,
                                            "'\(text)' jumps from level \(previousLevel) to \(block.level); use level \(previousLevel + 1)"))
                }
                let isLast = i + 1 == count
                if block.level > 1, isLast || (blocks[i + 1].kind == .heading && blocks[i + 1].level <= block.level) {
                    findings.append(Finding(.headingStructure, path: "", line: line, "the section '\(text)' is empty; write it or remove the heading"))
                }
                previousLevel = block.level
            }
        }
        return findings
    }
}

/// `image-without-alt`: an image with no text for readers who cannot see it.
public enum ImageAltRule: StructureRule {
    public static let description = RuleDescription(
        ids: [.imageWithoutAlt], summary: "An image has no alternative text.",
        rationale: "A reader using a screen reader gets nothing from an image without a description.")

    public static func check(_ body: BodyText, firstLine: Int) -> [Finding] {
        var findings: [Finding] = []
        body.document.forEachNode { node in
            if node.pointee.kind == .image, StructureRules.normalized(node.pointee.plainText).isEmpty {
                findings.append(Finding(.imageWithoutAlt, path: "", line: firstLine + node.pointee.line - 1,
                                        "the image \(node.pointee.url) has no description; write one between the brackets: ![what it shows](…)"))
            }
        }
        return findings.sorted()
    }
}

/// `hidden-characters`: bidirectional controls or invisible characters in an article, which
/// can make what a reviewer read differ from what a reader sees (or from what a rule matched).
public enum HiddenCharacterRule {
    public static let description = RuleDescription(
        ids: [.hiddenCharacters], summary: "The article holds bidirectional control or invisible characters.",
        rationale: "They can reorder or hide text on screen (Trojan Source): what was reviewed must be what is seen.")

    /// The lines of a file's bytes that hold such a character. Every such character's UTF-8
    /// begins with one of a few bytes; most articles hold none of the sequences, so the bytes
    /// are looked at before they are decoded and split into lines.
    public static func check(bytes: [UInt8]) -> [Finding] {
        guard mayHoldHidden(bytes) else { return [] }
        let text = String(decoding: bytes, as: UTF8.self)
        var findings: [Finding] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // A byte order mark opening the file is an encoding mark, not text.
            let scalars = i == 0 && line.unicodeScalars.first == "\u{FEFF}" ? line.unicodeScalars.dropFirst()[...] : line.unicodeScalars[...]
            guard let scalar = scalars.first(where: isHidden) else { continue }
            findings.append(Finding(.hiddenCharacters, path: "", line: i + 1,
                                    String(format: "an invisible or direction-changing character (U+%04X) is in this line; delete it", scalar.value)))
        }
        return findings
    }

    /// Whether the bytes hold the UTF-8 of any character ``isHidden(_:)`` names.
    static func mayHoldHidden(_ bytes: [UInt8]) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            switch bytes[i] {
            case 0xE2 where i + 2 < n:
                let (b1, b2) = (bytes[i + 1], bytes[i + 2])
                if b1 == 0x80 && ((0x8B...0x8F).contains(b2) || (0xAA...0xAE).contains(b2)) { return true }
                if b1 == 0x81 && ((0xA0...0xA4).contains(b2) || (0xA6...0xA9).contains(b2)) { return true }
            case 0xEF where i + 2 < n: if bytes[i + 1] == 0xBB && bytes[i + 2] == 0xBF { return true }
            case 0xD8 where i + 1 < n: if bytes[i + 1] == 0x9C { return true }
            case 0xC2 where i + 1 < n: if bytes[i + 1] == 0xAD { return true }
            case 0xE1 where i + 2 < n: if bytes[i + 1] == 0xA0 && bytes[i + 2] == 0x8E { return true }
            default: break
            }
            i += 1
        }
        return false
    }

    static func isHidden(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0x061C, 0x00AD, 0xFEFF, 0x180E: true
        default: false
        }
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
        let digest = text.withUTF8 { SHA256.hash(data: $0) }
        (high, low) = digest.withUnsafeBytes { bytes in
            (bytes[0..<8].reduce(0) { $0 << 8 | UInt64($1) }, bytes[8..<16].reduce(0) { $0 << 8 | UInt64($1) })
        }
    }

    /// Each paragraph of a Markdown text (such as a disclaimer file), as a reader sees it.
    public static func of(markdown: String) -> [PlainParagraph] {
        BodyText(MarkdownParser.parse(markdown)).paragraphs.map { PlainParagraph($0.text) }
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
