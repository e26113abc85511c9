import Paths

/// A word-level comparison of two texts, for the dashboard's "what changed since the last
/// approval": runs of unchanged, removed and added text that together spell both texts. Pure.
///
/// Lines are compared first, then the words of each changed group of lines (words, runs of
/// spaces, single punctuation marks), each with Myers' O((N+M)·D) shortest edit script. An
/// edit larger than ``maximumEdit`` is shown as the old text removed and the new one added, so a
/// rewritten 40 KB article costs no more than a small edit.
public struct WordDiff: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, Codable {
        case same
        case removed
        case added
    }

    public struct Run: Sendable, Equatable {
        public var kind: Kind
        public var text: String
    }

    public var runs: [Run]

    /// Edits beyond this many lines, or words within a changed group of lines, are not
    /// searched for (the group is shown replaced instead).
    public static let maximumEdit = 1000

    /// Words added and removed (spaces and punctuation not counted).
    public var wordsAdded: Int { count(.added) }
    public var wordsRemoved: Int { count(.removed) }

    private func count(_ kind: Kind) -> Int {
        runs.filter { $0.kind == kind }.reduce(0) { $0 + WordDiff.tokens(Substring($1.text)).filter { $0.contains { $0.isLetter || $0.isNumber } }.count }
    }

    public init(old: String, new: String) {
        var runs: [Run] = []
        func append(_ kind: Kind, _ text: Substring) {
            guard !text.isEmpty else { return }
            if let last = runs.last, last.kind == kind {
                runs[runs.count - 1].text += text
            } else {
                runs.append(Run(kind: kind, text: String(text)))
            }
        }
        // Lines first, then words inside each changed group of lines: scattered edits in a long
        // article stay cheap, and a changed line shows which of its words changed.
        let oldLines = WordDiff.lines(old), newLines = WordDiff.lines(new)
        var removed: [Substring] = [], added: [Substring] = []
        func flush() {
            defer { removed = []; added = [] }
            let a = removed.flatMap(WordDiff.tokens), b = added.flatMap(WordDiff.tokens)
            if let script = WordDiff.editScript(a, b) {
                for step in script {
                    switch step {
                    case .same(let i): append(.same, a[i])
                    case .removed(let i): append(.removed, a[i])
                    case .added(let j): append(.added, b[j])
                    }
                }
            } else {
                for token in a { append(.removed, token) }
                for token in b { append(.added, token) }
            }
        }
        if let script = WordDiff.editScript(oldLines, newLines) {
            for step in script {
                switch step {
                case .same(let i):
                    flush()
                    append(.same, oldLines[i])
                case .removed(let i): removed.append(oldLines[i])
                case .added(let j): added.append(newLines[j])
                }
            }
        } else {
            removed = oldLines
            added = newLines
        }
        flush()
        self.runs = runs
    }

    /// The text's lines, each with its line break.
    static func lines(_ text: String) -> [Substring] {
        var out: [Substring] = []
        var start = text.startIndex
        for index in text.indices where text[index] == "\n" {
            out.append(text[start...index])
            start = text.index(after: index)
        }
        if start < text.endIndex { out.append(text[start...]) }
        return out
    }

    /// Words (letters, digits and in-word marks), runs of spaces, and every other character
    /// on its own (punctuation, line breaks).
    static func tokens(_ text: Substring) -> [Substring] {
        var out: [Substring] = []
        var start = text.startIndex
        var index = start
        enum Class { case word, space, other }
        func kind(_ c: Character) -> Class {
            if c.isLetter || c.isNumber || c == "'" || c == "’" || c == "-" { return .word }
            if c == " " || c == "\t" { return .space }
            return .other
        }
        var current: Class?
        while index < text.endIndex {
            let k = kind(text[index])
            if let c = current, c != k || k == .other {
                out.append(text[start..<index])
                start = index
            }
            current = k
            index = text.index(after: index)
        }
        if start < text.endIndex { out.append(text[start...]) }
        return out
    }

    enum Step: Equatable {
        case same(Int)
        case removed(Int)
        case added(Int)
    }

    /// Myers' greedy shortest edit script, or `nil` when it needs more than ``maximumEdit``
    /// edits. Its memory is O(D²) in the number of edits D, which the limit bounds.
    static func editScript<Element: Equatable>(_ a: [Element], _ b: [Element]) -> [Step]? {
        let n = a.count, m = b.count
        if n == 0 { return (0..<m).map(Step.added) }
        if m == 0 { return (0..<n).map(Step.removed) }
        let limit = min(n + m, maximumEdit)
        let offset = limit + 1
        var v = [Int](repeating: 0, count: 2 * limit + 3)
        // trace[d] holds v[-d-1 ... d+1] as it was before round d.
        var trace: [[Int]] = []
        for d in 0...limit {
            trace.append(Array(v[(offset - d - 1)...(offset + d + 1)]))
            var k = -d
            while k <= d {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n, y < m, a[x] == b[y] {
                    x += 1
                    y += 1
                }
                v[offset + k] = x
                if x >= n, y >= m { return backtrack(trace, a: n, b: m, final: d) }
                k += 2
            }
        }
        return nil
    }

    private static func backtrack(_ trace: [[Int]], a n: Int, b m: Int, final: Int) -> [Step] {
        var steps: [Step] = []
        var x = n, y = m
        for d in stride(from: final, through: 0, by: -1) {
            let row = trace[d]
            let v = { (k: Int) in row[k + d + 1] }
            let k = x - y
            let previousK: Int
            if k == -d || (k != d && v(k - 1) < v(k + 1)) {
                previousK = k + 1
            } else {
                previousK = k - 1
            }
            let previousX = d == 0 ? 0 : v(previousK)
            let previousY = previousX - previousK
            while x > previousX, y > previousY {
                x -= 1
                y -= 1
                steps.append(.same(x))
            }
            if d > 0 {
                if x == previousX {
                    y -= 1
                    steps.append(.added(y))
                } else {
                    x -= 1
                    steps.append(.removed(x))
                }
            }
        }
        return steps.reversed()
    }
}
