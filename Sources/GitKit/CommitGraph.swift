import CGit2

/// The commits reachable from one commit, with their trees and parents, read in one pass.
///
/// Parses raw commit objects itself (only the `tree` and `parent` headers), which is far
/// cheaper than libgit2's full commit parsing. Commits listed in a shallow clone's `shallow`
/// file get no parents and are marked as boundaries, so callers can say that history ends
/// there instead of inventing an answer.
struct CommitGraph {
    var ids: [ObjectID] = []
    var trees: [ObjectID] = []
    /// Parent indices, in the commit's parent order.
    var parents = FlatLists<Int32>()
    /// Whether the commit is at a shallow clone's boundary (its real parents are absent).
    var isBoundary: [Bool] = []
    var index: [ObjectID: Int32] = [:]
    /// The commit the walk starts from.
    var tip: Int32 = 0

    var count: Int { ids.count }

    init(ids: [ObjectID], trees: [ObjectID], parents: FlatLists<Int32>, isBoundary: [Bool], index: [ObjectID: Int32], tip: Int32) {
        self.ids = ids
        self.trees = trees
        self.parents = parents
        self.isBoundary = isBoundary
        self.index = index
        self.tip = tip
    }

    /// Reads every commit reachable from `tip`.
    ///
    /// - Parameter within: when given, only these commits are walked through: any other
    ///   commit reached is kept as a boundary (its tree is known, its parents are not followed).
    init(tip: ObjectID, database: ObjectDatabase, shallow: Set<ObjectID>, within: Set<ObjectID>? = nil) throws(RepositoryError) {
        var pendingParents: [[ObjectID]] = []
        var queue: [ObjectID] = [tip]
        index[tip] = 0
        ids.append(tip)
        var cursor = 0
        while cursor < queue.count {
            let id = queue[cursor]
            cursor += 1
            let (tree, parentIDs) = try Self.parse(id, database: database)
            trees.append(tree)
            let boundary = shallow.contains(id) || within.map { !$0.contains(id) } ?? false
            isBoundary.append(boundary)
            let kept = boundary ? [] : parentIDs
            pendingParents.append(kept)
            for parent in kept where index[parent] == nil {
                index[parent] = Int32(ids.count)
                ids.append(parent)
                queue.append(parent)
            }
        }
        parents = FlatLists(pendingParents.map { $0.compactMap { index[$0] } })
    }

    /// Reads the tree and parent ids from a raw commit object.
    static func parse(_ id: ObjectID, database: ObjectDatabase) throws(RepositoryError) -> (ObjectID, [ObjectID]) {
        let commit = try RawCommit.parse(id, database: database)
        return (commit.tree, commit.parents)
    }

    /// For each commit, the commit of the tip's first-parent chain (its main line) through which
    /// it reached the tip: the oldest commit of that chain that has it as an ancestor (itself,
    /// for a commit on the chain; the merge that brought it in, for a commit of a merged
    /// branch). `-1` for a commit the tip does not reach (the persistent index may hold others).
    ///
    /// One pass: the chain oldest first, each of its commits claiming every unclaimed ancestor
    /// it reaches through its other parents; whatever an older commit of the chain reaches is
    /// claimed already.
    func mainLineArrivals() -> [Int32] {
        var chain: [Int32] = []
        var c = tip
        // A chain never revisits a commit; the bound keeps damaged parent data from looping.
        while chain.count < count {
            chain.append(c)
            guard let first = parents[Int(c)].first else { break }
            c = first
        }
        var arrival = [Int32](repeating: -1, count: count)
        var stack: [Int32] = []
        for m in chain.reversed() {
            arrival[Int(m)] = m
            for p in parents[Int(m)].dropFirst() where arrival[Int(p)] < 0 {
                arrival[Int(p)] = m
                stack.append(p)
            }
            while let x = stack.popLast() {
                for p in parents[Int(x)] where arrival[Int(p)] < 0 {
                    arrival[Int(p)] = m
                    stack.append(p)
                }
            }
        }
        return arrival
    }

    /// Commit indices with every commit before all of its parents (children first).
    ///
    /// Kahn's algorithm on the child counts; a stack keeps chains of history together,
    /// which keeps delta chains in the pack cache warm when the order is reversed.
    func childrenFirstOrder() -> [Int32] {
        var childCount = [Int32](repeating: 0, count: count)
        for p in parents.values { childCount[Int(p)] += 1 }
        var order: [Int32] = []
        order.reserveCapacity(count)
        var ready: [Int32] = (0..<Int32(count)).filter { childCount[Int($0)] == 0 }.reversed()
        while let c = ready.popLast() {
            order.append(c)
            // Push parents in reverse so the first parent is taken next.
            for p in parents[Int(c)].reversed() {
                childCount[Int(p)] -= 1
                if childCount[Int(p)] == 0 { ready.append(p) }
            }
        }
        return order
    }
}
