import Paths

/// A path pattern: `*` matches within one folder, `**` any number of folders (`**/` also none),
/// `?` one character; matched against paths from the repository root, byte by byte.
public struct Glob: Sendable, Equatable, CustomStringConvertible {
    public let pattern: String
    private let bytes: [UInt8]

    public init(_ pattern: String) {
        self.pattern = pattern
        bytes = Array(pattern.utf8)
    }

    public var description: String { pattern }

    public func matches(_ path: GitPath) -> Bool {
        // The path's own bytes, not a copy per call: a large site matches every file of every
        // revision it reads.
        path.withBytes { s in bytes.withUnsafeBufferPointer { p in Self.match(p[...], s[...]) } }
    }

    private static func match(_ p: Slice<UnsafeBufferPointer<UInt8>>, _ s: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let star = UInt8(ascii: "*"), slash = UInt8(ascii: "/"), question = UInt8(ascii: "?")
        guard let first = p.first else { return s.isEmpty }
        if first == star, p.dropFirst().first == star {
            var rest = p.dropFirst(2)
            if rest.first == slash { rest = rest.dropFirst() }
            // `**` (or `**/`): none or any number of whole folders.
            if match(rest, s) { return true }
            var i = s.startIndex
            while i < s.endIndex {
                if s[i] == slash, match(rest, s[(i + 1)...]) { return true }
                i += 1
            }
            return rest.isEmpty
        }
        if first == star {
            var i = s.startIndex
            while true {
                if match(p.dropFirst(), s[i...]) { return true }
                guard i < s.endIndex, s[i] != slash else { return false }
                i += 1
            }
        }
        guard let c = s.first, c == first || (first == question && c != slash) else { return false }
        return match(p.dropFirst(), s.dropFirst())
    }
}

/// `content:` in the policy: where articles live. The default is the contract's layout:
/// every Markdown file below `Articles/`, slugs unique across all folders.
public struct ContentRoots: Sendable, Equatable {
    /// Where slugs must be unique.
    public enum SlugScope: String, Sendable, Equatable, CaseIterable {
        /// Across all folders (the contract's rule).
        case everywhere
        /// Within each root (the same slug under two roots).
        case root
        /// Within each folder (the same slug in each version folder of a docs set).
        case folder
    }

    /// The part of `path` within which its slug must be unique (empty: everywhere).
    public func slugScope(of path: GitPath) -> GitPath {
        switch uniqueSlugs {
        case .everywhere: return ""
        case .root: return roots.first { Self.isBelow($0, path) }.map { GitPath($0) } ?? ""
        case .folder: return path.parent
        }
    }

    /// Folders holding articles, from the repository root.
    public var roots: [String] = [ContentLayout.articlesDirectory]
    /// Globs (from the repository root) an article's path must match (one of), and must not.
    public var include: [Glob] = [Glob("**/*.md")]
    public var exclude: [Glob] = []
    public var uniqueSlugs: SlugScope = .everywhere

    public init() {}

    /// Whether this is the contract's layout (file names must then be valid slugs).
    public var isDefault: Bool { self == Self.contract }

    private static let contract = ContentRoots()

    /// The folder history is walked under: the one root, or the deepest folder holding them all.
    public var walkDirectory: String {
        guard var common = roots.first?.split(separator: "/").map(String.init) else { return "" }
        for root in roots.dropFirst() {
            let parts = root.split(separator: "/").map(String.init)
            common = Array(zip(common, parts).prefix { $0 == $1 }.map(\.0))
        }
        return common.joined(separator: "/")
    }

    /// Whether the file at `path` is an article (below a root, included, not excluded, not hidden).
    public func isArticle(_ path: GitPath) -> Bool {
        guard isBelowRoot(path), path.firstByteOfName != UInt8(ascii: ".") else { return false }
        // The contract's layout reads Markdown files only; a policy's include globs decide
        // otherwise (such as `**/*.mdx`).
        return include.contains { $0.matches(path) } && !exclude.contains { $0.matches(path) }
    }

    public func isBelowRoot(_ path: GitPath) -> Bool {
        roots.contains { Self.isBelow($0, path) }
    }

    /// Whether `path` is below the folder `root`: byte for byte, as git names files.
    static func isBelow(_ root: String, _ path: GitPath) -> Bool {
        let r = root.utf8
        return path.withBytes { p in p.count > r.count && p.starts(with: r) && p[r.count] == UInt8(ascii: "/") }
    }

    /// Where the file name of `path` starts: after its last `/` (a byte never part of another
    /// character in UTF-8).
    static func nameStart(_ path: String) -> String.Index {
        path.utf8.lastIndex(of: UInt8(ascii: "/")).map { path.utf8.index(after: $0) } ?? path.startIndex
    }

    /// An article's slug: its file name without `.md`, or for a bundle (`index.md`,
    /// `_index.md`) its folder's name. Outside the contract's layout, a name that is not a slug
    /// is made one (lowercase, runs of other characters as one hyphen).
    public func slug(of path: GitPath) -> String { slug(ofText: path.text) }

    private func slug(ofText path: String) -> String {
        let isDefault = isDefault
        let start = Self.nameStart(path)
        var name = path[start...]
        if name.utf8.last == UInt8(ascii: "d"), name.hasSuffix(".md") {
            name = name.dropLast(3)
        } else if !isDefault, let dot = name.lastIndex(of: "."), dot != name.startIndex {
            name = name[..<dot]  // another extension a policy includes, such as .mdx
        }
        if !isDefault, name == "index" || name == "_index", start > path.startIndex {
            // A bundle: the folder's name (empty folder names, as in `a//b`, are skipped).
            let folders = path[..<path.index(before: start)].split(separator: "/")
            if let folder = folders.last { name = folder }
        }
        return isDefault ? String(name) : Self.slugified(String(name))
    }

    /// Where an article's sign-off records are filed (`Reviews/signoffs/<this>/`): its slug
    /// where slugs are unique everywhere, otherwise its path below its root made one name.
    public func recordDirectory(of path: GitPath) -> String {
        if uniqueSlugs == .root, let root = roots.first(where: { Self.isBelow($0, path) }), roots.count > 1 {
            return Self.slugified(Self.foldersJoined(root)) + "--" + slug(of: path)
        }
        guard uniqueSlugs == .folder else { return slug(of: path) }
        var relative = path.text
        if let root = roots.first(where: { Self.isBelow($0, path) }) { relative = path.dropping(first: root.utf8.count + 1).text }
        if relative.hasSuffix(".md") { relative.removeLast(3) }
        return Self.slugified(Self.foldersJoined(relative))
    }

    /// The path with each `/` made `--` (bytes: `/` is never part of another character in UTF-8).
    static func foldersJoined(_ path: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count + 8)
        for byte in path.utf8 {
            if byte == 0x2F { out.append(0x2D); out.append(0x2D) } else { out.append(byte) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The site page of the article at `path` (`<this>.html`): its slug where slugs are unique
    /// everywhere, otherwise the name its records are filed under (pages all sit at the root).
    public func pageName(of path: GitPath) -> String {
        uniqueSlugs == .everywhere ? slug(of: path) : recordDirectory(of: path)
    }

    /// Lowercase ASCII letters and digits, other runs as one hyphen, at most 100 characters.
    public static func slugified(_ name: String) -> String {
        var out: [UInt8] = []
        for byte in name.utf8 {
            let lower = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            if (0x61...0x7A).contains(lower) || (0x30...0x39).contains(lower) {
                out.append(lower)
            } else if byte == UInt8(ascii: "-"), out.count >= 1, !(out.count >= 2 && out[out.count - 1] == 0x2D && out[out.count - 2] == 0x2D) {
                out.append(0x2D)  // hyphens kept, at most two in a row (the folder separator)
            } else if out.last != 0x2D, !out.isEmpty {
                out.append(0x2D)
            }
        }
        while out.last == 0x2D { out.removeLast() }
        return String(decoding: out.prefix(100), as: UTF8.self)
    }
}

/// `front-matter:` in the policy: which keys of a repository's own front matter hold what
/// review reads, so a docs repository is adopted without rewriting its files.
public struct FrontMatterMapping: Sendable, Equatable {
    /// How the last-updated key writes its date.
    public enum DateFormat: String, Sendable, Equatable, CaseIterable {
        /// `YYYY-MM-DD` (the contract's).
        case iso = "YYYY-MM-DD"
        /// `MM/DD/YYYY`, as Microsoft Learn's `ms.date`.
        case us = "MM/DD/YYYY"
        /// An ISO 8601 date and time (`2015-10-30T12:00:00.000Z`, Hugo's `date`/`lastmod`), its
        /// day in UTC.
        case timestamp
    }

    public var title = "title"
    public var lastUpdated = "last-updated"
    public var dateFormat = DateFormat.iso
    /// The key holding the category; `nil` when categories come from paths only.
    public var category: String? = "category"
    /// Categories by path: the first glob that matches an article's path names its category
    /// (a front-matter category, when the key is set and present, wins).
    public var categoriesByPath: [(glob: Glob, category: String)] = []
    /// Review's optional keys, renamed where a repository uses the name for something else.
    public var summary = "summary"
    public var authors = "authors"
    public var tags = "tags"
    public var aliases = "aliases"
    public var status = "status"
    /// `publish-on` and `unpublish-on` (issue 38): the UTC days an approved article goes live
    /// and comes down, written in ``dateFormat``.
    public var publishOn = "publish-on"
    public var unpublishOn = "unpublish-on"

    // MARK: Dates (issue 32)

    /// `published`: a key holding the date the article was first published (nodejs.org's blog
    /// `date`). It is read and checked as a date in ``dateFormat``, and never asks for a bump:
    /// a publication date does not move when the text does.
    public var published: String?
    /// `last-updated-from: history`: an article whose front matter has no last-updated key
    /// takes the date of its last change (``Reviews/ignore-revisions`` skips mechanical ones),
    /// and the key is not required. The default, `front-matter`, requires the key.
    public var lastUpdatedFromHistory = false
    /// `required-by-path`: keys required of the articles below a glob, besides ``requiredKeys``
    /// (every matching glob adds its keys).
    public var requiredByPath: [(glob: Glob, keys: [String])] = []

    public init() {}

    public var isDefault: Bool { self == FrontMatterMapping() }

    /// The keys an article must have.
    public var requiredKeys: [String] {
        [title] + (lastUpdatedFromHistory ? [] : [lastUpdated]) + (category.map { categoriesByPath.isEmpty ? [$0] : [] } ?? [])
    }

    /// The keys the article at `path` must have: ``requiredKeys`` and those `required-by-path` adds.
    public func requiredKeys(forPath path: GitPath) -> [String] {
        var keys = requiredKeys
        for rule in requiredByPath where rule.glob.matches(path) {
            for key in rule.keys where !keys.contains(key) { keys.append(key) }
        }
        return keys
    }

    public static func == (a: FrontMatterMapping, b: FrontMatterMapping) -> Bool { a.key == b.key }

    /// Every setting, for comparing.
    private var key: [String] {
        [title, lastUpdated, dateFormat.rawValue, category ?? "\u{0}", summary, authors, tags, aliases, status, publishOn, unpublishOn]
            + categoriesByPath.map { "\($0.glob)\u{0}\($0.category)" }
            + [published ?? "\u{0}", lastUpdatedFromHistory ? "history" : "front-matter"]
            + requiredByPath.map { "\($0.glob)\u{0}\($0.keys.joined(separator: "\u{0}"))" }
    }

    /// The category assigned to `path` by the path globs, if any.
    public func category(forPath path: GitPath) -> String? {
        categoriesByPath.first { $0.glob.matches(path) }?.category
    }

    /// A day written in this format (as `review new` writes it).
    public func text(of day: Day) -> String {
        let iso = day.description
        switch dateFormat {
        case .iso: return iso
        case .us:
            let parts = iso.split(separator: "-")
            return "\(parts[1])/\(parts[2])/\(parts[0])"
        case .timestamp: return "'\(iso)T00:00:00Z'"
        }
    }

    /// The day a last-updated value names in this format.
    /// `M/D/YYYY` (one or two digits each for month and day): `.some` of the day (`nil` inside
    /// for an impossible date), as the general reading gives it; `nil` for any other shape.
    static func plainUSDate(_ text: String) -> Day?? {
        var text = text
        return text.withUTF8 { u -> Day?? in
            guard (8...10).contains(u.count) else { return nil }
            var fields = (0, 0, 0), field = 0, digits = 0
            for byte in u {
                if byte == UInt8(ascii: "/") {
                    guard field < 2, (1...2).contains(digits) else { return nil }
                    field += 1
                    digits = 0
                    continue
                }
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                let value = Int(byte - UInt8(ascii: "0"))
                switch field {
                case 0: fields.0 = fields.0 * 10 + value
                case 1: fields.1 = fields.1 * 10 + value
                default: fields.2 = fields.2 * 10 + value
                }
                digits += 1
            }
            guard field == 2, digits == 4 else { return nil }
            return .some(Day(year: fields.2, month: fields.0, day: fields.1))
        }
    }

    public func day(_ text: String) -> Day? {
        switch dateFormat {
        case .iso: return Day(text)
        case .us:
            // The usual shape, M/D/YYYY or MM/DD/YYYY in ASCII digits, read from the bytes (every
            // page's date, on every run); any other text as before.
            if let plain = Self.plainUSDate(text) { return plain }
            let parts = text.split(separator: "/")
            guard parts.count == 3, let m = Int(parts[0]), let d = Int(parts[1]), parts[2].count == 4, let y = Int(parts[2]) else { return nil }
            func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
            return Day("\(y)-\(two(m))-\(two(d))")
        case .timestamp:
            // The date part; an offset other than Z moves the UTC day.
            let bytes = Array(text.utf8)
            guard bytes.count >= 10, let day = Day(String(decoding: bytes[0..<10], as: UTF8.self)) else { return nil }
            guard bytes.count > 10 else { return day }
            guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), bytes.count >= 16,
                  let hour = Int(String(decoding: bytes[11..<13], as: UTF8.self)),
                  let minute = Int(String(decoding: bytes[14..<16], as: UTF8.self)), hour < 24, minute < 60 else { return nil }
            var offset = 0
            if let sign = bytes[16...].lastIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }), bytes.count - sign == 6,
               let h = Int(String(decoding: bytes[(sign + 1)..<(sign + 3)], as: UTF8.self)),
               let m = Int(String(decoding: bytes[(sign + 4)..<(sign + 6)], as: UTF8.self)) {
                offset = (h * 60 + m) * (bytes[sign] == UInt8(ascii: "-") ? -1 : 1)
            }
            let minutes = hour * 60 + minute - offset
            return day.adding(days: minutes < 0 ? -1 : minutes >= 1440 ? 1 : 0)
        }
    }
}
