import Paths

/// Which commits of the record's history descend from which: the commit graph by position
/// (parents before children), so the workflow can tell decisions made one after another from
/// decisions made side by side on two branches. Pure: built once per read from the history's
/// parent lists.
public struct CommitAncestry: Sendable {
    /// The graph's three lists, in one object: every article's facts carry the record's
    /// ancestry, and each copy of them retained each list (three reference counts that every
    /// core updated, many times per article, on one history's lists). `nil`: one line.
    private final class Lists: Sendable {
        /// Per position, where its parents start in ``parentList``; one more entry than commits.
        let parentStart: [Int32]
        let parentList: [Int32]
        /// Per position, the lowest position reachable along a single line of one-parent commits
        /// each the child of the one before (so every position from there up is an ancestor).
        let lineStart: [Int32]

        init(parentStart: [Int32], parentList: [Int32], lineStart: [Int32]) {
            (self.parentStart, self.parentList, self.lineStart) = (parentStart, parentList, lineStart)
        }
    }
    private let lists: Lists?

    /// A history that is one line: every earlier position is an ancestor of every later one.
    public static let line = CommitAncestry(lists: nil)

    private init(lists: Lists?) {
        self.lists = lists
    }

    /// - Parameter parents: each position's parents' positions (each smaller than its own).
    public init(count: Int, parents: (Int) -> some Collection<Int32>) {
        var start: [Int32] = [0], list: [Int32] = [], line: [Int32] = []
        start.reserveCapacity(count + 1)
        line.reserveCapacity(count)
        for position in 0..<count {
            let own = parents(position)
            list.append(contentsOf: own)
            start.append(Int32(list.count))
            if own.count == 1, let only = own.first, Int(only) == position - 1 { line.append(line[position - 1]) } else { line.append(Int32(position)) }
        }
        self.init(lists: line.isEmpty ? nil : Lists(parentStart: start, parentList: list, lineStart: line))
    }

    /// Whether the commit at `a` is `b` or one of its ancestors. A position past the history
    /// (`Int.max`: a record not committed yet) descends from every commit and from nothing.
    public func isAncestor(_ a: Int, of b: Int) -> Bool {
        if a == b { return true }
        if b == Int.max { return true }
        guard let lists, a < b, a >= 0, b < lists.lineStart.count else { return lists == nil && a < b }
        let (parentStart, parentList, lineStart) = (lists.parentStart, lists.parentList, lists.lineStart)
        if a >= Int(lineStart[b]) { return true }
        // Walk back from b, never below a (positions are topological).
        var seen = Set<Int32>()
        var stack = [Int32(b)]
        while let c = stack.popLast() {
            for p in parentList[Int(parentStart[Int(c)])..<Int(parentStart[Int(c) + 1])] where Int(p) >= a {
                if Int(p) == a || a >= Int(lineStart[Int(p)]) { return true }
                if seen.insert(p).inserted { stack.append(p) }
            }
        }
        return false
    }
}
