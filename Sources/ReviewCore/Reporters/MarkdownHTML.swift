import Paths
import Foundation
/// Renders an article's Markdown to HTML from cmark-gfm's syntax tree (``MarkdownParser``):
/// CommonMark with GitHub's tables, strikethrough, autolinks and task lists.
///
/// Every text is escaped; raw HTML in the source is shown as text, never passed through; links
/// and images may only use http, https, mailto or a relative address (others keep their text
/// and lose the link), so no article can inject markup or script. The output is well-formed
/// XML (XHTML syntax) as well as HTML.
public enum MarkdownHTML {
    /// - Parameter links: where the article's relative links lead on the site.
    public static func render(_ markdown: String, links: SiteLinks = SiteLinks()) -> String {
        render(MarkdownParser.parse(markdown), links: links)
    }

    /// Renders an already parsed document.
    public static func render(_ document: MarkdownNode, links: SiteLinks = SiteLinks()) -> String {
        var out = ""
        for block in document.children { render(block, links, into: &out) }
        return out
    }

    private static func render(_ node: MarkdownNode, _ links: SiteLinks, into out: inout String, tight: Bool = false) {
        func children(tight: Bool = false) { for child in node.children { render(child, links, into: &out, tight: tight) } }
        switch node.kind {
        case .document, .other:
            children()
        case .paragraph:
            // In a tight list, paragraphs are the item's text itself.
            if tight { children(); return }
            out += "<p>"; children(); out += "</p>\n"
        case .heading:
            let level = min(max(node.level, 1), 6)
            out += "<h\(level)>"; children(); out += "</h\(level)>\n"
        case .blockQuote:
            // A GitHub alert (`> [!WARNING]` on the quote's first line) is a callout, titled.
            if let alert = Alert.of(node) {
                out += "<div class=\"callout \(alert.kind)\" role=\"note\">\n<p class=\"callout-title\"><strong>\(alert.title)</strong></p>\n"
                for child in alert.rest { render(child, links, into: &out) }
                out += "</div>\n"
                return
            }
            out += "<blockquote>\n"; children(); out += "</blockquote>\n"
        case .list:
            let isTight = node.children.allSatisfy { item in item.children.count <= 1 }
            if node.ordered {
                out += node.start == 1 ? "<ol>\n" : "<ol start=\"\(node.start)\">\n"
            } else {
                out += "<ul>\n"
            }
            for item in node.children { render(item, links, into: &out, tight: isTight) }
            out += node.ordered ? "</ol>\n" : "</ul>\n"
        case .item:
            out += "<li>"
            if let checked = node.checked {
                out += checked ? "<input type=\"checkbox\" checked=\"checked\" disabled=\"disabled\"/> "
                    : "<input type=\"checkbox\" disabled=\"disabled\"/> "
            }
            for child in node.children { render(child, links, into: &out, tight: tight) }
            out += "</li>\n"
        case .codeBlock:
            out += "<pre><code>" + escape(node.literal) + "</code></pre>\n"
        case .htmlBlock:
            // A comment is for authors (review-ignore, notes), never shown; other raw HTML is
            // shown as text, never passed through (the raw-html-shown rule reports it).
            if Alert.isComment(node.literal) { return }
            out += "<p>" + escape(node.literal) + "</p>\n"
        case .thematicBreak:
            out += "<hr/>\n"
        case .table:
            out += "<table>\n"
            let header = node.children.filter(\.isHeader), body = node.children.filter { !$0.isHeader }
            if !header.isEmpty { out += "<thead>\n"; for row in header { render(row, links, into: &out) }; out += "</thead>\n" }
            if !body.isEmpty { out += "<tbody>\n"; for row in body { render(row, links, into: &out) }; out += "</tbody>\n" }
            out += "</table>\n"
        case .tableRow:
            out += "<tr>"
            let tag = node.isHeader ? "th" : "td"
            for cell in node.children {
                out += "<\(tag)>"; render(cell, links, into: &out); out += "</\(tag)>"
            }
            out += "</tr>\n"
        case .tableCell:
            children()
        case .text:
            out += escape(node.literal)
        case .softBreak:
            out += "\n"
        case .lineBreak:
            out += "<br/>\n"
        case .code:
            out += "<code>" + escape(node.literal) + "</code>"
        case .htmlInline:
            if Alert.isComment(node.literal) { return }
            // `<br>` alone (no attributes) is a line break, the only one a table cell can hold;
            // any other HTML is shown as text.
            out += Self.isLineBreakTag(node.literal) ? "<br/>" : escape(node.literal)
        case .emphasis:
            out += "<em>"; children(); out += "</em>"
        case .strong:
            out += "<strong>"; children(); out += "</strong>"
        case .strikethrough:
            out += "<del>"; children(); out += "</del>"
        case .link:
            guard isSafe(node.url) else { children(); return }
            out += "<a href=\"\(escape(links.href(node.url)))\"" + (node.title.isEmpty ? "" : " title=\"\(escape(node.title))\"") + ">"
            children()
            out += "</a>"
        case .image:
            let alt = node.children.map(\.plainText).joined()
            guard isSafe(node.url) else { out += escape(alt); return }
            out += "<img src=\"\(escape(links.href(node.url)))\" alt=\"\(escape(alt))\"/>"
        }
    }

    static func isSafe(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") { return true }
        // Relative: no scheme before the first slash, question mark or hash.
        let head = lower.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !head.contains(":")
    }

    /// Escapes text for HTML and XML content and attribute values: `& < > " '` and carriage
    /// return as references, tab and line feed kept, characters XML 1.0 cannot carry (other
    /// controls, U+FFFE, U+FFFF) replaced with U+FFFD. One pass over the UTF-8 bytes.
    public static func escape(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "&"): out += Array("&amp;".utf8)
            case UInt8(ascii: "<"): out += Array("&lt;".utf8)
            case UInt8(ascii: ">"): out += Array("&gt;".utf8)
            case UInt8(ascii: "\""): out += Array("&quot;".utf8)
            case UInt8(ascii: "'"): out += Array("&apos;".utf8)
            case 0x0D: out += Array("&#13;".utf8)
            case 0x09, 0x0A: out.append(byte)
            case 0x00..<0x20: out += [0xEF, 0xBF, 0xBD]
            case 0xEF where i + 2 < bytes.count && bytes[i + 1] == 0xBF && (bytes[i + 2] == 0xBE || bytes[i + 2] == 0xBF):
                out += [0xEF, 0xBF, 0xBD]  // U+FFFE, U+FFFF
                i += 2
            default: out.append(byte)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `<br>`, `<br/>` or `<br />`, in any letter case, with nothing else: a line break.
    public static func isLineBreakTag(_ html: String) -> Bool {
        let bytes = Array(html.utf8.lazy.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 })
        return bytes == Array("<br>".utf8) || bytes == Array("<br/>".utf8) || bytes == Array("<br />".utf8)
    }
}


/// Where one article's relative links lead on the site, whose pages all sit at its root: to
/// another article (`x.md`, `../section/x.md#part`) its page (`x.html#part`); to another file
/// of the repository (an image, a PDF) its copy under `assets/`, at its path below the
/// articles directory.
public struct SiteLinks: Sendable {
    /// The folder of the article's file (`Articles/neurology`); empty when unknown.
    public var directory: String
    /// Where articles live, to name the page another article is published as.
    public var content: ContentRoots

    public init(articlePath path: GitPath = "", content: ContentRoots = ContentRoots()) {
        let articlePath = path.text
        let bytes = articlePath.utf8
        if Self.isPlainPath(articlePath) {
            // A path as git names files (ASCII, no empty part): its folder is what precedes the last slash.
            directory = bytes.lastIndex(of: 0x2F).map { String(articlePath[..<$0]) } ?? ""
        } else {
            directory = Self.slashSeparated(articlePath).dropLast().joined(separator: "/")
        }
        self.content = content
    }

    /// The page or asset address for a link as written in the article.
    public func href(_ url: String) -> String {
        let path = url.prefix { $0 != "#" && $0 != "?" }
        let suffix = url.dropFirst(path.count)
        if path.hasSuffix(".md"), Self.isRelative(url) {
            if !content.isDefault, let target = Self.resolve(String(path), from: directory).map({ GitPath($0) }), content.isArticle(target) {
                return content.pageName(of: target) + ".html" + suffix
            }
            return (path.split(separator: "/").last.map { String($0.dropLast(3)) } ?? "") + ".html" + suffix
        }
        guard !path.isEmpty, let file = Self.resolve(String(path), from: directory) else { return url }
        let site = Self.assetPath(file)
        return (site.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? site) + suffix
    }

    /// Where a repository file is copied on the site.
    public static func assetPath(_ repositoryPath: String) -> String {
        let prefix = ContentLayout.articlesDirectory + "/"
        return "assets/" + (repositoryPath.hasPrefix(prefix) ? String(repositoryPath.dropFirst(prefix.count)) : repositoryPath)
    }

    /// The repository paths of the files (not articles) an article links or shows: what
    /// publishing must carry beside its page. Read from the links the parse found
    /// (``Article/relativeLinks``), so exactly what the page renders.
    public static func assetPaths(of article: Article) -> [GitPath] {
        let directory = SiteLinks(articlePath: article.path).directory
        var out: [GitPath] = []
        for link in article.relativeLinks {
            let path = link.url.prefix { $0 != "#" && $0 != "?" }
            guard !path.isEmpty, !path.hasSuffix(".md"), let file = resolve(String(path), from: directory).map({ GitPath($0) }),
                  !out.contains(file) else { continue }
            out.append(file)
        }
        return out
    }

    public static func isRelative(_ url: String) -> Bool {
        if let answer = url.utf8.withContiguousStorageIfAvailable({ isRelative(asciiBytes: $0) }), let answer { return answer }
        let head = url.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !head.contains(":") && !url.hasPrefix("/") && !url.hasPrefix("#")
    }

    /// ``isRelative(_:)`` of an address's UTF-8, where it is ASCII (nearly every address: each
    /// byte is a character, so the bytes answer alike, in one pass); `nil` where it is not.
    public static func isRelative(asciiBytes bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        var colon = false
        var headEnded = false  // at the first `/`, `?` or `#`
        for byte in bytes {
            if byte >= 0x80 { return nil }
            if !headEnded {
                if byte == 0x2F || byte == 0x3F || byte == 0x23 { headEnded = true } else if byte == 0x3A { colon = true }
            }
        }
        return !colon && bytes.first != 0x2F && bytes.first != 0x23
    }

    /// The repository path a relative address names from `directory`, or `nil` when it is not
    /// relative or climbs out of the repository.
    public static func resolve(_ url: String, from directory: String) -> String? {
        guard isRelative(url), !url.hasPrefix("#") else { return nil }
        if let resolved = resolvedPlain(url, from: directory) { return resolved }
        // Slices, not copies; only a part with a percent sign is decoded (every link of every
        // article is resolved on every run).
        var parts = slashSeparated(directory)
        for part in slashSeparated(url) {
            switch part {
            case ".": continue
            case "..": guard !parts.isEmpty else { return nil }; parts.removeLast()
            default: parts.append(part.utf8.contains(UInt8(ascii: "%")) ? Substring(part.removingPercentEncoding ?? String(part)) : part)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// ``resolve(_:from:)`` for the addresses nearly every link has (ASCII, no percent sign),
    /// worked out on the bytes with no list of parts: `.some` of its answer, or `nil` for any
    /// other address.
    private static func resolvedPlain(_ url: String, from directory: String) -> String?? {
        var url = url, directory = directory
        return url.withUTF8 { u -> String?? in
            directory.withUTF8 { d -> String?? in
                guard !u.contains(where: { $0 >= 0x80 || $0 == 0x25 }), !d.contains(where: { $0 >= 0x80 }) else { return nil }
                // In straight loops: a nested function that appended to `out` captured it, and each
                // access to a captured variable was checked for exclusivity at run time (a tenth
                // of checking a large site's links).
                var out: [UInt8] = []
                out.reserveCapacity(d.count + u.count + 1)
                // The directory's parts as they are.
                var start = 0
                for i in 0...d.count where i == d.count || d[i] == 0x2F {
                    if i > start {
                        if !out.isEmpty { out.append(0x2F) }
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: d[start..<i]))
                    }
                    start = i + 1
                }
                // The address's `.` and `..` are steps.
                start = 0
                for i in 0...u.count where i == u.count || u[i] == 0x2F {
                    let part = UnsafeBufferPointer(rebasing: u[start..<i])
                    start = i + 1
                    if part.isEmpty || (part.count == 1 && part[0] == 0x2E) { continue }
                    if part.count == 2, part[0] == 0x2E, part[1] == 0x2E {
                        guard !out.isEmpty else { return .some(nil) }
                        out.removeSubrange((out.lastIndex(of: 0x2F) ?? 0)...)
                        continue
                    }
                    if !out.isEmpty { out.append(0x2F) }
                    out.append(contentsOf: part)
                }
                return .some(out.isEmpty ? nil : String(decoding: out, as: UTF8.self))
            }
        }
    }

    /// The address without its query and fragment (`a.md?x#y` is `a.md`); cut at the bytes
    /// when it is ASCII, where that is the same.
    public static func withoutQueryOrFragment(_ url: String) -> String {
        guard isASCII(url) else { return String(url.prefix { $0 != "#" && $0 != "?" }) }
        return String(url[..<(url.utf8.firstIndex { $0 == 0x23 || $0 == 0x3F } ?? url.endIndex)])
    }

    /// Whether `path` is ASCII with no empty part (no leading, trailing or doubled slash): its
    /// parts are then its bytes between slashes.
    static func isPlainPath(_ path: String) -> Bool {
        var previous: UInt8 = 0x2F
        for byte in path.utf8 {
            if byte >= 0x80 || (byte == 0x2F && previous == 0x2F) { return false }
            previous = byte
        }
        return previous != 0x2F
    }

    /// The non-empty parts between slashes (cut at the bytes when the text is ASCII, where
    /// that is the same and faster than cutting at characters).
    private static func slashSeparated(_ text: String) -> [Substring] {
        guard isASCII(text) else { return text.split(separator: "/") }
        return text.utf8.split(separator: 0x2F).map { Substring($0) }
    }

    /// Whether `text` is ASCII: each byte is then a character, and cutting at bytes is cutting at
    /// characters.
    private static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }
}

/// GitHub's alerts: a block quote whose first line is `[!NOTE]`, `[!TIP]`, `[!IMPORTANT]`,
/// `[!WARNING]` or `[!CAUTION]` renders as a titled callout (what readers of GitHub see), not
/// as a quote starting with the marker's text.
enum Alert {
    static let titles = ["note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution"]

    /// The kind (lowercase), its title, and the quote's blocks after the marker.
    static func of(_ quote: MarkdownNode) -> (kind: String, title: String, rest: [MarkdownNode])? {
        guard var first = quote.children.first, first.kind == .paragraph else { return nil }
        // The marker is the paragraph's first line: text nodes up to the first line break.
        var marker = ""
        var consumed = 0
        for child in first.children {
            if child.kind == .softBreak || child.kind == .lineBreak { consumed += 1; break }
            guard child.kind == .text else { return nil }
            marker += child.literal
            consumed += 1
        }
        let trimmed = marker.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("[!"), trimmed.hasSuffix("]"),
              let title = titles[String(trimmed.dropFirst(2).dropLast()).lowercased()] else { return nil }
        first.children.removeFirst(consumed)
        var rest = Array(quote.children.dropFirst())
        if !first.children.isEmpty { rest.insert(first, at: 0) }
        return (String(trimmed.dropFirst(2).dropLast()).lowercased(), title, rest)
    }

    /// Whether raw HTML is nothing but comments (and white space).
    static func isComment(_ html: String) -> Bool {
        var rest = Substring(html).drop { $0.isWhitespace }
        guard !rest.isEmpty else { return false }
        while !rest.isEmpty {
            guard rest.hasPrefix("<!--"), let end = rest.range(of: "-->") else { return false }
            rest = rest[end.upperBound...].drop { $0.isWhitespace }
        }
        return true
    }
}
