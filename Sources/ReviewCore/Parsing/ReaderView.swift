/// What a reader of one revision of an article sees, for telling whether a change altered it
/// (``ArticleParser/readerView(_:mapping:)``; `last-updated-not-bumped` and its history search).
public struct ReaderView: Sendable {
    /// The text as read: ``ArticleParser/readerText(_:mapping:)``.
    public let text: String
    /// The front matter's last-updated value as written (`nil` when absent).
    public let lastUpdated: String?
    /// Each heading of the body, in order: where its text starts in `text` (a UTF-8 offset) and its level.
    let headings: [Heading]

    struct Heading: Sendable, Equatable {
        var offset: Int
        var level: Int
    }

    init(text: String, lastUpdated: String?, headings: [Heading]) {
        self.text = text
        self.lastUpdated = lastUpdated
        self.headings = headings
    }

    /// Whether a reader reads the same in `other`: the same text, or the same sections in
    /// another order among their siblings. A section is a heading and everything up to the
    /// next heading of its level or higher, its subsections included; moved whole, with every
    /// word the same and under the same parent heading, it says what it said (PlatyPS, for
    /// one, puts parameters in alphabetical order). A section moved under another parent (a
    /// "Dosage" subsection from "Children" to "Adults"), a paragraph or list item moved, or any
    /// word changed is a change. Approvals are unaffected: they bind to exact bytes.
    public func readsTheSame(as other: ReaderView) -> Bool {
        if text == other.text { return true }
        guard !headings.isEmpty, headings.count == other.headings.count, text.utf8.count == other.text.utf8.count else { return false }
        return canonical == other.canonical
    }

    /// ``readsTheSame(as:)`` for views that may be missing (bytes that are not text): two
    /// missing views read the same; a missing one and a present one do not.
    public static func same(_ a: ReaderView?, _ b: ReaderView?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (a?, b?): return a.readsTheSame(as: b)
        default: return false
        }
    }

    /// The text with the sections under each heading (and under the page itself) put in one
    /// order: each section's own text (its heading and what precedes its first subsection),
    /// then its subsections, each in this form, sorted by their bytes and bracketed by two
    /// bytes the text never holds.
    var canonical: [UInt8] {
        let bytes = Array(text.utf8)
        var index = 0
        func section(level: Int, start: Int) -> [UInt8] {
            var out = Array(bytes[start..<(index < headings.count ? headings[index].offset : bytes.count)])
            var children: [[UInt8]] = []
            while index < headings.count, headings[index].level > level {
                let heading = headings[index]
                index += 1
                children.append(section(level: heading.level, start: heading.offset))
            }
            for child in children.sorted(by: { $0.lexicographicallyPrecedes($1) }) {
                out.append(0x04)
                out += child
                out.append(0x05)
            }
            return out
        }
        return section(level: 0, start: 0)
    }
}
