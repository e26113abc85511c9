import Paths

/// Decides whether a body carries a disclaimer verbatim (up to whitespace and line wrapping),
/// nearly (altered), or not at all.
public enum DisclaimerMatcher {
    public enum Match: Equatable, Sendable {
        case present
        /// A paragraph close to the disclaimer but not equal: its 1-based line in the body and
        /// what differs.
        case altered(line: Int, difference: String)
        case missing
    }

    /// How similar (0…1, by words in common order) a paragraph must be to count as an altered copy.
    static let nearThreshold = 0.6

    /// - Parameters:
    ///   - body: the article's Markdown body; `bodyFirstLine` is its first line's number in the file.
    /// Whether every paragraph of a disclaimer stands in the article as a paragraph of plain
    /// text of its own, so readers see it (not hidden in a link target, a heading, code, image
    /// text or an HTML comment). Articles whose body was not parsed are not judged here.
    ///
    /// - Parameter paragraphs: the disclaimer's ``PlainParagraph``s, when already computed.
    public static func isVisible(_ canonical: String, in article: Article, paragraphs: [PlainParagraph]? = nil) -> Bool {
        guard let plain = article.plainParagraphs else { return true }
        let wanted = paragraphs ?? PlainParagraph.of(markdown: canonical)
        return !wanted.isEmpty && wanted.allSatisfy(plain.contains)
    }

    public static func match(_ canonical: String, in body: String, bodyFirstLine: Int = 1) -> Match {
        // Usually the text is there byte for byte; then its collapsed form is there too.
        if body.utf8.containsBytes(trimmed(canonical)) { return .present }
        let needle = collapsed(canonical)
        guard !needle.isEmpty else { return .present }
        let haystack = collapsed(body)
        if haystack.containsBytes(needle) { return .present }
        let wanted = words(canonical)
        var best: (score: Double, line: Int, words: [String])?
        let limit = 4 * canonical.utf8.count + 200
        for (line, paragraph) in paragraphs(body, firstLine: bodyFirstLine) where paragraph.utf8.count <= limit {
            // A paragraph several times longer than the disclaimer is not an altered copy of it.
            let have = words(paragraph)
            let score = similarity(have, wanted)
            if score >= nearThreshold, score > (best?.score ?? 0) { best = (score, line, have) }
        }
        guard let best else { return .missing }
        return .altered(line: best.line, difference: describeDifference(have: best.words, wanted: wanted))
    }

    /// The text's UTF-8 with every run of whitespace (ASCII whitespace and no-break spaces)
    /// made one space, and none at either end.
    static func collapsed(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        var bytes = text.utf8.makeIterator()
        var lookahead: UInt8? = nil
        while let byte = lookahead ?? bytes.next() {
            lookahead = nil
            var isSpace = byte == 0x20 || (0x09...0x0D).contains(byte)
            if byte == 0xC2 {
                let next = bytes.next()
                if next == 0xA0 { isSpace = true } else { lookahead = next }
            }
            if isSpace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(0x20); pendingSpace = false }
            out.append(byte)
        }
        return out
    }

    /// The text's UTF-8 without ASCII whitespace at either end.
    static func trimmed(_ text: String) -> ArraySlice<UInt8> {
        let bytes = Array(text.utf8)
        let isSpace = { (byte: UInt8) in byte == 0x20 || (0x09...0x0D).contains(byte) }
        let start = bytes.firstIndex { !isSpace($0) } ?? bytes.endIndex
        let end = bytes.lastIndex { !isSpace($0) }.map { $0 + 1 } ?? start
        return bytes[start..<end]
    }

    static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { (c: Character) in c.isWhitespace }).map(String.init)
    }

    /// Paragraphs (separated by blank lines) with the file line each starts on.
    static func paragraphs(_ body: String, firstLine: Int) -> [(Int, String)] {
        var result: [(Int, String)] = []
        var current: [Substring] = []
        var start = firstLine
        for (i, line) in body.lines().enumerated() {
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !current.isEmpty { result.append((start, current.joined(separator: "\n"))) }
                current = []
            } else {
                if current.isEmpty { start = firstLine + i }
                current.append(line)
            }
        }
        if !current.isEmpty { result.append((start, current.joined(separator: "\n"))) }
        return result
    }

    /// 2·LCS / (|a| + |b|) over words.
    static func similarity(_ a: [String], _ b: [String]) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 1 }
        guard a.count < 2000, b.count < 2000 else { return 0 }
        return Double(2 * lcs(a, b)) / Double(a.count + b.count)
    }

    private static func lcs(_ a: [String], _ b: [String]) -> Int {
        var previous = [Int](repeating: 0, count: b.count + 1)
        var current = previous
        for x in a {
            for (j, y) in b.enumerated() {
                current[j + 1] = x == y ? previous[j] + 1 : max(previous[j + 1], current[j])
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }

    /// "reads '…' where the disclaimer says '…'", around the first differing word.
    static func describeDifference(have: [String], wanted: [String]) -> String {
        let common = zip(have, wanted).prefix { $0 == $1 }.count
        let suffix = zip(have.reversed(), wanted.reversed()).prefix { $0 == $1 }.count
        let haveEnd = max(common, have.count - suffix), wantedEnd = max(common, wanted.count - suffix)
        let got = have[common..<haveEnd].joined(separator: " ")
        let expected = wanted[common..<wantedEnd].joined(separator: " ")
        let context = common > 0 ? " after '\(wanted[max(0, common - 3)..<common].joined(separator: " "))'" : ""
        switch (got.isEmpty, expected.isEmpty) {
        case (true, false): return "'\(clip(expected))' is missing\(context)"
        case (false, true): return "'\(clip(got))' was added\(context)"
        default: return "it reads '\(clip(got))' where the disclaimer says '\(clip(expected))'\(context)"
        }
    }

    private static func clip(_ text: String) -> String {
        text.count <= 80 ? text : String(text.prefix(77)) + "…"
    }
}
