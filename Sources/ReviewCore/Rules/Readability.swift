/// How hard an article is to read, by the Flesch–Kincaid grade level:
/// `0.39 × words per sentence + 11.8 × syllables per word − 15.59`, reported as a reading age
/// (grade + 5, the UK convention the Patient Information Forum's "reading age 9 to 11" uses).
///
/// It reads the body's paragraphs and list items (each item a sentence of its own, as a reader
/// takes a bullet), and skips headings, code, tables and raw HTML. Syllables are counted by a
/// vowel-group heuristic for English (a silent final "e" dropped, at least one per word).
public struct Readability: Sendable, Equatable {
    public var words: Int
    public var sentences: Int
    public var syllables: Int

    public init(words: Int, sentences: Int, syllables: Int) {
        self.words = words
        self.sentences = sentences
        self.syllables = syllables
    }

    public var grade: Double {
        guard words > 0, sentences > 0 else { return 0 }
        return 0.39 * Double(words) / Double(sentences) + 11.8 * Double(syllables) / Double(words) - 15.59
    }

    /// The reading age, rounded to a whole year.
    public var readingAge: Int { Int((grade + 5).rounded()) }

    public static func of(_ document: MarkdownNode) -> Readability { of(BodyText(document)) }

    public static func of(_ body: BodyText) -> Readability {
        var result = Readability(words: 0, sentences: 0, syllables: 0)
        for block in body.paragraphs {
            let sentences = block.sentences
            result.sentences += sentences.count
            // Bytes, not Characters, and no array per word: this runs over every article when
            // it is parsed.
            for var sentence in sentences {
                sentence.withUTF8 { bytes in
                    var start = 0
                    for end in 0...bytes.count where end == bytes.count || bytes[end] == 0x20 {
                        defer { start = end + 1 }
                        guard end > start else { continue }
                        let count = syllables(in: bytes[start..<end])
                        guard count > 0 else { continue }  // no letters: a number or a dash
                        result.words += 1
                        result.syllables += count
                    }
                }
            }
        }
        return result
    }

    /// Vowel groups of a word's ASCII letters (a silent final "e" dropped, at least one); 0 when
    /// the word has no letter. Letters outside ASCII count as one consonant each.
    static func syllables<Word: Collection<UInt8>>(in word: Word) -> Int {
        var count = 0
        var letters = 0
        var previousVowel = false
        var last: UInt8 = 0, beforeLast: UInt8 = 0
        for byte in word {
            let lower = byte | 0x20
            let isLetter = (0x61...0x7A).contains(lower) && (0x41...0x5A).contains(byte & ~0x20) || byte >= 0xC0
            guard isLetter else { continue }
            letters += 1
            let vowel = byte < 0x80 && (lower == 0x61 || lower == 0x65 || lower == 0x69 || lower == 0x6F || lower == 0x75 || lower == 0x79)
            if vowel && !previousVowel { count += 1 }
            previousVowel = vowel
            beforeLast = last
            last = byte < 0x80 ? lower : 0
        }
        guard letters > 0 else { return 0 }
        if last == 0x65, beforeLast != 0x6C, count > 1 { count -= 1 }  // "make", but not "table"
        return max(count, 1)
    }

    static func syllables(in word: String) -> Int { syllables(in: Array(word.utf8)) }
}

/// `reading-level`: the article reads above its category's `reading-age` (a warning, with the figure).
public enum ReadingLevelRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.readingLevel], summary: "The article reads above its category's target reading age (Flesch–Kincaid).",
        rationale: "Health information should be readable by most adults; the UK Patient Information Forum asks for a reading age of 9 to 11.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        guard let target = context.category?.readingAge, let readability = context.article.readability,
              readability.words >= 50, readability.readingAge > target else { return [] }
        let grade = (readability.grade * 10).rounded() / 10
        return [Finding(.readingLevel, path: context.path,
                        "reads at age \(readability.readingAge) (Flesch–Kincaid grade \(grade), \(readability.words) words in \(readability.sentences) sentences); \(context.category!.name) aims for \(target) or under: use shorter sentences and shorter words")]
    }
}
