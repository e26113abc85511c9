import CGit2
import Paths
#if canImport(Glibc)
import Glibc
#endif

/// Raw access to a repository's object database, for the history engine's hot loops.
///
/// Owns one `git_odb` reference (freed once in `deinit`) and keeps its ``Repository`` alive.
/// Not `Sendable`; open one per thread.
final class ObjectDatabase {
    let owner: Repository
    private let raw: OpaquePointer

    /// Wraps `git_repository_odb`.
    init(_ repository: Repository) throws(RepositoryError) {
        var odb: OpaquePointer?
        let result = git_repository_odb(&odb, repository.raw)
        guard result >= 0, let odb else { throw .git(GitError.last(code: result)) }
        owner = repository
        raw = odb
    }

    deinit { git_odb_free(raw) }

    /// Reads an object's uncompressed bytes: from the pack reader, or with `git_odb_read`.
    ///
    /// - Throws: ``RepositoryError/missingObject(_:_:)`` or ``RepositoryError/corruptObject(_:_:)``
    ///   naming `id`, or a corrupt-object error when the object is not of the `expected` type.
    func read(_ id: ObjectID, expected: git_object_t) throws(RepositoryError) -> RawObject {
        let object: RawObject
        if let packed = owner.packs.read(id) {
            object = RawObject(bytes: packed.bytes, type: packed.type)
        } else {
            object = try readWithLibgit2(id)
        }
        guard object.type == expected else {
            throw .corruptObject(id, "expected a \(Self.name(of: expected)), found a \(Self.name(of: object.type))")
        }
        return object
    }

    /// Reads an object with `git_odb_read` (loose objects, alternates, anything the pack
    /// reader leaves to libgit2, and the errors of a damaged repository).
    func readWithLibgit2(_ id: ObjectID) throws(RepositoryError) -> RawObject {
        var oid = id.oid
        var pointer: OpaquePointer?
        let result: Int32 = withExtendedLifetime(owner) { () -> Int32 in git_odb_read(&pointer, self.raw, &oid) }
        guard result >= 0, let pointer else { throw owner.classify(GitError.last(code: result), id: id) }
        return RawObject(pointer, database: self)
    }

    private static func name(of type: git_object_t) -> String {
        switch type {
        case GIT_OBJECT_COMMIT: "commit"
        case GIT_OBJECT_TREE: "tree"
        case GIT_OBJECT_BLOB: "blob"
        case GIT_OBJECT_TAG: "tag"
        default: "object of type \(type.rawValue)"
        }
    }

    /// Appends every file below the tree `id` to `out` in git's tree order, with paths
    /// prefixed by `prefix`.
    func listFiles(tree id: ObjectID, prefix: GitPath, into out: inout [TreeFile]) throws(RepositoryError) {
        let object = try read(id, expected: GIT_OBJECT_TREE)
        let entries = try object.withTree(id) { (cursor: inout RawTreeCursor) throws(RepositoryError) -> [TreeFile] in
            var entries: [TreeFile] = []
            while let entry = try cursor.next() {
                entries.append(TreeFile(path: entry.path(under: prefix), id: entry.id, kind: entry.kind))
            }
            return entries
        }
        for entry in entries {
            if entry.kind == .tree {
                try listFiles(tree: entry.id, prefix: entry.path.appendingSlash, into: &out)
            } else {
                out.append(entry)
            }
        }
    }
}

/// One object read from the database: owns its `git_odb_object` and frees it once, or holds
/// the bytes ``PackReader`` produced.
///
/// Keeps its ``ObjectDatabase`` (and so the repository) alive while it lives.
final class RawObject {
    private let raw: OpaquePointer?
    private let database: ObjectDatabase?
    private let bytes: [UInt8]
    let type: git_object_t

    init(_ raw: OpaquePointer, database: ObjectDatabase) {
        self.raw = raw
        self.database = database
        bytes = []
        type = git_odb_object_type(raw)
    }

    init(bytes: [UInt8], type: git_object_t) {
        raw = nil
        database = nil
        self.bytes = bytes
        self.type = type
    }

    deinit { if let raw { git_odb_object_free(raw) } }

    /// Calls `body` with the object's bytes, valid only during the call.
    func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        guard let raw else {
            return try bytes.withUnsafeBytes { buffer in Result { () throws(E) -> R in try body(buffer) } }.get()
        }
        let bytes = UnsafeRawBufferPointer(start: git_odb_object_data(raw), count: git_odb_object_size(raw))
        return try withExtendedLifetime(self) { () throws(E) -> R in try body(bytes) }
    }

    /// Calls `body` with a cursor over the entries of this tree object.
    func withTree<R>(_ id: ObjectID, _ body: (inout RawTreeCursor) throws(RepositoryError) -> R) throws(RepositoryError) -> R {
        try withBytes { (bytes: UnsafeRawBufferPointer) throws(RepositoryError) -> R in
            var cursor = RawTreeCursor(bytes: bytes, treeID: id)
            return try body(&cursor)
        }
    }
}

/// One entry of a raw tree, borrowed from the tree's bytes.
struct RawTreeEntry {
    /// The whole entry: mode, space, name, NUL and the 20-byte id.
    var bytes: UnsafeRawBufferPointer
    var nameStart: Int
    var nameEnd: Int
    var mode: UInt32

    /// The entry's path below a folder (`prefix` ends in `/`, or is empty at the root): bytes,
    /// as the tree holds them.
    func path(under prefix: GitPath) -> GitPath {
        GitPath(prefix, appending: nameBytes)
    }
    var nameBytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[nameStart..<nameEnd]) }
    var id: ObjectID { ObjectID(rawBytes: bytes.baseAddress! + nameEnd + 1) }
    var kind: EntryKind { EntryKind(mode: mode) }
    var isTree: Bool { mode & 0o170000 == 0o040000 }
}

/// Walks a raw tree object (`<octal mode> <name>\0<20-byte id>`, repeated), validating as it goes.
///
/// Entries must come in git's order, each name once, as `git fsck` requires (treeNotSorted,
/// duplicateEntries): every comparison and lookup here relies on that order, so a tree out of
/// order (which a push is accepted with unless the server checks objects) would otherwise be
/// read one way by a whole comparison and another by a lookup. It is refused as corrupt.
struct RawTreeCursor {
    let bytes: UnsafeRawBufferPointer
    let treeID: ObjectID
    private(set) var offset = 0
    /// The previous entry's name (offsets into `bytes`) and whether it is a folder.
    private var previous: (start: Int, end: Int, isTree: Bool)?
    /// Names of files a folder of the same name may still follow (offsets into `bytes`), the
    /// latest in `file`, earlier ones below it in `files`: in git's order a folder `a` sorts as
    /// `a/`, so `a.md` or `a-b` may stand between it and a file `a`, and only names that begin
    /// so keep the file a candidate (as git fsck does). Rarely more than one, so no array is
    /// made for most trees (a cursor is made for every tree read).
    private var file: (start: Int, end: Int)?
    private var files: [(start: Int, end: Int)] = []

    init(bytes: UnsafeRawBufferPointer, treeID: ObjectID) {
        self.bytes = bytes
        self.treeID = treeID
    }

    /// The next entry, or `nil` at the end.
    ///
    /// - Throws: ``RepositoryError/corruptObject(_:_:)`` naming the tree when an entry is malformed.
    mutating func next() throws(RepositoryError) -> RawTreeEntry? {
        guard offset < bytes.count else { return nil }
        let start = offset
        var mode: UInt32 = 0
        var i = start
        while i < bytes.count, bytes[i] != 0x20 {
            let digit = bytes[i] &- 0x30
            guard digit < 8, i - start < 7 else { throw .corruptObject(treeID, "malformed tree entry mode") }
            mode = mode << 3 | UInt32(digit)
            i += 1
        }
        guard i > start, i < bytes.count else { throw .corruptObject(treeID, "malformed tree entry mode") }
        let nameStart = i + 1
        let remaining = bytes.count - nameStart
        guard remaining > 0,
              let nul = memchr(bytes.baseAddress! + nameStart, 0, remaining) else {
            throw .corruptObject(treeID, "tree entry name is not terminated")
        }
        let nameEnd = nameStart + (UnsafeRawPointer(nul) - (bytes.baseAddress! + nameStart))
        guard nameEnd > nameStart, nameEnd + 21 <= bytes.count else {
            throw .corruptObject(treeID, "truncated tree entry")
        }
        offset = nameEnd + 21
        let isTree = mode & 0o170000 == 0o040000
        try checkOrder(nameStart, nameEnd, isTree: isTree)
        return RawTreeEntry(
            bytes: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]),
            nameStart: nameStart - start, nameEnd: nameEnd - start, mode: mode)
    }

    /// Throws unless the entry named `bytes[start..<end]` comes after the previous one in git's
    /// order, and repeats no name (a folder with a file's name from earlier in the tree).
    /// Every entry of every tree read comes through here: on windows-powershell-docs this is
    /// 0.15 of the 1.2 CPU-s building the history index takes (comparing the first eight
    /// bytes as one word first saved nothing measurable, so the plain comparison stays).
    private mutating func checkOrder(_ start: Int, _ end: Int, isTree: Bool) throws(RepositoryError) {
        let base = bytes.baseAddress!
        let count = end - start
        if let (pStart, pEnd, pIsTree) = previous {
            let pCount = pEnd - pStart
            let common = min(count, pCount)
            var order = Int(memcmp(base + pStart, base + start, common))
            if order == 0 {
                if count == pCount { throw .corruptObject(treeID, "the tree lists a name twice (git fsck: duplicateEntries)") }
                let x: UInt8 = pCount > common ? bytes[pStart + common] : (pIsTree ? 0x2f : 0)
                let y: UInt8 = count > common ? bytes[start + common] : (isTree ? 0x2f : 0)
                order = Int(x) - Int(y)
            }
            guard order < 0 else { throw .corruptObject(treeID, "the tree's entries are not in git's order (git fsck: treeNotSorted)") }
        }
        previous = (start, end, isTree)
        while let (fStart, fEnd) = file {
            let fCount = fEnd - fStart
            if count >= fCount, memcmp(base + fStart, base + start, fCount) == 0 {
                if count == fCount {
                    // The same name as a file earlier in the tree (the order check has let only a folder through).
                    throw .corruptObject(treeID, "the tree lists a name twice (git fsck: duplicateEntries)")
                }
                if bytes[start + fCount] < 0x2f { break }
            }
            file = files.popLast()
        }
        if !isTree {
            if let file { files.append(file) }
            file = (start, end)
        }
    }
}
