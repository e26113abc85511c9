import Paths
import ReviewCore
import Testing

@Suite struct ArticleParserTests {
    static let valid = """
        ---
        title: Migraine
        last-updated: 2026-04-07
        category: neurology
        tags: [headache, pain]
        ---
        Body line one.
        """

    private func parse(_ text: String, path: String = "Articles/migraine.md") -> (Article, [Finding]) {
        ArticleParser.parse(path: GitPath(path), bytes: Array(text.utf8))
    }

    @Test func readsTheFrontMatterAndBody() {
        let (article, findings) = parse(Self.valid)
        #expect(findings.isEmpty)
        #expect(article.title == "Migraine")
        #expect(article.lastUpdated == Day("2026-04-07"))
        #expect(article.category == "neurology")
        #expect(article.tags == ["headache", "pain"])
        #expect(article.body == "Body line one.")
        #expect(article.bodyFirstLine == 7)
        #expect(article.line(of: "category") == 4)
    }

    @Test func acceptsAByteOrderMarkAndCRLF() {
        let bytes = [0xEF, 0xBB, 0xBF] + Array(Self.valid.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let (article, findings) = ArticleParser.parse(path: "Articles/migraine.md", bytes: bytes)
        #expect(findings.isEmpty)
        #expect(article.title == "Migraine")
        #expect(article.body == "Body line one.")
    }

    /// Each broken input gives exactly one `invalid-front-matter` finding at the expected line.
    @Test(arguments: [
        ("no front matter", "# Just Markdown\n", 1, "must start with a '---'"),
        ("never closed", "---\ntitle: A\nlast-updated: 2026-01-01\ncategory: x\n", 1, "never closed"),
        ("duplicate key", "---\ntitle: A\ntitle: B\nlast-updated: 2026-01-01\ncategory: x\n---\n", 2, "duplicate key 'title'"),
        ("impossible date", "---\ntitle: A\nlast-updated: 2026-02-30\ncategory: x\n---\n", 3, "real date"),
        ("wrong date shape", "---\ntitle: A\nlast-updated: 7 April 2026\ncategory: x\n---\n", 3, "YYYY-MM-DD"),
        ("missing category", "---\ntitle: A\nlast-updated: 2026-01-01\n---\n", 4, "missing required key 'category'"),
        ("alias", "---\ntitle: &t A\nlast-updated: 2026-01-01\ncategory: *t\n---\n", 2, "anchors and aliases"),
        ("syntax error", "---\ntitle: [unclosed\nlast-updated: 2026-01-01\ncategory: x\n---\n", 3, "YAML syntax"),
        ("not a mapping", "---\n- a\n- b\n---\n", 2, "key: value"),
        ("list title", "---\ntitle: [a, b]\nlast-updated: 2026-01-01\ncategory: x\n---\n", 2, "non-empty text"),
        ("bad status", "---\ntitle: A\nlast-updated: 2026-01-01\ncategory: x\nstatus: draft\n---\n", 5, "'retired'"),
    ])
    func brokenFrontMatterIsAFinding(_ name: String, _ text: String, _ line: Int, _ message: String) {
        let (_, findings) = parse(text)
        #expect(findings.count == 1, "\(name): \(findings)")
        #expect(findings.first?.rule == .invalidFrontMatter)
        #expect(findings.first?.line == line, "\(name)")
        #expect(findings.first?.message.contains(message) == true, "\(name): \(findings.first?.message ?? "")")
    }

    @Test func invalidUTF8IsReportedWithItsLine() {
        let bytes = Array("---\ntitle: A\n".utf8) + [0xC3, 0x28] + Array("\n---\n".utf8)
        let (_, findings) = ArticleParser.parse(path: "Articles/a.md", bytes: bytes)
        #expect(findings.map(\.line) == [3])
        #expect(findings.first?.message.contains("UTF-8") == true)
    }

    @Test func aNulByteIsReported() {
        let (_, findings) = ArticleParser.parse(path: "Articles/a.md", bytes: Array("---\n".utf8) + [0] + Array("\n".utf8))
        #expect(findings.map(\.line) == [2])
    }

    @Test func aBillionLaughsBombIsRefusedBeforeExpansion() {
        var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { yaml += "l\(level): &l\(level) [" + Array(repeating: level == 1 ? "*a" : "*l\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        let (_, findings) = parse("---\n" + yaml + "---\n")
        #expect(findings.first?.message.contains("aliases") == true)
    }

    @Test func deepNestingIsRefusedWithoutRecursion() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let (_, findings) = parse("---\ntitle: \(deep)\n---\n")
        #expect(findings.first?.message.contains("nested deeper") == true)
        let dashes = String(repeating: "- ", count: 50_000) + "x"
        let (_, more) = parse("---\n\(dashes)\n---\n")
        #expect(more.first?.message.contains("nested deeper") == true)
    }

    @Test(arguments: [
        ("Articles/migraine.md", true), ("Articles/a/b-2.md", true),
        ("Articles/Migraine.md", false), ("Articles/mi--graine.md", false), ("Articles/-a.md", false),
        ("Articles/pmI.md", false), ("Articles/p\u{0430}ml.md", false),  // Cyrillic 'а' confusable
        ("Articles/\(String(repeating: "a", count: 101)).md", false),
    ])
    func slugsFollowTheContract(_ path: String, _ valid: Bool) {
        let (_, findings) = parse(Self.valid, path: path)
        #expect(findings.isEmpty == valid, "\(path): \(findings)")
    }
}

@Suite struct DayTests {
    @Test(arguments: ["2026-04-07", "2024-02-29", "1970-01-01", "1969-12-31", "2000-02-29", "9999-12-31"])
    func roundTrips(_ text: String) throws {
        #expect(try #require(Day(text)).description == text)
    }

    @Test(arguments: ["2026-02-30", "2023-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "26-04-07", "2026-4-7", "２０２６-04-07", ""])
    func rejectsImpossibleOrMalformedDates(_ text: String) {
        #expect(Day(text) == nil)
    }

    @Test func arithmeticAndTimestamps() throws {
        let day = try #require(Day("2026-04-07"))
        #expect(day.adding(days: 365).description == "2027-04-07")
        #expect(day.days(until: try #require(Day("2026-05-07"))) == 30)
        #expect(Day(secondsSinceEpoch: 0).description == "1970-01-01")
        #expect(Day(secondsSinceEpoch: -1).description == "1969-12-31")
        #expect(Day(secondsSinceEpoch: 1_775_606_399).description == "2026-04-07")
    }

    /// Days from year 0 to 10,000 (and a little beyond each end) are written as their
    /// components, zero-padded; and those in the years a date may have read back.
    @Test func descriptionIsTheComponentsPadded() {
        func padded(_ n: Int, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(n).count)) + String(n) }
        // 0000-01-01 and 10000-01-01 (proleptic Gregorian).
        let first = Day(daysSinceEpoch: -719_528), last = Day(daysSinceEpoch: 2_932_897)
        #expect(first.components == (0, 1, 1) && last.components == (10_000, 1, 1))
        // Every day of the first and last years, and every 17th day in between (each day of the
        // month and each month is met many times).
        let ends = Array((first.daysSinceEpoch - 400)...(first.daysSinceEpoch + 800)) + Array((last.daysSinceEpoch - 800)...(last.daysSinceEpoch + 400))
        for days in ends + Array(stride(from: first.daysSinceEpoch, through: last.daysSinceEpoch, by: 17)) {
            let day = Day(daysSinceEpoch: days)
            let (y, m, d) = day.components
            let text = day.description
            guard text == "\(padded(y, 4))-\(padded(m, 2))-\(padded(d, 2))" else {
                Issue.record("\(days): \(text)")
                return
            }
            // Where the year is one a date may have (``Day/init(year:month:day:)``), it reads back.
            if Day(year: y, month: m, day: d) != nil, Day(text) != day {
                Issue.record("\(text) reads back as \(String(describing: Day(text)))")
                return
            }
        }
    }
}
