import Paths
import Foundation

/// Render integrity (issue 17, item 3): every heading, list item, table row, code block and
/// paragraph of the Markdown arrives on the rendered page, with its text, in order. `publish`
/// checks the page of every article it would publish (the renderer's own output for that text)
/// and holds back one that lost a block, naming the block. (`status` does not run it: the
/// renderer is deterministic, and rendering every article would add a fifth to a cold run.)
public enum RenderIntegrity {
    public static let description = RuleDescription(
        ids: [.renderIntegrity], summary: "The rendered page lost a heading, list item, table row, code block or paragraph of the source.",
        rationale: "The reference page shipped with its lists gone; the page must carry every block the reviewers approved.")

    /// One problem per block of `markdown` whose text is missing from `html` (searched in order).
    public static func problems(markdown: String, html: String, firstLine: Int = 1) -> [Finding] {
        problems(MarkdownParser.parse(markdown), html: html, firstLine: firstLine)
    }

    public static func problems(_ document: MarkdownNode, html: String, firstLine: Int) -> [Finding] {
        let page = Array(pageText(html).utf8)
        var findings: [Finding] = []
        var from = 0
        for block in leafBlocks(document) {
            let text = Array(StructureRules.normalized(block.plainText).utf8)
            guard !text.isEmpty else { continue }
            if let at = find(text, in: page, from: from) {
                from = at + text.count
            } else {
                let name = block.kind == .heading ? "heading" : block.kind == .tableRow ? "table row" : block.kind == .codeBlock ? "code block" : "paragraph"
                let excerpt = String(decoding: text.prefix(40), as: UTF8.self)
                findings.append(Finding(.renderIntegrity, path: "", line: firstLine + block.line - 1,
                                        "the \(name) '\(excerpt)…' does not arrive on the rendered page; the page is held back (report this as a bug)"))
            }
        }
        return findings
    }

    /// The blocks whose text a reader must find: paragraphs (in list items and quotes too),
    /// headings, code blocks, raw HTML blocks and table rows, in reading order.
    static func leafBlocks(_ node: MarkdownNode) -> [MarkdownNode] {
        var out: [MarkdownNode] = []
        for child in node.children {
            switch child.kind {
            case .paragraph, .heading, .codeBlock, .htmlBlock, .tableRow: out.append(child)
            case .list, .item, .blockQuote, .table: out += leafBlocks(child)
            default: break
            }
        }
        return out
    }

    /// The page's text as a reader gets it: block tags become spaces, inline tags vanish, an
    /// image counts as its `alt`, entities are decoded, whitespace is collapsed.
    static func pageText(_ html: String) -> String {
        let bytes = Array(html.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var text = 0  // where the text since the last tag starts
        var i = 0
        while i < bytes.count {
            guard bytes[i] == UInt8(ascii: "<") else { i += 1; continue }
            decodeEntities(bytes[text..<i], into: &out)
            guard let close = bytes[i...].firstIndex(of: UInt8(ascii: ">")) else { text = bytes.count; break }
            let tag = bytes[(i + 1)..<close]
            var start = tag.startIndex
            while start < tag.endIndex, tag[start] == UInt8(ascii: "/") { start += 1 }
            var end = start
            while end < tag.endIndex, isAlphanumeric(tag[end]) { end += 1 }
            let name = tag[start..<end].map { $0 | 0x20 }  // ASCII lowercase (tag names are letters and digits)
            if name == Array("img".utf8), let alt = attribute(Array(" alt=\"".utf8), in: tag) { decodeEntities(alt, into: &out) }
            if blockTags.contains(name) { out.append(0x20) }
            i = close + 1
            text = i
        }
        if text < bytes.count { decodeEntities(bytes[text...], into: &out) }
        return StructureRules.normalized(String(decoding: out, as: UTF8.self))
    }

    private static let blockTags: Set<[UInt8]> = Set(["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "td", "th", "blockquote", "pre", "ul",
                                                      "ol", "table", "thead", "tbody", "aside", "hr", "br", "div"].map { Array($0.utf8) })

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// The value of the attribute whose ` name="` opening is given, up to its closing quote.
    private static func attribute(_ opening: [UInt8], in tag: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        var i = tag.startIndex
        while i + opening.count <= tag.endIndex {
            if tag[i..<(i + opening.count)].elementsEqual(opening) {
                let from = i + opening.count
                let to = tag[from...].firstIndex(of: UInt8(ascii: "\"")) ?? tag.endIndex
                return tag[from..<to]
            }
            i += 1
        }
        return nil
    }

    /// Appends `text` with the entities the renderer writes decoded (one pass).
    static func decodeEntities(_ text: ArraySlice<UInt8>, into out: inout [UInt8]) {
        var i = text.startIndex
        outer: while i < text.endIndex {
            if text[i] == UInt8(ascii: "&") {
                for entity in entities where text[i...].starts(with: entity.name) {
                    out.append(entity.byte)
                    i += entity.name.count
                    continue outer
                }
            }
            out.append(text[i])
            i += 1
        }
    }

    private static let entities: [(name: [UInt8], byte: UInt8)] = [
        (Array("&lt;".utf8), UInt8(ascii: "<")), (Array("&gt;".utf8), UInt8(ascii: ">")), (Array("&quot;".utf8), UInt8(ascii: "\"")),
        (Array("&apos;".utf8), UInt8(ascii: "'")), (Array("&#10;".utf8), 0x0A), (Array("&#9;".utf8), 0x09), (Array("&#13;".utf8), 0x0D),
        (Array("&amp;".utf8), UInt8(ascii: "&")),
    ]

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard needle.count <= haystack.count - from else { return nil }
        var i = from
        while i + needle.count <= haystack.count {
            if haystack[i] == needle[0], haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

extension String {
    /// The text with the entities the renderer writes decoded.
    func replacingEntities() -> String {
        var out: [UInt8] = []
        RenderIntegrity.decodeEntities(Array(utf8)[...], into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
