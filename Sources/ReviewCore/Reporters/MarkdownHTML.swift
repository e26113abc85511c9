import Foundation
/// Renders the Markdown that articles use to HTML, escaping all text: headings, paragraphs,
/// bullet and numbered lists, `**strong**`, `*emphasis*`, `` `code` `` and `[links](url)`.
///
/// Raw HTML in the source is shown as text, never passed through, and links may only use
/// http, https, mailto or a relative address, so no article can inject markup or script.
/// The output is well-formed XML (XHTML syntax) as well as HTML.
public enum MarkdownHTML {
    /// - Parameter links: where the article's relative links lead on the site.
    public static func render(_ markdown: String, links: SiteLinks = SiteLinks()) -> String {
        var html: [String] = []
        var paragraph: [String] = []
        var list: (ordered: Bool, items: [String])?

        func flushParagraph() {
            if !paragraph.isEmpty { html.append("<p>" + inline(paragraph.joined(separator: " "), links) + "</p>") }
            paragraph = []
        }
        func flushList() {
            if let current = list {
                let tag = current.ordered ? "ol" : "ul"
                html.append("<\(tag)>" + current.items.map { "<li>" + inline($0, links) + "</li>" }.joined() + "</\(tag)>")
            }
            list = nil
        }

        for raw in markdown.lines() {
            let line = raw.trimmingSpaces()
            if line.isEmpty {
                flushParagraph()
                flushList()
                continue
            }
            if let level = headingLevel(line) {
                flushParagraph()
                flushList()
                let text = line.drop { $0 == "#" }.trimmingSpaces()
                html.append("<h\(level)>" + inline(String(text), links) + "</h\(level)>")
                continue
            }
            if let item = bullet(line) ?? numbered(line) {
                flushParagraph()
                let ordered = numbered(line) != nil
                if list == nil || list!.ordered != ordered { flushList(); list = (ordered, []) }
                list!.items.append(item)
                continue
            }
            if list != nil, raw.first == " " || raw.first == "\t" {
                // A continuation line of the last list item.
                list!.items[list!.items.count - 1] += " " + line
                continue
            }
            flushList()
            paragraph.append(String(line))
        }
        flushParagraph()
        flushList()
        return html.joined(separator: "\n")
    }

    private static func headingLevel(_ line: Substring) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        guard (1...6).contains(hashes), line.dropFirst(hashes).first == " " else { return nil }
        return hashes
    }

    private static func bullet(_ line: Substring) -> String? {
        guard let first = line.first, "-*+".contains(first), line.dropFirst().first == " " else { return nil }
        return String(line.dropFirst(2))
    }

    private static func numbered(_ line: Substring) -> String? {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count < 4 else { return nil }
        let rest = line.dropFirst(digits.count)
        guard rest.first == "." || rest.first == ")", rest.dropFirst().first == " " else { return nil }
        return String(rest.dropFirst(2))
    }

    /// Inline markup over escaped text.
    static func inline(_ text: String, _ links: SiteLinks = SiteLinks()) -> String {
        var out = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("!["), let close = rest.firstIndex(of: "]"), rest[rest.index(after: close)...].hasPrefix("("),
               let paren = rest[close...].firstIndex(of: ")") {
                // An image: shown when its address is safe, with its text as `alt`.
                let alt = String(rest[rest.index(rest.startIndex, offsetBy: 2)..<close])
                let url = String(rest[rest.index(close, offsetBy: 2)..<paren]).trimmed(of: " ")
                out += isSafe(url) ? "<img src=\"\(escape(links.href(url)))\" alt=\"\(escape(alt))\"/>" : escape(alt)
                rest = rest[rest.index(after: paren)...]
                continue
            }
            if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**") {
                out += "<strong>" + inline(String(rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound]), links) + "</strong>"
                rest = rest[end.upperBound...]
            } else if rest.hasPrefix("*"), let end = rest.dropFirst().firstIndex(of: "*"), end > rest.index(after: rest.startIndex) {
                out += "<em>" + inline(String(rest[rest.index(after: rest.startIndex)..<end]), links) + "</em>"
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("`"), let end = rest.dropFirst().firstIndex(of: "`") {
                out += "<code>" + escape(String(rest[rest.index(after: rest.startIndex)..<end])) + "</code>"
                rest = rest[rest.index(after: end)...]
            } else if rest.hasPrefix("["), let close = rest.firstIndex(of: "]"),
                      rest[rest.index(after: close)...].hasPrefix("("),
                      let paren = rest[close...].firstIndex(of: ")") {
                let label = String(rest[rest.index(after: rest.startIndex)..<close])
                let url = String(rest[rest.index(close, offsetBy: 2)..<paren]).trimmed(of: " ")
                if isSafe(url) {
                    out += "<a href=\"\(escape(links.href(url)))\">" + inline(label, links) + "</a>"
                } else {
                    out += inline(label, links)
                }
                rest = rest[rest.index(after: paren)...]
            } else {
                out += escape(String(rest.first!))
                rest = rest.dropFirst()
            }
        }
        return out
    }

    static func isSafe(_ url: String) -> Bool {
        let lower = url.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("mailto:") { return true }
        // Relative: no scheme before the first slash, question mark or hash.
        let head = lower.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !head.contains(":")
    }

    /// Escapes text for HTML and XML content and attribute values.
    public static func escape(_ text: String) -> String {
        XMLEscaping.escape(text).replacingOccurrences(of: "&#10;", with: "\n").replacingOccurrences(of: "&#9;", with: "\t")
    }
}

extension String {
    func trimmed(of set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

/// Where one article's relative links lead on the site, whose pages all sit at its root: to
/// another article (`x.md`, `../section/x.md#part`) its page (`x.html#part`); to another file
/// of the repository (an image, a PDF) its copy under `assets/`, at its path below the
/// articles directory.
public struct SiteLinks: Sendable {
    /// The folder of the article's file (`Articles/neurology`); empty when unknown.
    public var directory: String

    public init(articlePath: String = "") {
        directory = articlePath.split(separator: "/").dropLast().joined(separator: "/")
    }

    /// The page or asset address for a link as written in the article.
    public func href(_ url: String) -> String {
        let path = url.prefix { $0 != "#" && $0 != "?" }
        let suffix = url.dropFirst(path.count)
        if path.hasSuffix(".md"), Self.isRelative(url) {
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

    /// The repository paths of the files (not articles) an article's Markdown links or
    /// shows: what publishing must carry beside its page.
    public static func assetPaths(in body: String, articlePath: String) -> [String] {
        let directory = SiteLinks(articlePath: articlePath).directory
        var out: [String] = []
        var rest = Substring(body)
        while let start = rest.range(of: "](") {
            let target = rest[start.upperBound...].prefix { $0 != ")" && $0 != " " && $0 != "\n" }
            rest = rest[start.upperBound...]
            let path = target.prefix { $0 != "#" && $0 != "?" }
            guard !path.isEmpty, !path.hasSuffix(".md"), let file = resolve(String(path), from: directory), !out.contains(file) else { continue }
            out.append(file)
        }
        return out
    }

    static func isRelative(_ url: String) -> Bool {
        let head = url.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return !head.contains(":") && !url.hasPrefix("/") && !url.hasPrefix("#")
    }

    /// The repository path a relative address names from `directory`, or `nil` when it is not
    /// relative or climbs out of the repository.
    static func resolve(_ url: String, from directory: String) -> String? {
        guard isRelative(url), !url.hasPrefix("#") else { return nil }
        var parts = directory.split(separator: "/").map(String.init)
        for part in url.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": guard !parts.isEmpty else { return nil }; parts.removeLast()
            default: parts.append(String(part.removingPercentEncoding ?? String(part)))
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }
}
