import CGit2
import Paths

/// Pass 1 of the history engine for every commit seen so far, for all paths below one
/// directory, kept across runs (see ``HistoryCacheFile``) and extended with new commits only.
///
/// Unlike a single run's comparison, which only follows the paths that exist at the revision
/// asked about, the index records every changed path, so it stays valid whatever commit is
/// asked about next.
struct HistoryIndex {
    /// One path's change in 8 bytes (the index holds millions: every change of every path of
    /// a large history): the blob's number in ``HistoryIndex/blobs``, then the path's number
    /// with the flags in its top bits. With the blob's 20 bytes in place it took 24 (as plain
    /// fields, 32); a blob is met in few changes, and few readers ask for it.
    struct Change: Equatable {
        /// The blob's number in ``HistoryIndex/blobs``; 0 where there is none.
        let blobNumber: UInt32
        /// The path's number in the low ``pathBits`` bits; above them whether there is a blob,
        /// whether it moved, and the kind (``HistoryCacheFile/kindBits(_:)``).
        private var packed: UInt32

        /// Path numbers fit in this many bits (67 million paths: far beyond what any index
        /// could hold in memory anyway).
        static let pathBits: UInt32 = 26
        static let pathLimit = 1 << Int(pathBits)

        /// `blob`: the blob's number in the index's ``HistoryIndex/blobs``, `nil` for none.
        init(path: Int32, blob: Int32?, moved: Bool, kind: EntryKind = .blob) {
            precondition(path >= 0 && Int(path) < Self.pathLimit, "a history index holds at most \(Self.pathLimit) paths")
            precondition((blob ?? 0) >= 0, "a blob's number is never negative")
            blobNumber = UInt32(blob ?? 0)
            packed = UInt32(path) | (blob != nil ? 1 : 0) << Self.pathBits | (moved ? 1 : 0) << (Self.pathBits + 1)
                | UInt32(HistoryCacheFile.kindBits(kind)) << (Self.pathBits + 2)
        }

        /// The path's number and the flags as one word (``init(unchecked:packed:)`` takes it back).
        var packedBits: UInt32 { packed }

        /// Whether a change read back as ``blobNumber`` and ``packedBits`` may be used: the path's
        /// and the blob's numbers in range (`pathCount`, `blobCount`; no blob's number where
        /// there is no blob), a known kind, and no bit set that no change sets.
        @inline(__always)
        static func isValid(blobNumber: UInt32, packed: UInt32, pathCount: Int, blobCount: Int) -> Bool {
            let path = Int(packed & (1 << pathBits - 1))
            let hasBlob = packed >> pathBits & 1 != 0
            return (path < pathCount) && (packed >> (pathBits + 2) <= 4) && (hasBlob ? Int(blobNumber) < blobCount : blobNumber == 0)
        }

        /// The numbers as given, for a reader that checks them with ``isValid(blobNumber:packed:pathCount:blobCount:)``
        /// before any change is used.
        init(unchecked blobNumber: UInt32, packed: UInt32) {
            self.blobNumber = blobNumber
            self.packed = packed
        }

        /// Index into ``paths``.
        var path: Int32 {
            get { Int32(bitPattern: packed & (1 << Self.pathBits - 1)) }
            set {
                precondition(newValue >= 0 && Int(newValue) < Self.pathLimit, "a history index holds at most \(Self.pathLimit) paths")
                packed = packed & ~(1 << Self.pathBits - 1) | UInt32(newValue)
            }
        }
        /// Whether the path is a file after the change (its blob: ``HistoryIndex/blob(of:)``).
        var hasBlob: Bool { packed >> Self.pathBits & 1 != 0 }
        /// The commit moved an identical blob here from another path (a pure rename).
        var moved: Bool { packed >> (Self.pathBits + 1) & 1 != 0 }
        /// What the entry is on the new side (`.tree` when it is no longer a file).
        var kind: EntryKind { HistoryCacheFile.kind(bits: UInt8(packed >> (Self.pathBits + 2) & 7)) }
    }

    /// A commit's metadata, kept so answers need no libgit2 lookups.
    struct Meta: Equatable {
        var authorName: Int32
        var authorEmail: Int32
        var authorTime: Int64
        var authorOffset: Int32
        var committerName: Int32
        var committerEmail: Int32
        var committerTime: Int64
        var committerOffset: Int32
        var summary: Int32
        /// The `Co-authored-by:` addresses, joined by newlines.
        var coAuthors: Int32
    }

    let directory: String
    /// The folders whose files the index compares (from the repository root, each ending in
    /// `/`; the empty path: the whole tree), none below another, in byte order. A question about
    /// a folder not below one of them must not be answered from the index: widen it first
    /// (``widen(by:database:progress:)``).
    private(set) var scope: [GitPath]
    var shallow: Set<ObjectID>
    var ids: [ObjectID] = []
    var index: [ObjectID: Int32] = [:]
    var trees: [ObjectID] = []
    var scopeTrees: [ObjectID?] = []
    /// Per commit, its parents' numbers.
    var parents = FlatLists<Int32>()
    var isBoundary: [Bool] = []
    /// Per commit, per parent: what changed in ``scope``. A change's ``Change/moved`` is
    /// recorded against the first parent only (the one comparison that reads it). A merge's
    /// comparison with another parent keeps only the paths its first-parent comparison changed
    /// (``kept(_:moved:firstParent:)``).
    var changes = CommitLists<Change>()
    var meta: [Meta] = []
    var paths = InternTable<GitPath>()
    var strings = InternTable<String>()
    /// Merges whose first-parent comparison changed at most this many paths have their later
    /// parents asked about those paths alone (see ``kept(_:moved:firstParent:)``).
    var pathsLookedUp = 64
    /// The blobs the changes hold, numbered in the order first met (``Change/blobNumber``).
    var blobs = BlobNumbering()

    /// The file's blob after `change`; `nil` when it is no longer a file there.
    func blob(of change: Change) -> ObjectID? { blobs.blob(of: change) }

    /// An empty index of the files below `directory`, limited to `scope` (default: all of them).
    init(directory: String, shallow: Set<ObjectID>, scope: [GitPath]? = nil) {
        self.directory = directory
        self.shallow = shallow
        self.scope = Self.normalized(scope ?? [GitPath(directory).appendingSlash])
    }

    var count: Int { ids.count }

    /// Whether the index answers for every file below `folder` (a path from the repository
    /// root, with or without its trailing slash; empty: the whole tree).
    func covers(_ folder: GitPath) -> Bool {
        let path = Self.withSlash(folder)
        return scope.contains { path.hasPrefix($0) }
    }

    /// `folder` ending in `/` (unless empty: the whole tree).
    static func withSlash(_ folder: GitPath) -> GitPath {
        folder.isEmpty || folder.hasSuffix("/") ? folder : folder + "/"
    }

    /// `folders` with their trailing slashes, without any below another, sorted and unique.
    static func normalized(_ folders: [GitPath]) -> [GitPath] {
        let all = Set(folders.map(withSlash))
        return all.filter { folder in !all.contains { $0 != folder && folder.hasPrefix($0) } }.sorted()
    }

    /// The comparison limits for ``scope``: `nil` where it is everything below ``directory``.
    private var limits: TreeDiffer.Limits? {
        scope.contains(GitPath(directory).appendingSlash) ? nil : TreeDiffer.Limits(include: scope)
    }

    /// Adds `folders` to ``scope``: compares every commit the index holds again, in those of
    /// them it did not cover only, and adds what changed there. Returns whether the scope grew.
    /// Afterwards the index answers as if it had been built with the wider scope from the start.
    mutating func widen(by folders: [GitPath], database: ObjectDatabase, progress: ProgressHandler? = nil) throws(RepositoryError) -> Bool {
        let root = GitPath(directory).appendingSlash
        precondition(folders.allSatisfy { Self.withSlash($0).hasPrefix(root) }, "an index answers for folders below its directory only")
        let fresh = Self.normalized(folders.filter { !covers($0) })
        guard !fresh.isEmpty else { return false }
        if count > 0 {
            var differ = TreeDiffer(database: database, scope: PathScope(directory: directory, files: []))
            differ.numberEveryPath(startingWith: paths.values)
            // What the index covers already is left out (its changes are known), but its
            // removals still explain a move into the new folders.
            differ.limits = TreeDiffer.Limits(include: fresh, skip: scope)
            let order = Self.childrenFirst(Array(0..<Int32(count)), parents: parents)
            // Widening is rare: the lists are grown as nested arrays, then laid out flat again.
            var nested = changes.arrays
            for (done, c) in order.reversed().enumerated() {
                if done % 500 == 0 { progress?("comparing commits", done, order.count) }
                let commit = Int(c)
                for (k, p) in parents[commit].enumerated() {
                    let diff = try differ.changes(from: scopeTrees[Int(p)], to: scopeTrees[commit], moves: k == 0)
                    guard !differ.newBlobs.isEmpty else { continue }
                    let kept = kept(differ.newBlobs, moved: Set(diff.moved), firstParent: k == 0 ? nil : nested[commit][0])
                    nested[commit][k].append(contentsOf: kept)
                }
            }
            changes = CommitLists(nested)
            paths = InternTable(differ.numberedPaths)
        }
        scope = Self.normalized(scope + fresh)
        return true
    }

    /// Adds every commit reachable from `tip` that the index does not hold yet, comparing each
    /// with its parents (oldest first). Returns how many were added.
    ///
    /// - Parameter lookaheadFrom: for an index of a folder, how many new commits make it worth
    ///   finding the folder in their trees on a second thread meanwhile (``ScopeTreeLookahead``).
    mutating func extend(to tip: ObjectID, database: ObjectDatabase, progress: ProgressHandler? = nil,
                         lookaheadFrom: Int = 512) throws(RepositoryError) -> Int {
        guard index[tip] == nil else { return 0 }
        let root = PathScope(directory: directory, files: [])
        var lookahead: ScopeTreeLookahead?
        // Collect the new commits, children before parents.
        var fresh: [(ObjectID, RawCommit)] = []
        var seen: Set<ObjectID> = [tip]
        var queue = [tip]
        var cursor = 0
        while cursor < queue.count {
            let id = queue[cursor]
            cursor += 1
            let commit = try RawCommit.parse(id, database: database)
            fresh.append((id, commit))
            if let lookahead {
                lookahead.add(commit.tree)
            } else if !root.components.isEmpty, fresh.count >= lookaheadFrom {
                let started = ScopeTreeLookahead(components: root.components, objectsDirectory: database.owner.commonDirectory + "objects")
                for (_, earlier) in fresh { started.add(earlier.tree) }
                lookahead = started
            }
            if fresh.count % 1000 == 0 { progress?("reading commits", fresh.count, nil) }
            guard !shallow.contains(id) else { continue }
            for parent in commit.parents where index[parent] == nil && seen.insert(parent).inserted {
                queue.append(parent)
            }
        }
        let first = Int32(ids.count)
        for (offset, (id, _)) in fresh.enumerated() { index[id] = first + Int32(offset) }
        for (id, commit) in fresh {
            ids.append(id)
            trees.append(commit.tree)
            let boundary = shallow.contains(id)
            isBoundary.append(boundary)
            parents.append(boundary ? [] : commit.parents.compactMap { index[$0] })
            meta.append(Meta(authorName: strings.intern(commit.author.name), authorEmail: strings.intern(commit.author.email),
                             authorTime: commit.author.time, authorOffset: commit.author.offsetMinutes,
                             committerName: strings.intern(commit.committer.name), committerEmail: strings.intern(commit.committer.email),
                             committerTime: commit.committer.time, committerOffset: commit.committer.offsetMinutes,
                             summary: strings.intern(commit.summary),
                             coAuthors: strings.intern(commit.coAuthors.joined(separator: "\n"))))
            scopeTrees.append(nil)
            changes.appendCommit()
        }
        // The folder's subtree in each new commit's tree, where the lookahead found it.
        let found = lookahead?.finish() ?? []
        // Compare oldest first so forward delta chains resolve from the cache, and every
        // parent's scope tree is known before its children's comparisons.
        var differ = TreeDiffer(database: database, scope: root)
        differ.numberEveryPath(startingWith: paths.values)
        differ.limits = limits
        let newOrder = Self.childrenFirst(Array(first..<Int32(ids.count)), parents: parents)
        for (done, c) in newOrder.reversed().enumerated() {
            if done % 500 == 0 { progress?("comparing commits", done, newOrder.count) }
            let commit = Int(c)
            let offset = commit - Int(first)
            let tree: ObjectID?
            if offset < found.count, let answer = found[offset] {
                tree = answer
            } else {
                tree = try differ.subtree(at: root.components, of: trees[commit])
            }
            scopeTrees[commit] = tree
            var perParent: [[Change]] = []
            for (k, p) in parents[commit].enumerated() {
                let firstParent = k == 0 ? nil : perParent[0]
                var moved: Set<Int32> = []
                if let firstParent, firstParent.count <= pathsLookedUp {
                    // A later parent is asked about the first parent's few changed paths only.
                    try differ.changes(at: firstParent.map(\.path), from: scopeTrees[Int(p)], to: tree)
                } else {
                    moved = Set(try differ.changes(from: scopeTrees[Int(p)], to: tree, moves: k == 0).moved)
                }
                perParent.append(kept(differ.newBlobs, moved: moved, firstParent: firstParent))
            }
            changes.set(commit: commit, perParent)
        }
        paths = InternTable(differ.numberedPaths)
        return fresh.count
    }

    /// One comparison's changes as the index keeps them. For a merge's parent other than the
    /// first (`firstParent`: the merge's changes against its first parent), only the paths
    /// that changed against the first parent too: every reader asks a later parent only about
    /// those (the walk: which parent a path changed against the first one is unchanged
    /// against; the directory history: whether a version differs from every parent), and a
    /// path unchanged against the first parent holds that parent's version, which the first
    /// parent's own history records. Against a long-lived branch's parent a merge differs in
    /// everything the other line gained meanwhile: on windows-powershell-docs (3,705 merges)
    /// this leaves out a quarter of the index (its file 48.8 -> 39.0 MB). Numbers the blobs it
    /// keeps in ``blobs``.
    ///
    /// (``extend(to:database:progress:)`` goes further: a merge whose first-parent comparison
    /// changed at most ``pathsLookedUp`` paths has its later parents asked about those paths
    /// alone, ``TreeDiffer/changes(at:from:to:)``, not compared whole: the usual pull request's
    /// merge changed a few pages against the main line, and its branch's parent lacks all the
    /// main line gained meanwhile.)
    mutating func kept(_ newBlobs: [(Int32, ObjectID?, EntryKind)], moved: Set<Int32>, firstParent: [Change]?) -> [Change] {
        var list: [Change] = []
        if let firstParent {
            guard !firstParent.isEmpty, !newBlobs.isEmpty else { return [] }
            let asked = Set(firstParent.lazy.map(\.path))
            for (path, blob, kind) in newBlobs where asked.contains(path) {
                list.append(Change(path: path, blob: blob.map { blobs.intern($0) }, moved: false, kind: kind))
            }
        } else {
            list.reserveCapacity(newBlobs.count)
            for (path, blob, kind) in newBlobs {
                list.append(Change(path: path, blob: blob.map { blobs.intern($0) }, moved: moved.contains(path), kind: kind))
            }
        }
        return list
    }

    /// Children before parents among `commits` (whose parents may lie outside the set).
    static func childrenFirst(_ commits: [Int32], parents: FlatLists<Int32>) -> [Int32] {
        // Flat arrays over all indices (membership and child counts): no hashing per commit.
        var isMember = [Bool](repeating: false, count: parents.count)
        for c in commits { isMember[Int(c)] = true }
        var childCount = [Int32](repeating: 0, count: parents.count)
        for c in commits { for p in parents[Int(c)] where isMember[Int(p)] { childCount[Int(p)] += 1 } }
        var ready = commits.filter { childCount[Int($0)] == 0 }.reversed().map { $0 }
        var order: [Int32] = []
        order.reserveCapacity(commits.count)
        while let c = ready.popLast() {
            order.append(c)
            for p in parents[Int(c)].reversed() where isMember[Int(p)] {
                childCount[Int(p)] -= 1
                if childCount[Int(p)] == 0 { ready.append(p) }
            }
        }
        return order
    }

    /// The commit's metadata as a ``CommitInfo`` (the message is its first line).
    func info(_ c: Int32) -> CommitInfo {
        let m = meta[Int(c)]
        return CommitInfo(
            id: ids[Int(c)], tree: trees[Int(c)], parents: parents[Int(c)].map { ids[Int($0)] },
            author: Signature(name: strings[m.authorName], email: strings[m.authorEmail], time: m.authorTime, offsetMinutes: m.authorOffset),
            committer: Signature(name: strings[m.committerName], email: strings[m.committerEmail], time: m.committerTime,
                                 offsetMinutes: m.committerOffset),
            message: strings[m.summary],
            coAuthors: strings[m.coAuthors].split(separator: "\n").map(String.init))
    }
}

/// Values numbered in the order first seen: paths (by their bytes) or strings.
struct InternTable<Value: Hashable> {
    private(set) var values: [Value] = []
    /// Each value's number, made on the first ``intern(_:)``: an index loaded from its file
    /// that gains no commits never needs it (tens of thousands of paths on a large site).
    private var numbers: [Value: Int32]?

    init(_ values: [Value] = []) {
        self.values = values
    }

    mutating func intern(_ value: Value) -> Int32 {
        var numbers = self.numbers ?? Dictionary(values.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
        defer { self.numbers = numbers }
        self.numbers = nil  // the local copy is the only one while it changes
        if let n = numbers[value] { return n }
        let n = Int32(values.count)
        values.append(value)
        numbers[value] = n
        return n
    }

    subscript(n: Int32) -> Value { values[Int(n)] }

    var count: Int { values.count }
}

/// Blob ids numbered in the order first met, as ``InternTable`` numbers values, for the
/// history index's hottest loop (every blob of every change: 1.5 million on
/// windows-powershell-docs). Looked up in an open-addressing table of numbers (linear probing,
/// at most half full) by a keyed mix of the id's first word, not by `Dictionary`: there,
/// hashing (SipHash) was most of the time, and numbering took a sixth of building the index.
/// The key is drawn per process, so ids cannot be chosen to share slots; equality is always
/// decided on all 20 bytes, so a shared slot costs time, never a wrong number.
struct BlobNumbering: Sendable {
    private(set) var values: [ObjectID] = []
    /// Each slot holds a number plus one; 0 is empty. Made on the first ``intern(_:)``: an
    /// index loaded from its file that gains no commits never needs it.
    private var slots: [UInt32] = []
    private var bits = 0
    private static let key = UInt64.random(in: .min ... .max)

    init(_ values: [ObjectID] = []) {
        self.values = values
    }

    private static func slot(of id: ObjectID, bits: Int) -> Int {
        Int(truncatingIfNeeded: PathNumbering.mix(id.a ^ key) >> UInt64(64 - bits))
    }

    /// Rebuilds the table for at least `count` values at most half full.
    private mutating func grow(toHold count: Int) {
        bits = max(10, Int.bitWidth - (count * 2).leadingZeroBitCount)
        slots = [UInt32](repeating: 0, count: 1 << bits)
        let mask = (1 << bits) - 1
        for (n, id) in values.enumerated() {
            var i = Self.slot(of: id, bits: bits)
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = UInt32(n + 1)
        }
    }

    mutating func intern(_ id: ObjectID) -> Int32 {
        if slots.count < (values.count + 1) * 2 { grow(toHold: values.count + 1) }
        let mask = (1 << bits) - 1
        var i = Self.slot(of: id, bits: bits)
        while slots[i] != 0 {
            let n = Int(slots[i] - 1)
            if values[n] == id { return Int32(n) }
            i = (i + 1) & mask
        }
        precondition(values.count < Int(Int32.max), "a history index holds at most \(Int32.max) blobs")
        let n = Int32(values.count)
        values.append(id)
        slots[i] = UInt32(n) + 1
        return n
    }

    subscript(n: Int32) -> ObjectID { values[Int(n)] }

    /// The file's blob after `change` (numbered here); `nil` when it is no longer a file there.
    func blob(of change: HistoryIndex.Change) -> ObjectID? {
        change.hasBlob ? values[Int(change.blobNumber)] : nil
    }

    var count: Int { values.count }
}
