import CGit2
import Paths
#if canImport(Glibc)
import Glibc
#endif

/// Compares raw trees entry by entry, skipping subtrees whose ids are equal.
///
/// Keeps the last few trees it read (a child's tree is the next commit's parent tree when
/// walking oldest first), so each tree is usually inflated once.
struct TreeDiffer {
    let database: ObjectDatabase
    let scope: PathScope
    /// The last trees read, oldest replaced first (looked through in order: a handful of ids
    /// compared is cheaper than hashing one for a table, on every tree of every commit).
    private var cache: [(id: ObjectID, tree: RawObject)] = []
    private var cacheNext = 0
    /// Scope paths added by the current comparison, with their blobs, and blobs it removed
    /// from any path: an added blob that was removed elsewhere was moved, not written.
    private var added: [(Int32, ObjectID)] = []
    private var removedBlobs: Set<ObjectID> = []
    /// Scope paths whose new blob is wanted (tracked paths), and the blobs found for them by the
    /// current comparison (`nil`: the path is not a file on the new side).
    var wantBlobs: Set<Int32> = []
    /// The paths compared, numbered by folder and name: the scope's files (their indices), or,
    /// in the history index's mode (``numberEveryPath(startingWith:)``), every file below the
    /// directory, numbered as first met.
    private var numbering: PathNumbering
    private(set) var newBlobs: [(Int32, ObjectID?, EntryKind)] = []
    /// Folders still to compare (old tree, new tree, folder number, its ``Reach``), the next on top.
    private var pending: [(ObjectID?, ObjectID?, Int32, Reach)] = []
    /// The folders compared, in the history index's mode: `nil`, every folder (the whole tree);
    /// else only ``Limits/include`` (and the folders leading to them), never ``Limits/skip``.
    var limits: Limits? {
        didSet { rootReach = limits.map { $0.reach(of: scope.prefix) } ?? .all }
    }
    private var rootReach = Reach.all
    /// Folders a limited comparison left out that differ (old tree, new tree): where a blob an
    /// in-scope path gained may have been removed from (see ``changes(from:to:moves:)``).
    private var leftOut: [(ObjectID?, ObjectID?)] = []
    /// The two commits' whole trees (old, new), where ``changes(from:to:moves:)`` compares a
    /// folder below the root of them (the walk without the history index): a blob the folder
    /// gained that nothing in it lost is searched for there, so a page moved into the folder
    /// from elsewhere is only moved, as the index (which compares from the root) says.
    var outerTrees: (old: ObjectID?, new: ObjectID?)?

    /// Folders a comparison is limited to (paths from the repository root, each ending in `/`;
    /// the empty path: everything).
    struct Limits: Equatable {
        /// The folders whose files are compared.
        var include: [GitPath]
        /// Folders below them left out (already compared by an earlier pass).
        var skip: [GitPath] = []

        /// How far a comparison goes into the folder at `path` (ending in `/`, or empty).
        func reach(of path: GitPath) -> Reach {
            if skip.contains(where: { path.hasPrefix($0) }) { return .none }
            let longer = { (dir: GitPath) in dir != path && dir.hasPrefix(path) }
            if include.contains(where: { path.hasPrefix($0) }) {
                return skip.contains(where: longer) ? .filesAndSome : .all
            }
            return include.contains(where: longer) ? .some : .none
        }
    }

    /// How far a comparison goes into one folder.
    enum Reach {
        /// Its files and every folder below.
        case all
        /// Its files, and only the folders below that ``Limits/reach(of:)`` lets in.
        case filesAndSome
        /// None of its files (it only leads to included folders), and only the folders below
        /// that ``Limits/reach(of:)`` lets in.
        case some
        /// Not compared.
        case none
    }
    private let cacheLimit = 16

    init(database: ObjectDatabase, scope: PathScope) {
        self.database = database
        self.scope = scope
        numbering = PathNumbering(root: scope.prefix, numbering: scope.files.enumerated().map { ($1, Int32($0)) }, grows: false)
    }

    /// Follows and numbers every file path below the directory (the history index's mode),
    /// instead of only the scope's paths: `known` keep their numbers (their indices), and
    /// paths met for the first time are numbered after them, in the order met.
    mutating func numberEveryPath(startingWith known: [GitPath]) {
        numbering = PathNumbering(root: scope.prefix, numbering: known.enumerated().map { ($1, Int32($0)) }, grows: true)
    }

    /// Every path numbered in the history index's mode, by number.
    var numberedPaths: [GitPath] { numbering.paths }

    mutating func tree(_ id: ObjectID) throws(RepositoryError) -> RawObject {
        for i in cache.indices where cache[i].id == id { return cache[i].tree }
        let object = try database.read(id, expected: GIT_OBJECT_TREE)
        if cache.count < cacheLimit {
            cache.append((id, object))
        } else {
            cache[cacheNext] = (id, object)
            cacheNext = (cacheNext + 1) % cacheLimit
        }
        return object
    }

    /// The id of the subtree at `components` below `root`, or `nil` when there is none.
    mutating func subtree(at components: [String], of root: ObjectID) throws(RepositoryError) -> ObjectID? {
        guard !components.isEmpty else { return root }
        guard let found = try entry(at: components.map { Array($0.utf8) }, below: root), found.isTree else { return nil }
        return found.id
    }

    /// Indices of the scope's paths whose entries differ between two trees of the scope's
    /// directory (`nil` meaning absent).
    ///
    /// `moved`: the paths added with a blob that the comparison removed from another path,
    /// anywhere below the directory (the same answer whatever ``limits`` leave out: the
    /// folders left out are searched for it where the compared ones do not explain an added
    /// blob); empty where `moves` is false.
    mutating func changes(from old: ObjectID?, to new: ObjectID?, moves: Bool = true) throws(RepositoryError) -> (changed: [Int32], moved: [Int32]) {
        var out: [Int32] = []
        added.removeAll(keepingCapacity: true)
        removedBlobs.removeAll(keepingCapacity: true)
        newBlobs.removeAll(keepingCapacity: true)
        leftOut.removeAll(keepingCapacity: true)
        try diff(old, new, folder: 0, into: &out)
        guard moves, !added.isEmpty else { return (out, []) }
        if !leftOut.isEmpty || outerTrees != nil {
            var unexplained: Set<ObjectID> = []
            for (_, blob) in added where !removedBlobs.contains(blob) { unexplained.insert(blob) }
            // The whole trees hold the folder too: what it lost is already known, so searching
            // it again finds nothing more.
            let elsewhere = leftOut + (outerTrees.map { [($0.old, $0.new)] } ?? [])
            if !unexplained.isEmpty { removedBlobs.formUnion(try removals(of: unexplained, in: elsewhere)) }
        }
        let moved = removedBlobs.isEmpty ? [] : added.filter { removedBlobs.contains($0.1) }.map(\.0)
        return (out, moved)
    }

    /// ``changes(from:to:moves:)``'s ``newBlobs`` for `paths` alone (numbers of files the
    /// numbering knows): each looked up in both trees of the directory and compared as that
    /// comparison compares entries (their bytes: mode and id), rather than comparing the trees
    /// whole. A merge's later parent is asked only about the few paths its first parent's
    /// comparison changed, while the trees may differ in thousands (everything the other line
    /// gained). No moves are searched for.
    mutating func changes(at paths: [Int32], from old: ObjectID?, to new: ObjectID?) throws(RepositoryError) {
        newBlobs.removeAll(keepingCapacity: true)
        guard old != new else { return }
        let all = numbering.paths
        let skip = scope.prefix.byteCount
        for i in paths {
            let components = all[Int(i)].withBytes { bytes in
                bytes[skip...].split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { [UInt8]($0) }
            }
            let before = try entry(at: components, below: old)
            let after = try entry(at: components, below: new)
            if before?.bytes == after?.bytes { continue }
            let oldFile = before.map { !$0.isTree } ?? false, newFile = after.map { !$0.isTree } ?? false
            guard oldFile || newFile else { continue }
            newBlobs.append((i, newFile ? after!.id : nil, newFile ? after!.kind : .tree))
        }
    }

    /// The entry at `components` below the tree `root`, or `nil` (also where a folder on the way
    /// is not one); its bytes (mode, name and id) copied, for comparing it as a whole
    /// comparison compares entries.
    private mutating func entry(at components: [[UInt8]], below root: ObjectID?) throws(RepositoryError)
        -> (bytes: [UInt8], id: ObjectID, kind: EntryKind, isTree: Bool)? {
        guard var current = root, let last = components.indices.last else { return nil }
        for (depth, name) in components.enumerated() {
            let object = try tree(current)
            // The entry's bytes are borrowed from the tree's: copied (at the last step only) before they go.
            let found = try object.withTree(current) { (cursor: inout RawTreeCursor) throws(RepositoryError) -> (bytes: [UInt8], id: ObjectID, kind: EntryKind, isTree: Bool)? in
                while let entry = try cursor.next() {
                    if entry.nameBytes.elementsEqual(name) { return (depth == last ? [UInt8](entry.bytes) : [], entry.id, entry.kind, entry.isTree) }
                }
                return nil
            }
            guard let found else { return nil }
            if depth == last { return found }
            guard found.isTree else { return nil }
            current = found.id
        }
        return nil
    }

    /// Which of `wanted` the folder pairs (old tree, new tree) remove from a path (a file on the
    /// old side that is no file on the new): a whole comparison of those folders, stopping once
    /// every wanted blob is found.
    private func removals(of wanted: Set<ObjectID>, in pairs: [(ObjectID?, ObjectID?)]) throws(RepositoryError) -> Set<ObjectID> {
        var found: Set<ObjectID> = []
        var stack = pairs
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        while let (old, new) = stack.popLast(), found.count < wanted.count {
            guard old != new else { continue }
            let oldObject = try old.map { (id) throws(RepositoryError) in try database.read(id, expected: GIT_OBJECT_TREE) }
            let newObject = try new.map { (id) throws(RepositoryError) in try database.read(id, expected: GIT_OBJECT_TREE) }
            try withBytes(oldObject, empty) { (oldBytes) throws(RepositoryError) in
                try withBytes(newObject, empty) { (newBytes) throws(RepositoryError) in
                    try Self.forEachDifference(oldBytes, old, newBytes, new) { ex, ey in
                        let oldIsTree = ex?.isTree ?? false, newIsTree = ey?.isTree ?? false
                        if let ex, !oldIsTree, !(ey.map { !$0.isTree } ?? false), wanted.contains(ex.id) { found.insert(ex.id) }
                        if oldIsTree || newIsTree { stack.append((oldIsTree ? ex!.id : nil, newIsTree ? ey!.id : nil)) }
                    }
                }
            }
        }
        return found
    }

    /// Compares two versions of the folder numbered `folder` (one the numbering knows), then
    /// the subfolders that differ, depth first in tree order (the order paths are numbered in),
    /// from one reused stack rather than an array per folder.
    private mutating func diff(_ old: ObjectID?, _ new: ObjectID?, folder: Int32, into out: inout [Int32]) throws(RepositoryError) {
        pending.removeAll(keepingCapacity: true)
        guard rootReach != .none else {
            if old != new { leftOut.append((old, new)) }
            return
        }
        pending.append((old, new, folder, rootReach))
        while let (old, new, folder, reach) = pending.popLast() {
            guard old != new else { continue }
            let mark = pending.count
            try compare(old, new, folder: folder, reach: reach, into: &out)
            // Pushed in tree order: the first subfolder goes on top.
            pending[mark...].reverse()
        }
    }

    /// Records the entries that differ between two versions of one folder; pushes the
    /// subfolders to compare onto `pending`.
    private mutating func compare(_ old: ObjectID?, _ new: ObjectID?, folder: Int32, reach: Reach, into out: inout [Int32]) throws(RepositoryError) {
        let oldObject = try old.map { (id) throws(RepositoryError) in try tree(id) }
        let newObject = try new.map { (id) throws(RepositoryError) in try tree(id) }
        let empty = UnsafeRawBufferPointer(start: nil, count: 0)
        try withBytes(oldObject, empty) { (oldBytes) throws(RepositoryError) in
            try withBytes(newObject, empty) { (newBytes) throws(RepositoryError) in
                try Self.forEachDifference(oldBytes, old, newBytes, new) { ex, ey in
                    record(ex, ey, folder: folder, reach: reach, into: &out)
                }
            }
        }
    }

    /// Walks two versions of one folder's entries (`old` and `new`: their ids, for errors) in
    /// tree order and calls `visit` with each that differs: both sides for a name in both, the
    /// other `nil` for a name on one side only. Identical entries (same name, mode and id) are
    /// passed over by one comparison of their bytes.
    @inline(__always)
    private static func forEachDifference(_ oldBytes: UnsafeRawBufferPointer, _ old: ObjectID?, _ newBytes: UnsafeRawBufferPointer, _ new: ObjectID?,
                                          _ visit: (RawTreeEntry?, RawTreeEntry?) -> Void) throws(RepositoryError) {
        var a = RawTreeCursor(bytes: oldBytes, treeID: old ?? new!)
        var b = RawTreeCursor(bytes: newBytes, treeID: new ?? old!)
        var x = try a.next()
        var y = try b.next()
        while x != nil || y != nil {
            if let ex = x, let ey = y {
                if ex.bytes.count == ey.bytes.count,
                   memcmp(ex.bytes.baseAddress!, ey.bytes.baseAddress!, ex.bytes.count) == 0 {
                    x = try a.next()
                    y = try b.next()
                    continue
                }
                let order = compare(ex, ey)
                if order == 0 {
                    visit(ex, ey)
                    x = try a.next()
                    y = try b.next()
                } else if order < 0 {
                    visit(ex, nil)
                    x = try a.next()
                } else {
                    visit(nil, ey)
                    y = try b.next()
                }
            } else if let ex = x {
                visit(ex, nil)
                x = try a.next()
            } else if let ey = y {
                visit(nil, ey)
                y = try b.next()
            }
        }
    }

    private func withBytes<R>(_ object: RawObject?, _ empty: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws(RepositoryError) -> R) throws(RepositoryError) -> R {
        if let object { return try object.withBytes(body) }
        return try body(empty)
    }

    /// Notes one differing entry: a file in scope by number, a subtree (a folder the numbering
    /// knows, within ``limits``) on `pending`; a subtree the limits leave out on `leftOut`.
    private mutating func record(_ old: RawTreeEntry?, _ new: RawTreeEntry?, folder: Int32, reach: Reach, into out: inout [Int32]) {
        let name = (new ?? old)!.nameBytes
        let oldIsTree = old?.isTree ?? false
        let newIsTree = new?.isTree ?? false
        let oldFile = old != nil && !oldIsTree, newFile = new != nil && !newIsTree
        if oldFile && !newFile { removedBlobs.insert(old!.id) }
        if oldFile || newFile, reach != .some, let i = numbering.file(in: folder, named: name) {
            out.append(i)
            if newFile && !oldFile { added.append((i, new!.id)) }
            if numbering.grows || wantBlobs.contains(i) { newBlobs.append((i, newFile ? new!.id : nil, newFile ? new!.kind : .tree)) }
        }
        guard oldIsTree || newIsTree else { return }
        var subReach = Reach.all
        if reach != .all, let limits {
            subReach = limits.reach(of: GitPath(numbering.folderPath(folder), appending: name) + "/")
            if subReach == .none {
                leftOut.append((oldIsTree ? old!.id : nil, newIsTree ? new!.id : nil))
                return
            }
        }
        if let sub = numbering.folder(in: folder, named: name) {
            pending.append((oldIsTree ? old!.id : nil, newIsTree ? new!.id : nil, sub, subReach))
        }
    }

    /// git's tree order: names compared bytewise, a tree's name as if followed by `/`.
    static func compare(_ x: RawTreeEntry, _ y: RawTreeEntry) -> Int {
        let nx = x.nameBytes, ny = y.nameBytes
        let common = min(nx.count, ny.count)
        let c = memcmp(nx.baseAddress!, ny.baseAddress!, common)
        if c != 0 { return Int(c) }
        let cx: UInt8 = nx.count > common ? nx[common] : (x.isTree ? 0x2f : 0)
        let cy: UInt8 = ny.count > common ? ny[common] : (y.isTree ? 0x2f : 0)
        return Int(cx) - Int(cy)
    }
}
