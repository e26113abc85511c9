/// How a merge's version of a file stands to its parents' versions, line by line: what git's
/// combined diff (`git diff --cc`) shows of it.
public enum MergeLines {
    /// Whether the merge's version `result` holds only what its parents' versions held, where
    /// they held it: each of its lines is matched to a line of some parent by a shortest line
    /// diff (Myers'), and there is no place where lines of every parent were dropped. So a
    /// conflict resolved by taking one side's version of each hunk holds; a line written in
    /// the merge, or a passage every parent had and the merge left out, does not. `nil` when
    /// a parent is too far from the result to compare (more than ``WordDiff/maximumEdit``
    /// lines added and removed).
    public static func takesEveryLineFromAParent(result: [UInt8], parents: [[UInt8]]) -> Bool? {
        // Lines as numbers, one per distinct line, so the diff compares integers.
        var numbers: [ArraySlice<UInt8>: Int] = [:]
        func lines(_ bytes: [UInt8]) -> [Int] {
            bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
                if let known = numbers[line] { return known }
                numbers[line] = numbers.count
                return numbers.count - 1
            }
        }
        let merged = lines(result)
        var fromAParent = [Bool](repeating: false, count: merged.count)
        // Per gap between the result's lines (before line i; the last after all): whether every
        // parent lost lines there. A parent's lines lost in a changed region (a run of lines
        // removed and added) count as lost at every gap of the region, since where in it a diff
        // puts them is arbitrary; so two parents that each lost a passage around the same
        // place are caught however their diffs happen to align. (A merge whose parents changed
        // adjacent lines can be caught too: it is then compared as any commit is.)
        var lostByAll = [Bool](repeating: !parents.isEmpty, count: merged.count + 1)
        for parent in parents {
            guard let steps = WordDiff.editScript(lines(parent), merged) else { return nil }
            var lost = [Bool](repeating: false, count: merged.count + 1)
            var at = 0
            var region: (start: Int, lost: Bool)?
            func close() {
                if let open = region, open.lost { for gap in open.start...at { lost[gap] = true } }
                region = nil
            }
            for step in steps {
                switch step {
                case .same:
                    close()
                    fromAParent[at] = true
                    at += 1
                case .added:
                    if region == nil { region = (at, false) }
                    at += 1
                case .removed:
                    if region == nil { region = (at, false) }
                    region?.lost = true
                }
            }
            close()
            for gap in lost.indices where !lost[gap] { lostByAll[gap] = false }
        }
        return !fromAParent.contains(false) && !lostByAll.contains(true)
    }
}
