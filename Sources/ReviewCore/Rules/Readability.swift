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

    public static func of(_ document: MarkdownNode) -> Readability {
        var result = Readability(words: 0, sentences: 0, syllables: 0)
        for block in StructureRules.blocks(document) where block.kind == .paragraph {
            let sentences = StructureRules.sentences(block.plainText)
            result.sentences += sentences.count
            for sentence in sentences {
                for word in sentence.split(separator: " ") {
                    let letters = word.lowercased().filter(\.isLetter)
                    guard !letters.isEmpty else { continue }
                    result.words += 1
                    result.syllables += syllables(in: letters)
                }
            }
        }
        return result
    }

    static func syllables(in word: String) -> Int {
        let vowels: Set<Character> = ["a", "e", "i", "o", "u", "y"]
        var count = 0
        var previousVowel = false
        for character in word {
            let vowel = vowels.contains(character)
            if vowel && !previousVowel { count += 1 }
            previousVowel = vowel
        }
        if word.hasSuffix("e"), !word.hasSuffix("le"), count > 1 { count -= 1 }
        return max(count, 1)
    }
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
