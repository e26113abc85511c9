/// Lists kept one after another in one array: the history index's parents and changes, which a
/// long history holds per commit (8,686 commits of windows-powershell-docs, each with an array
/// of parents and an array of changes per parent, were 26,000 allocations to load from the
/// cache file and to free, one by one, on the main thread of a warm run). Here they are two
/// arrays, loaded in bulk and freed at once.
struct FlatLists<Element> {
    /// Every list's elements, the lists in the order appended.
    private(set) var values: [Element] = []
    /// Where each list ends in ``values``; each starts where the one before it ends.
    private(set) var ends: [Int32] = []

    init() {}

    /// Lists already laid out: `ends` non-decreasing, the last equal to `values.count` (checked).
    init?(values: [Element], ends: [Int32]) {
        var last: Int32 = 0
        for end in ends {
            guard end >= last else { return nil }
            last = end
        }
        guard Int(last) == values.count else { return nil }
        self.values = values
        self.ends = ends
    }

    /// Nested arrays, each one list.
    init(_ lists: [[Element]]) {
        reserveCapacity(lists: lists.count, values: lists.reduce(0) { $0 + $1.count })
        for list in lists { append(list) }
    }

    /// How many lists.
    var count: Int { ends.count }
    var indices: Range<Int> { 0..<ends.count }

    /// Where list `i` starts in ``values``.
    func start(of i: Int) -> Int { i == 0 ? 0 : Int(ends[i - 1]) }

    /// List `i`, indexed from 0.
    subscript(i: Int) -> FlatList<Element> {
        FlatList(values: values, start: start(of: i), end: Int(ends[i]))
    }

    mutating func append<C: Collection>(_ list: C) where C.Element == Element {
        precondition(values.count + list.count <= Int(Int32.max), "a list of lists holds at most \(Int32.max) values")
        values.append(contentsOf: list)
        ends.append(Int32(values.count))
    }

    /// Appends one list: the values `fill` appends to ``values`` (it appends, nothing else).
    mutating func appendList(_ fill: (inout [Element]) -> Void) {
        fill(&values)
        precondition(values.count <= Int(Int32.max), "a list of lists holds at most \(Int32.max) values")
        ends.append(Int32(values.count))
    }

    /// Appends `other`'s lists after these.
    mutating func append(contentsOf other: FlatLists<Element>) {
        precondition(values.count + other.values.count <= Int(Int32.max), "a list of lists holds at most \(Int32.max) values")
        let offset = Int32(values.count)
        values.append(contentsOf: other.values)
        ends.append(contentsOf: other.ends.lazy.map { $0 + offset })
    }

    mutating func reserveCapacity(lists: Int, values count: Int) {
        ends.reserveCapacity(lists)
        values.reserveCapacity(count)
    }

    /// Changes every value in place (the lists keep their lengths).
    mutating func modifyEach(_ body: (inout Element) -> Void) {
        for i in values.indices { body(&values[i]) }
    }

    /// The lists as nested arrays.
    var arrays: [[Element]] { indices.map { Array(self[$0]) } }
}

/// One list of a ``FlatLists``, indexed from 0 (as the array it replaces was).
struct FlatList<Element>: RandomAccessCollection {
    private let values: [Element]
    private let start: Int
    let count: Int

    init(values: [Element], start: Int, end: Int) {
        self.values = values
        self.start = start
        self.count = end - start
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(i: Int) -> Element {
        precondition(i >= 0 && i < count, "index out of range")
        return values[start + i]
    }
}

extension FlatLists: Equatable where Element: Equatable {}

extension CommitLists where Element == HistoryIndex.Change {
    /// Per commit, whether any of its changes is to a path whose number `inScope` marks: one pass
    /// over the changes where they lie.
    func commits(changing inScope: [Bool]) -> [Bool] {
        lists.values.withUnsafeBufferPointer { values in
            indices.map { c in values[valueRange(of: c)].contains { inScope[Int($0.path)] } }
        }
    }
}

/// Per commit, one list per parent: what changed against that parent (``HistoryIndex/changes``).
/// A commit's lists are appended together, in any order of commits (the index compares its
/// commits oldest first but numbers them newest first).
struct CommitLists<Element> {
    /// Every list, the commits' lists one commit after another in the order they were set.
    private(set) var lists = FlatLists<Element>()
    /// Per commit, its first list in ``lists``, and how many it has.
    private var first: [Int32] = []
    private var listCount: [Int32] = []

    init() {}

    /// Lists in commit order: commit `c` has `counts[c]` of them (checked against `lists`).
    init?(lists: FlatLists<Element>, counts: [Int32]) {
        var total = 0
        first.reserveCapacity(counts.count)
        for n in counts {
            guard n >= 0 else { return nil }
            first.append(Int32(truncatingIfNeeded: total))
            total += Int(n)
            guard total <= lists.count else { return nil }
        }
        guard total == lists.count else { return nil }
        self.lists = lists
        self.listCount = counts
    }

    /// Nested arrays: per commit, per parent, the list.
    init(_ nested: [[[Element]]]) {
        for perParent in nested {
            appendCommit()
            set(commit: first.count - 1, perParent)
        }
    }

    /// How many commits.
    var count: Int { first.count }
    /// How many lists each commit has.
    var listCounts: [Int32] { listCount }
    var indices: Range<Int> { 0..<first.count }

    /// A commit with no lists yet (``set(commit:_:)`` gives them).
    mutating func appendCommit() {
        first.append(Int32(lists.count))
        listCount.append(0)
    }

    /// Gives `commit` its lists, once: they go at the end of ``lists``.
    mutating func set(commit: Int, _ perParent: [[Element]]) {
        precondition(listCount[commit] == 0, "a commit's lists are set once")
        first[commit] = Int32(lists.count)
        listCount[commit] = Int32(perParent.count)
        for list in perParent { lists.append(list) }
    }

    /// The lists of `commit`, one per parent, indexed from 0.
    subscript(commit: Int) -> CommitListsView<Element> {
        CommitListsView(lists: lists, first: Int(first[commit]), count: Int(listCount[commit]))
    }

    /// Changes every value in place.
    mutating func modifyEach(_ body: (inout Element) -> Void) { lists.modifyEach(body) }

    /// Where the values of `commit`'s lists lie in ``FlatLists/values`` (a commit's lists lie
    /// together).
    func valueRange(of commit: Int) -> Range<Int> {
        let n = Int(listCount[commit])
        let from = lists.start(of: Int(first[commit]))
        return from..<(n == 0 ? from : Int(lists.ends[Int(first[commit]) + n - 1]))
    }

    /// Every value of every list, in no particular order of commits.
    var allValues: [Element] { lists.values }

    /// The lists as nested arrays, in commit order.
    var arrays: [[[Element]]] { indices.map { c in self[c].map { Array($0) } } }
}

/// One commit's lists of a ``CommitLists``, indexed from 0.
struct CommitListsView<Element>: RandomAccessCollection {
    private let lists: FlatLists<Element>
    private let first: Int
    let count: Int

    init(lists: FlatLists<Element>, first: Int, count: Int) {
        self.lists = lists
        self.first = first
        self.count = count
    }

    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(k: Int) -> FlatList<Element> {
        precondition(k >= 0 && k < count, "index out of range")
        return lists[first + k]
    }
}

extension FlatLists: Sendable where Element: Sendable {}
extension FlatList: Sendable where Element: Sendable {}
extension CommitLists: Sendable where Element: Sendable {}
extension CommitListsView: Sendable where Element: Sendable {}
