import Paths
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import PropertyBased
@testable import ReviewCore
import Testing
import TestSupport

/// Issue 17, item 1: what the hand-written renderer lost, rendered from cmark-gfm's tree.
@Suite struct MarkdownRenderingTests {
    private func html(_ markdown: String, article: String = "Articles/respiratory/x.md") -> String {
        MarkdownHTML.render(markdown, links: SiteLinks(articlePath: GitPath(article)))
    }

    @Test func aDosageTableIsATable() throws {
        let out = html("| Age | Dose |\n|---|---:|\n| 2-5 | 2.5 ml |\n| 6-11 | 5 ml |\n")
        #expect(out.contains("<table>"))
        #expect(out.contains("<thead>\n<tr><th>Age</th><th>Dose</th></tr>"))
        #expect(out.contains("<tr><td>6-11</td><td>5 ml</td></tr>"))
        #expect(!out.contains("|"))
    }

    @Test func nestedListsKeepTheirStructureAndNumbering() {
        let out = html("1. Sit up\n2. Take the inhaler\n   - one puff\n   - wait a minute\n3. Call 999 if no better\n")
        #expect(out.contains("<ol>"))
        #expect(out.contains("<ul>\n<li>one puff</li>"))
        #expect(out.components(separatedBy: "<li>").count - 1 == 5)
        let later = html("3. Third\n4. Fourth\n")
        #expect(later.contains("<ol start=\"3\">"))
    }

    @Test func quotesCodeEmphasisAutolinksAndReferenceLinks() {
        let out = html("""
            > Call 999

            ```
            # not a heading
            ```

            _em_, ~~old~~, <https://nhs.uk/a>, [ref][r] and [paren](https://e.org/a_(b)).

            - [x] done

            [r]: https://example.org/ref
            """)
        #expect(out.contains("<blockquote>\n<p>Call 999</p>\n</blockquote>"))
        #expect(out.contains("<pre><code># not a heading\n</code></pre>"))
        #expect(!out.contains("<h1>"))
        #expect(out.contains("<em>em</em>"))
        #expect(out.contains("<del>old</del>"))
        #expect(out.contains("<a href=\"https://nhs.uk/a\">https://nhs.uk/a</a>"))
        #expect(out.contains("<a href=\"https://example.org/ref\">ref</a>"))
        #expect(out.contains("<a href=\"https://e.org/a_(b)\">paren</a>"))
        #expect(out.contains("<input type=\"checkbox\" checked=\"checked\" disabled=\"disabled\"/> done"))
    }

    @Test func linksBetweenArticlesAndFilesLeadToTheSite() {
        let out = html("See [asthma](asthma.md), [copd](../copd.md#signs) and ![chart](img/peak%20flow.png).")
        #expect(out.contains("<a href=\"asthma.html\">asthma</a>"))
        #expect(out.contains("<a href=\"copd.html#signs\">copd</a>"))
        #expect(out.contains("<img src=\"assets/respiratory/img/peak%20flow.png\" alt=\"chart\"/>"))
    }

    @Test func rawHTMLAndUnsafeLinksNeverPass() throws {
        let out = html("<script>alert(1)</script>\n\nText <img src=x onerror=alert(1)> [x](javascript:alert(1)) [y](data:text/html,x)\n")
        #expect(!out.contains("<script"))
        #expect(!out.contains("<img"))
        #expect(!out.contains("javascript:"))
        #expect(!out.contains("href=\"data:"))
        _ = try XMLDocument(data: Data(("<div>" + out + "</div>").utf8))
    }

    @Test func deepNestingBecomesTextNotAStackOverflow() throws {
        let deep = String(repeating: "> ", count: 5000) + "deep\n" + String(repeating: "[", count: 5000) + "x" + String(repeating: "](y)", count: 5000)
        let out = html(deep)
        #expect(out.contains("deep"))
        _ = try XMLDocument(data: Data(("<div>" + out + "</div>").utf8))
    }
}

/// Issue 17, item 2: the reference page (../shared/reference/published-article.txt, its
/// paragraphs as Markdown) yields exactly its defects, and nothing else.
@Suite struct StructureRuleTests {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/reference-page.md")

    @Test func theReferencePageYieldsExactlyItsDefects() throws {
        let text = try String(contentsOf: Self.reference, encoding: .utf8)
        let (_, findings) = ArticleParser.parse(path: "Articles/pml.md", bytes: Array(text.utf8))
        let found = findings.sorted().map { "\($0.line ?? 0) \($0.rule.rawValue)" }
        #expect(found == [
            "7 run-in-question",            // "What is the underlying cause of …?" inside the summary
            "9 repeated-text",              // the summary's two sentences again
            "11 repeated-text",             // "… is triggered by the JC virus …" again
            "13 list-intro-without-list",   // "those at highest risk include:" and no list
            "15 list-intro-without-list",   // "Common clinical indicators include:" and no list
        ], "\(findings)")
    }

    @Test func eachRuleStaysQuietOnHealthyText() {
        let healthy = """
            Short answer: PML is a rare infection of the brain caused by the JC virus.

            ## What causes it?

            The JC virus, which most adults carry.

            ## Who is at risk?

            Those at highest risk include:

            - people with HIV;
            - people on some medicines.

            A table follows:

            | a | b |
            |---|---|
            | 1 | 2 |

            Is it common? No. It is rare, and most adults carry the virus without harm.
            """
        let findings = StructureRules.check(body: healthy, firstLine: 1)
        // A question answered within its own paragraph is fine only when it is not a heading
        // word run into further text; "Is it common? No." is such a run-in, and reported.
        #expect(findings.map(\.rule) == [.runInQuestion])
        #expect(StructureRules.check(body: healthy.replacingOccurrences(of: "Is it common? No. ", with: ""), firstLine: 1).isEmpty)
    }
}

/// Issue 17: a disclaimer hidden where readers cannot see it passed `check`.
@Suite struct VisibleDisclaimerTests {
    @Test(arguments: [
        ("in a link target", "[Read more](https://e.org \"\(Fixture.disclaimer)\")\n\n[x](\(Fixture.disclaimer.replacingOccurrences(of: " ", with: "%20")))"),
        ("as the title heading the page drops", "# \(Fixture.disclaimer)"),
        ("in code", "```\n\(Fixture.disclaimer)\n```"),
        ("in an HTML comment", "<!-- \(Fixture.disclaimer) -->"),
        ("as image text", "![\(Fixture.disclaimer)](x.png)"),
    ])
    func aHiddenDisclaimerIsMissing(_ where_: String, _ body: String) {
        var configuration = Fixture.configuration
        configuration.asOf = Day("2026-04-08")!
        let facts = Fixture.facts(Fixture.articleText(body: "Body.\n\n" + body + "\n"))
        let status = WorkflowEngine.evaluate(facts, configuration)
        let rules = status.findings.map(\.rule)
        #expect(rules.contains(.missingDisclaimer) || rules.contains(.alteredDisclaimer), "\(where_): \(status.findings)")
    }

    @Test func aDisclaimerParagraphIsVisible() {
        var configuration = Fixture.configuration
        configuration.asOf = Day("2026-04-08")!
        let status = WorkflowEngine.evaluate(Fixture.facts(), configuration)
        #expect(!status.findings.contains { $0.rule == .missingDisclaimer || $0.rule == .alteredDisclaimer })
    }
}

@Suite struct NormalizedTextTests {
    @Test(arguments: [("  a \t b\n\nc  ", "a b c"), ("a\u{00A0}b", "a b"), ("a \u{00A0} b", "a b"), ("\u{00A0}a", "a"), ("é  ü", "é ü")])
    func whitespaceRunsBecomeOneSpace(_ text: String, _ expected: String) {
        #expect(StructureRules.normalized(text) == expected)
    }

    @Test func sentencesSplitAfterTheirMarks() {
        #expect(StructureRules.sentences("One two. Three? Four! 2.5 ml five") == ["One two.", "Three?", "Four!", "2.5 ml five"])
        #expect(StructureRules.sentences("One sentence only.") == ["One sentence only."])
        #expect(StructureRules.sentences("") == [])
    }

    /// Random text of the characters the fast paths look at (whitespace of every kind, the
    /// no-break space, control and non-ASCII characters, sentence marks), long enough to cross
    /// eight-byte steps.
    static func tricky(_ seed: UInt64) -> String {
        let alphabet: [String] = [" ", " ", " ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{A0}", "\u{01}", "\u{1F}", "a", "b", "e", "l", "Y",
                                  "é", "ü", "Ā", "\u{2003}", ".", "?", "!", "1", "-", "table", "make", "words "]
        var rng = SplitMix(seed: seed)
        // A few of the characters each time, so that texts with only spaces and letters come too.
        let chosen = (0..<rng.next(in: 2..<8)).map { _ in alphabet[rng.next(in: 0..<alphabet.count)] }
        return (0..<rng.next(in: 0..<120)).map { _ in chosen[rng.next(in: 0..<chosen.count)] }.joined()
    }

    /// The fast paths (a text already normalized is kept; eight bytes at a time) give what
    /// collapsing whitespace character by character gives, and sentences what splitting gives.
    @Test func normalizingAndSplittingEqualTheirDefinitions() async {
        let whitespace: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{A0}"]
        // A run of spaces longer than a lane counts before it is added up (255 rounds of 16).
        for run in [4079, 4080, 4081, 4096, 9000] {
            let bytes = [UInt8](repeating: 0x20, count: run) + Array("x. y".utf8)
            bytes.withUnsafeBufferPointer { #expect(ByteWords.count(of: 0x20, in: $0) == run + 1) }
        }
        await propertyCheck(count: 2000, input: Gen.uint64()) { seed in
            let text = Self.tricky(seed)
            var words: [String] = []
            var word = ""
            for scalar in text.unicodeScalars {
                if whitespace.contains(scalar) {
                    if !word.isEmpty { words.append(word) }
                    word = ""
                } else {
                    word.unicodeScalars.append(scalar)
                }
            }
            if !word.isEmpty { words.append(word) }
            let normalized = StructureRules.normalized(text)
            #expect(normalized == words.joined(separator: " "), "seed \(seed)")
            #expect(StructureRules.normalized(normalized) == normalized, "seed \(seed)")
            var sentences: [String] = []
            var current: [String] = []
            for (i, word) in words.enumerated() {
                current.append(word)
                if let mark = word.last, ".?!".contains(mark), i < words.count - 1 { sentences.append(current.joined(separator: " ")); current = [] }
            }
            if !current.isEmpty { sentences.append(current.joined(separator: " ")) }
            #expect(StructureRules.sentences(text).map(String.init) == sentences, "seed \(seed)")
            // Eight words or more: seven spaces, counted eight bytes at a time.
            for sentence in StructureRules.sentences(text) {
                #expect(RepeatedTextRule.hasEightWords(sentence) == (sentence.utf8.count { $0 == 0x20 } >= 7), "seed \(seed)")
            }
            let bytes = Array(text.utf8.prefix(8)) + Array(repeating: 0x20, count: max(0, 8 - text.utf8.count))
            // Sixteen at a time: runs of spaces (past the 255 rounds a lane holds, now and then),
            // every length and start.
            let long = Array(text.utf8) + Array(repeating: 0x20, count: Int(seed % 64 == 0 ? 4000 + seed % 2000 : seed % 200)) + Array(text.utf8)
            long.withUnsafeBufferPointer { all in
                for start in [0, 1, 7, 15] where start <= long.count {
                    let part = UnsafeBufferPointer(rebasing: all[start...])
                    for byte: UInt8 in [0x20, 0x2E, UInt8(ascii: "e")] {
                        #expect(ByteWords.count(of: byte, in: part) == part.count { $0 == byte }, "seed \(seed)")
                    }
                    let cuts = (0..<max(part.count - 1, 0)).filter { ".?!".utf8.contains(part[$0]) && part[$0 + 1] == 0x20 }.map { $0 + 1 }
                    #expect(StructureRules.sentenceCuts(part) == cuts, "seed \(seed)")
                }
            }
            let eight = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            for byte: UInt8 in [0x20, 0x00, 0x80, 0xA0, UInt8(ascii: "e")] {
                #expect(ByteWords.count(eight, of: byte) == bytes.count { $0 == byte }, "seed \(seed)")
            }
        }
    }
}

/// Issue 17, item 3: a page that lost a block is caught before it is published.
@Suite struct RenderIntegrityTests {
    static let source = "# Title\n\nThose at risk include:\n\n- people with HIV;\n- people on some medicines.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"

    @Test func theRenderersOwnPageCarriesEveryBlock() {
        #expect(RenderIntegrity.problems(markdown: Self.source, html: MarkdownHTML.render(Self.source)).isEmpty)
        let hostile = "<b>raw</b> & <i>more</i>\n\n![alt text](x.png) and `code` and [link](javascript:x)\n\n> quoted **strong**\n"
        #expect(RenderIntegrity.problems(markdown: hostile, html: MarkdownHTML.render(hostile)).isEmpty)
    }

    @Test func aLostListAndAFlattenedTableAreCaught() {
        // What the reference page's renderer did: the list items vanished.
        let lost = "<h1>Title</h1><p>Those at risk include:</p><table><tr><td>a</td><td>b</td></tr><tr><td>1</td><td>2</td></tr></table>"
        let findings = RenderIntegrity.problems(markdown: Self.source, html: lost)
        #expect(findings.map(\.line) == [5, 6])
        #expect(findings.allSatisfy { $0.rule == .renderIntegrity })
        // Blocks out of order are blocks missing where they belong.
        let reordered = "<h1>Title</h1><p>Those at risk include:</p><ul><li>people on some medicines.</li><li>people with HIV;</li></ul>"
        #expect(RenderIntegrity.problems(markdown: Self.source, html: reordered).count >= 2)
    }
}

/// Issue 17, item 4: the reading level, as a warning with the figure.
@Suite struct ReadabilityTests {
    @Test func plainWordsReadYoungerThanClinicalOnes() {
        let plain = Readability.of(MarkdownParser.parse("The virus sleeps in the body. It can wake up. Then it harms the brain.\n\n- a cough;\n- a fever.\n"))
        let clinical = Readability.of(MarkdownParser.parse(
            "Progressive multifocal leukoencephalopathy is a demyelinating disease of the central nervous system caused by reactivation of the polyomavirus in immunocompromised individuals.\n"))
        #expect(plain.sentences == 5 && plain.words == 19)
        #expect(plain.readingAge < 9)
        #expect(clinical.readingAge > 20)
        #expect(Readability.syllables(in: "table") == 2 && Readability.syllables(in: "make") == 1 && Readability.syllables(in: "virus") == 2)
    }

    /// The counting loop gives what the rule says, counted the plain way: words with a letter
    /// (every character outside ASCII counts as a consonant), vowel groups of ASCII letters (y
    /// too), a final "e" after anything but "l" dropped, at least one.
    @Test func countsEqualTheirDefinition() async {
        func syllables(_ word: Substring) -> Int {
            let letters = word.unicodeScalars.filter { !$0.isASCII || ("a"..."z").contains(Character($0).lowercased().first!) }
            guard !letters.isEmpty else { return 0 }
            var groups = 0
            var previousVowel = false
            for letter in letters {
                let vowel = letter.isASCII && "aeiouy".contains(Character(letter).lowercased().first!)
                if vowel && !previousVowel { groups += 1 }
                previousVowel = vowel
            }
            let lower = letters.map { $0.isASCII ? Character($0).lowercased().first! : "·" }
            if lower.last == "e", lower.dropLast().last != "l", groups > 1 { groups -= 1 }
            return max(groups, 1)
        }
        await propertyCheck(count: 1000, input: Gen.uint64()) { seed in
            let body = BodyText(MarkdownParser.parse(NormalizedTextTests.tricky(seed) + "\n\nThe table makes sense. Naïve ideas.\n"))
            var expected = Readability(words: 0, sentences: 0, syllables: 0)
            for block in body.paragraphs {
                expected.sentences += block.sentences.count
                for sentence in block.sentences {
                    for word in sentence.split(separator: " ") where syllables(word) > 0 {
                        expected.words += 1
                        expected.syllables += syllables(word)
                    }
                }
            }
            #expect(Readability.of(body) == expected, "seed \(seed)")
        }
    }

    @Test func aCategoryTargetTurnsItIntoAWarningWithTheFigure() throws {
        let policy = try PolicyParser.parse(Array((PolicyParserTests.valid.replacingOccurrences(of: "    disclaimers: [medical]",
            with: "    disclaimers: [medical]\n    reading-age: 11")).utf8), disclaimerIDs: ["medical"])
        #expect(policy.categories["neurology"]?.readingAge == 11)
        var configuration = Fixture.configuration
        configuration.policy.categories["neurology"]?.readingAge = 11
        configuration.asOf = Day("2026-04-08")!
        let long = String(repeating: "Progressive multifocal leukoencephalopathy is an opportunistic demyelinating infection of oligodendrocytes. ", count: 8)
        let status = WorkflowEngine.evaluate(Fixture.facts(Fixture.articleText(body: long + "\n\n" + Fixture.disclaimer)), configuration)
        let finding = try #require(status.findings.first { $0.rule == .readingLevel })
        #expect(finding.severity == .warning)
        #expect(finding.message.contains("Flesch–Kincaid grade") && finding.message.contains("aims for 11 or under"))
        #expect(!WorkflowEngine.evaluate(Fixture.facts(), configuration).findings.contains { $0.rule == .readingLevel })
    }
}
