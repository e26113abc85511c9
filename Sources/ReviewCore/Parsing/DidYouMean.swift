import Paths

/// The closest of a few known words to a mistyped one, for "did you mean".
public enum DidYouMean {
    /// The known word within three edits of `word` (the closest), or `nil`.
    public static func suggestion(for word: String, among known: some Collection<String>) -> String? {
        let near = known.min { (distance(word, $0), $0) < (distance(word, $1), $1) }
        return near.flatMap { distance(word, $0) <= 3 ? $0 : nil }
    }

    /// Edit distance between two short texts.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard !a.isEmpty else { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }
}
