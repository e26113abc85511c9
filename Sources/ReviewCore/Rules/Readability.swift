import Paths

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
        // The blocks are read in place (a loop over the paragraphs copied each one).
        let blocks = body.blocks
        classes.withUnsafeBufferPointer { classes in
            for k in blocks.indices where blocks[k].kind == .paragraph {
                result.sentences += blocks[k].sentences.count
                // The sentences are the text cut at spaces, so its words are theirs: the text is
                // counted in one pass.
                var text = blocks[k].text
                text.withUTF8 { count(words: $0, classes, into: &result) }
            }
        }
        return result
    }

    /// What each byte is to the syllable count: 0 not a letter (punctuation, digits, and the
    /// continuation bytes of a letter outside ASCII), 1 a consonant (every letter outside
    /// ASCII, by its lead byte), 2 a vowel (a, e, i, o, u, y in either case).
    private static let classes: [UInt8] = (0...255).map { (byte: Int) -> UInt8 in
        if byte >= 0xC0 { return 1 }
        let lower = byte | 0x20
        guard byte < 0x80, (0x61...0x7A).contains(lower) else { return 0 }
        return [0x61, 0x65, 0x69, 0x6F, 0x75, 0x79].contains(lower) ? 2 : 1
    }

    /// Adds the words of a text (cut at spaces) and their syllables to `result`: per word, the
    /// vowel groups of its ASCII letters, a silent final "e" (after anything but an "l": "make",
    /// but not "table") dropped, at least one; a word with no letter (a number, a dash) is not
    /// counted. One pass, with no branch on whether a letter is a vowel: this runs over every
    /// article.
    @inline(__always)
    private static func count(words text: UnsafeBufferPointer<UInt8>, _ classes: UnsafeBufferPointer<UInt8>, into result: inout Readability) {
        var letters = 0
        var groups = 0
        var previousVowel: UInt8 = 0
        // The word's last two letters (a lead byte outside ASCII is 0xC0 or more: never "e" or "l").
        var last: UInt8 = 0
        var beforeLast: UInt8 = 0
        @inline(__always) func endWord() {
            guard letters > 0 else { return }
            result.words += 1
            let silentE = groups > 1 && last | 0x20 == 0x65 && beforeLast | 0x20 != 0x6C
            result.syllables += max(silentE ? groups - 1 : groups, 1)
            (letters, groups, previousVowel) = (0, 0, 0)
        }
        for byte in text {
            if byte == 0x20 {
                endWord()
                continue
            }
            let kind = classes[Int(byte)]
            guard kind != 0 else { continue }
            let vowel = kind >> 1
            letters += 1
            groups += Int(vowel & ~previousVowel & 1)
            previousVowel = vowel
            (beforeLast, last) = (last, byte)
        }
        endWord()
    }

    /// Vowel groups of a word's ASCII letters (a silent final "e" dropped, at least one); 0 when
    /// the word has no letter. Letters outside ASCII count as one consonant each.
    static func syllables<Word: Collection<UInt8>>(in word: Word) -> Int {
        var result = Readability(words: 0, sentences: 0, syllables: 0)
        Array(word).withUnsafeBufferPointer { word in
            classes.withUnsafeBufferPointer { classes in count(words: word, classes, into: &result) }
        }
        return result.syllables
    }

    static func syllables(in word: String) -> Int { syllables(in: Array(word.utf8)) }
}

/// `reading-level`: the article reads above its category's `reading-age` (a warning, with the figure).
public enum ReadingLevelRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.readingLevel], summary: "The article reads above its category's target reading age (Flesch–Kincaid).",
        rationale: "Health information should be readable by most adults; the UK Patient Information Forum asks for a reading age of 9 to 11.")

    public static func check(_ context: ArticleContext) -> [Finding] {
        guard let target = context.category?.readingAge else { return [] }
        guard let readability = context.article.readability else {
            // A loader measures it wherever a category sets a target (``WorkflowEngine/readsReadability(_:)``):
            // an article without a measure is never passed as readable.
            return [Finding(.readingLevel, path: context.path,
                            "the reading level of this revision was not measured; remove .git/review (the caches) and run again")]
        }
        guard readability.words >= 50, readability.readingAge > target else { return [] }
        let grade = (readability.grade * 10).rounded() / 10
        return [Finding(.readingLevel, path: context.path,
                        "reads at age \(readability.readingAge) (Flesch–Kincaid grade \(grade), \(readability.words) words in \(readability.sentences) sentences); \(context.category!.name) aims for \(target) or under: use shorter sentences and shorter words")]
    }
}
