import Paths

/// `hidden-characters`: bidirectional controls or invisible characters in an article, which
/// can make what a reviewer read differ from what a reader sees (or from what a rule matched).
///
/// Some of these characters are spelling, not hiding, and are left alone in prose:
/// - U+200C ZERO WIDTH NON-JOINER and U+200D ZERO WIDTH JOINER between letters when a letter
///   beside it belongs to a script that joins or forms conjuncts (Arabic, Persian, Syriac, N'Ko,
///   Mongolian, the Indic scripts, Myanmar, Khmer…): the Persian half-space in `می‌توانید`;
/// - U+200D inside an emoji sequence (🏳️‍⚧️, 👩‍💻);
/// - U+200E LEFT-TO-RIGHT MARK, U+200F RIGHT-TO-LEFT MARK and U+061C ARABIC LETTER MARK at the
///   boundary between a right-to-left and a left-to-right run (`Node.js®‎` in a Persian line).
///
/// Inside code (a code span or a fenced block) every one of them is still reported: code is
/// copied, and a mark pasted into a command or a thumbprint breaks it. Zero-width spaces, word
/// joiners, soft hyphens and the bidirectional embeddings, overrides and isolates are reported
/// everywhere. A byte order mark opening the file is an encoding mark, not text.
public enum HiddenCharacterRule {
    public static let description = RuleDescription(
        ids: [.hiddenCharacters], summary: "The article holds bidirectional control or invisible characters where they hide or change text.",
        rationale: "They can reorder or hide text on screen (Trojan Source): what was reviewed must be what is seen. Joiners that spell a word or an emoji, and direction marks between a right-to-left and a left-to-right run of prose, are writing, not hiding.")

    /// One reported character: where it is on its line and whether it is in code.
    struct Occurrence: Equatable {
        var scalar: Unicode.Scalar
        /// 1-based, in Unicode scalars.
        var column: Int
        var inCode: Bool
    }

    /// The lines of a file's bytes that hold such a character, one finding per line naming each
    /// one. Every such character's UTF-8 begins with one of a few bytes; most articles hold none
    /// of the sequences, so the bytes are looked at before they are decoded and split into lines.
    public static func check(bytes: [UInt8]) -> [Finding] {
        guard mayHoldHidden(bytes) else { return [] }
        let text = String(decoding: bytes, as: UTF8.self)
        var findings: [Finding] = []
        var fence: (marker: Character, length: Int)?
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var scalars = Array(line.unicodeScalars)
            // A byte order mark opening the file is an encoding mark, not text.
            var offset = 0
            if i == 0, scalars.first == "\u{FEFF}" {
                scalars.removeFirst()
                offset = 1
            }
            let fenceLine = Self.fence(scalars)
            let inFence = fence != nil
            if let open = fence {
                if let close = fenceLine, close.marker == open.marker, close.length >= open.length, close.closes { fence = nil }
            } else if let opening = fenceLine {
                fence = (opening.marker, opening.length)
            }
            guard scalars.contains(where: isCandidate) else { continue }
            let occurrences = hidden(in: scalars, wholeLineIsCode: inFence, columnOffset: offset)
            guard !occurrences.isEmpty else { continue }
            findings.append(Finding(.hiddenCharacters, path: "", line: i + 1, message(occurrences, scalars: scalars, columnOffset: offset)))
        }
        return findings
    }

    /// The characters of one line that hide or change text (``isCandidate(_:)`` ones that are not
    /// spelling where they stand).
    static func hidden(in scalars: [Unicode.Scalar], wholeLineIsCode: Bool, columnOffset: Int = 0) -> [Occurrence] {
        let code = wholeLineIsCode ? [] : codeSpans(scalars)
        let rightToLeftLine = scalars.contains { direction($0) == .rightToLeft }
        var out: [Occurrence] = []
        for (index, scalar) in scalars.enumerated() where isCandidate(scalar) {
            let inCode = wholeLineIsCode || code.contains { $0.contains(index) }
            if !inCode, isWriting(scalar, at: index, in: scalars, rightToLeftLine: rightToLeftLine) { continue }
            out.append(Occurrence(scalar: scalar, column: index + 1 + columnOffset, inCode: inCode))
        }
        return out
    }

    /// Whether the character at `index` is part of the writing in prose: a joiner inside a word
    /// of a joining script or an emoji, or a direction mark between runs of opposite direction.
    static func isWriting(_ scalar: Unicode.Scalar, at index: Int, in scalars: [Unicode.Scalar], rightToLeftLine: Bool) -> Bool {
        let before = index > 0 ? scalars[index - 1] : nil
        let after = index + 1 < scalars.count ? scalars[index + 1] : nil
        switch scalar.value {
        case 0x200C, 0x200D:
            if let before, let after, isLetterOrMark(before), isLetterOrMark(after), usesJoiners(before) || usesJoiners(after) { return true }
            if scalar.value == 0x200D, isEmojiSequence(before: scalars[..<index], after: after) { return true }
            return false
        case 0x200E, 0x200F, 0x061C:
            guard rightToLeftLine else { return false }
            let left = scalars[..<index].reversed().lazy.map(direction).first { $0 != .neutral } ?? .neutral
            let right = scalars[(index + 1)...].lazy.map(direction).first { $0 != .neutral } ?? .neutral
            // A boundary: one side left-to-right, the other right-to-left or the line's end.
            return left != right && (left == .leftToRight || right == .leftToRight)
        default:
            return false
        }
    }

    /// The reported message: each character named, with its column and whether it is in code,
    /// and what to do about it (a joiner is never simply deleted: it may be spelling).
    static func message(_ occurrences: [Occurrence], scalars: [Unicode.Scalar], columnOffset: Int) -> String {
        let named = occurrences.map { occurrence in
            "\(name(occurrence.scalar)) at column \(occurrence.column)\(occurrence.inCode ? " (inside code)" : "")"
        }
        let joiners = occurrences.filter { $0.scalar.value == 0x200C || $0.scalar.value == 0x200D }
        let others = occurrences.count - joiners.count
        var remedies: [String] = []
        if others > 0 {
            // A zero-width space inside a word of a joining script is a half-space gone wrong.
            let halfSpace = occurrences.contains { occurrence in
                guard occurrence.scalar.value == 0x200B, !occurrence.inCode else { return false }
                let i = occurrence.column - 1 - columnOffset
                return scalars[max(0, i - 2)..<min(scalars.count, i + 3)].contains(where: usesJoiners)
            }
            remedies.append((others == 1 ? "delete it" : "delete them")
                            + (joiners.isEmpty ? "" : " (the direction marks and invisible spaces)")
                            + (halfSpace ? "; where a half-space was meant between letters, write U+200C ZERO WIDTH NON-JOINER" : ""))
        }
        if let joiner = joiners.first {
            remedies.append(joiner.inCode
                ? "a joiner inside code is copied with it: take it out of the code unless the code itself needs it"
                : "a joiner belongs only between letters of a script that joins (Arabic, Persian, Indic…) or inside an emoji; check what was meant here")
        }
        let what = occurrences.count == 1 ? "an invisible or direction-changing character" : "invisible or direction-changing characters"
        return "\(what) in this line: \(named.joined(separator: ", ")); \(remedies.joined(separator: "; "))"
    }

    /// The Unicode name of each character this rule looks for, as `U+XXXX NAME`.
    static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return scalar.properties.name.map { "\(code) \($0)" } ?? code
    }

    /// Whether the bytes hold the UTF-8 of any character ``isCandidate(_:)`` names.
    static func mayHoldHidden(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return false }
            return mayHoldHidden(bytes, raw: UnsafeRawPointer(base))
        }
    }

    private static func mayHoldHidden(_ bytes: UnsafeBufferPointer<UInt8>, raw: UnsafeRawPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            // Every such character's UTF-8 begins with a byte of 0xC2 or more: eight ASCII bytes
            // (most of any article) are passed at once.
            if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & ByteWords.highs == 0 {
                i += 8
                continue
            }
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

    /// The characters this rule looks at (some of them are writing where they stand: ``isWriting``).
    static func isCandidate(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B...0x200F, 0x202A...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0x061C, 0x00AD, 0xFEFF, 0x180E: true
        default: false
        }
    }

    // MARK: - Where a character stands

    enum Direction { case leftToRight, rightToLeft, neutral }

    /// The strong direction of a letter (neutral for everything else), by block.
    static func direction(_ scalar: Unicode.Scalar) -> Direction {
        let v = scalar.value
        switch v {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF, 0x10800...0x10FFF, 0x1E800...0x1EFFF:
            return scalar.properties.isAlphabetic ? .rightToLeft : .neutral
        default:
            return scalar.properties.isAlphabetic && v > 0x40 ? .leftToRight : .neutral
        }
    }

    /// Whether the script of a letter joins its letters or forms conjuncts, so that U+200C and
    /// U+200D between its letters are spelling: Arabic (and Persian, Urdu…), Syriac, Thaana,
    /// N'Ko, Mongolian, the Indic scripts, Sinhala, Tibetan, Myanmar, Khmer.
    static func usesJoiners(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0600...0x08FF, 0xFB50...0xFDFF, 0xFE70...0xFEFE,  // Arabic, Syriac, Thaana, N'Ko, Arabic presentation forms
             0x0900...0x0DFF,  // Devanagari … Sinhala
             0x0F00...0x0FFF, 0x1000...0x109F, 0x1780...0x18AF,  // Tibetan, Myanmar, Khmer, Mongolian
             0xA8E0...0xA8FF, 0x11000...0x111FF:  // Devanagari extended, Brahmi … Sharada
            return isLetterOrMark(scalar)
        default:
            return false
        }
    }

    static func isLetterOrMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark:
            true
        default:
            false
        }
    }

    /// Whether a U+200D stands inside an emoji sequence: an emoji before it (past a variation
    /// selector or skin-tone modifier) and one after it.
    static func isEmojiSequence(before: ArraySlice<Unicode.Scalar>, after: Unicode.Scalar?) -> Bool {
        guard let after, isPictographic(after) else { return false }
        let previous = before.reversed().first { !($0.value == 0xFE0F || (0x1F3FB...0x1F3FF).contains($0.value)) }
        return previous.map(isPictographic) ?? false
    }

    /// An emoji that is not an ASCII digit, `#` or `*` (those take part in keycaps, never in ZWJ sequences).
    private static func isPictographic(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value > 0x7F && scalar.properties.isEmoji
    }

    // MARK: - Code

    /// A fence line (```` ``` ```` or `~~~`, at most three spaces in): its marker, its length, and
    /// whether it can close a block (nothing after the marker).
    static func fence(_ scalars: [Unicode.Scalar]) -> (marker: Character, length: Int, closes: Bool)? {
        var i = 0
        while i < scalars.count, i < 4, scalars[i] == " " { i += 1 }
        guard i < 4, i < scalars.count, scalars[i] == "`" || scalars[i] == "~" else { return nil }
        let marker = scalars[i]
        var length = 0
        while i < scalars.count, scalars[i] == marker {
            length += 1
            i += 1
        }
        guard length >= 3 else { return nil }
        let rest = scalars[i...]
        // A backtick fence's info string holds no backtick.
        if marker == "`", rest.contains("`") { return nil }
        return (Character(marker), length, rest.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" })
    }

    /// The index ranges of a line's code spans (between two runs of as many backticks),
    /// backticks included.
    static func codeSpans(_ scalars: [Unicode.Scalar]) -> [ClosedRange<Int>] {
        var spans: [ClosedRange<Int>] = []
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "`" else { i += 1; continue }
            let start = i
            while i < scalars.count, scalars[i] == "`" { i += 1 }
            let length = i - start
            // The closing run of the same length.
            var j = i
            var closed = false
            while j < scalars.count {
                guard scalars[j] == "`" else { j += 1; continue }
                let runStart = j
                while j < scalars.count, scalars[j] == "`" { j += 1 }
                if j - runStart == length {
                    spans.append(start...(j - 1))
                    closed = true
                    break
                }
            }
            if closed { i = j }
        }
        return spans
    }
}
