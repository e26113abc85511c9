import BinaryStore
import Paths

/// Stores a ``HistoryIndex`` under the repository's git directory
/// (`<git dir>/review/history-<directory>.cache`) as a ``CacheFile``.
///
/// Besides the cache file's own checks, an index for another directory or another shallow
/// boundary is ignored and rebuilt.
enum HistoryCacheFile {
    /// Names the format and the engine: change it when the layout or the engine's answers for
    /// the same history could change (a rebuilt binary is never trusted anyway).
    static let magic = "review history index 11 (paths as bytes, segmented file, scoped, later parents as asked, blobs numbered, parents and changes flat), engine review-history-2"

    static func path(in repository: Repository, directory: String) -> String {
        CacheFile.path(inGitDirectory: repository.gitDirectory, name: "history-\(directory.isEmpty ? "root" : directory.replacingSlashes()).cache")
    }

    // MARK: Writing

    /// Writes `index` a segment at a time (``CacheFileWriter``): what is held besides the index
    /// is one segment, not the tens of megabytes of a long history's file.
    static func save(_ index: HistoryIndex, to path: String, segmentSize: Int = CacheFile.segmentSize) {
        guard let file = CacheFileWriter(path: path) else { return }
        var w = CacheFile.writer(magic: magic)
        w.reserve(segmentSize + 65536)
        func flush() -> Bool { file.flush(&w, atLeast: segmentSize) }
        w.string(index.directory)
        // The folders it covers: a question about any other is never answered from it.
        w.u32(UInt32(index.scope.count))
        for folder in index.scope { folder.withBytes { w.u32(UInt32($0.count)); w.raw($0) } }
        w.u32(UInt32(index.shallow.count))
        for id in index.shallow.sorted() { w.id(id) }
        w.u32(UInt32(index.strings.values.count))
        for s in index.strings.values {
            w.string(s)
            guard flush() else { return }
        }
        // Paths as their bytes (a path need not be UTF-8).
        w.u32(UInt32(index.paths.count))
        for path in index.paths.values {
            path.withBytes { w.u32(UInt32($0.count)); w.raw($0) }
            guard flush() else { return }
        }
        // The blobs the changes name by number, each once.
        w.u32(UInt32(index.blobs.count))
        for (n, blob) in index.blobs.values.enumerated() {
            w.id(blob)
            if n % 1024 == 1023 { guard flush() else { return } }
        }
        w.u32(UInt32(index.count))
        for c in 0..<index.count {
            w.id(index.ids[c])
            w.id(index.trees[c])
            if let scope = index.scopeTrees[c] { w.u8(1); w.id(scope) } else { w.u8(0) }
            w.u8(index.isBoundary[c] ? 1 : 0)
            let m = index.meta[c]
            for n in [m.authorName, m.authorEmail, m.committerName, m.committerEmail, m.summary, m.coAuthors] { w.u32(UInt32(n)) }
            w.i64(m.authorTime); w.i64(m.committerTime); w.i32(m.authorOffset); w.i32(m.committerOffset)
            guard flush() else { return }
        }
        // The parents, flat: per commit how many, then all of them, commit after commit (read
        // back in bulk, not an array per commit).
        for c in 0..<index.count {
            w.u32(UInt32(index.parents[c].count))
            guard flush() else { return }
        }
        for c in 0..<index.count {
            for p in index.parents[c] { w.u32(UInt32(p)) }
            guard flush() else { return }
        }
        // The changes, flat: per commit, per parent, how many; then each in 8 bytes, as the
        // index holds it (its blob's number, its path's number with the flags).
        var total = 0
        for c in 0..<index.count {
            for list in index.changes[c] { w.u32(UInt32(list.count)); total += list.count }
            guard flush() else { return }
        }
        w.u32(UInt32(total))
        for c in 0..<index.count {
            for list in index.changes[c] {
                for change in list { w.u32(change.blobNumber); w.u32(change.packedBits) }
                guard flush() else { return }
            }
        }
        file.finish(with: w)
    }

    // MARK: Reading

    /// The stored index, or `nil` when there is none that can be trusted for these settings.
    static func load(from path: String, directory: String, shallow: Set<ObjectID>) -> HistoryIndex? {
        guard var r = CacheFile.read(path, magic: magic), r.string() == directory, let scope = Self.paths(&r), !scope.isEmpty,
              scope.allSatisfy({ $0.isEmpty || $0.hasSuffix("/") }), HistoryIndex.normalized(scope) == scope,
              scope.allSatisfy({ $0.hasPrefix(GitPath(directory).appendingSlash) }),
              let shallowCount = r.u32() else { return nil }
        var storedShallow: Set<ObjectID> = []
        for _ in 0..<shallowCount { guard let id = r.id() else { return nil }; storedShallow.insert(id) }
        guard storedShallow == shallow, let strings = r.strings(), let paths = Self.paths(&r), paths.count <= HistoryIndex.Change.pathLimit,
              let blobCount = r.u32(), blobCount <= UInt32(r.remaining / 20) else { return nil }
        var blobs: [ObjectID] = []
        blobs.reserveCapacity(Int(blobCount))
        for _ in 0..<blobCount { guard let id = r.id() else { return nil }; blobs.append(id) }
        guard let count = r.u32(), count <= UInt32(r.remaining) else { return nil }
        var index = HistoryIndex(directory: directory, shallow: shallow, scope: scope)
        index.strings = InternTable(strings)
        index.paths = InternTable(paths)
        index.blobs = BlobNumbering(blobs)
        // Every table at its size from the start: grown by doubling, the commits' lookup table
        // was rehashed step by step (a tenth of loading a 50,000-commit index).
        index.ids.reserveCapacity(Int(count))
        index.index.reserveCapacity(Int(count))
        index.trees.reserveCapacity(Int(count))
        index.scopeTrees.reserveCapacity(Int(count))
        index.isBoundary.reserveCapacity(Int(count))
        index.meta.reserveCapacity(Int(count))
        for c in 0..<Int(count) {
            guard let id = r.id(), let tree = r.id(), let hasScope = r.u8() else { return nil }
            let scope = hasScope == 1 ? r.id() : nil
            if hasScope == 1 && scope == nil { return nil }
            guard let boundary = r.u8(), let an = r.u32(), let ae = r.u32(), let cn = r.u32(), let ce = r.u32(), let su = r.u32(),
                  let ca = r.u32(), [an, ae, cn, ce, su, ca].allSatisfy({ $0 < strings.count }),
                  let at = r.i64(), let ct = r.i64(), let ao = r.i32(), let co = r.i32() else { return nil }
            index.ids.append(id)
            index.index[id] = Int32(c)
            index.trees.append(tree)
            index.scopeTrees.append(scope)
            index.isBoundary.append(boundary == 1)
            index.meta.append(HistoryIndex.Meta(authorName: Int32(an), authorEmail: Int32(ae), authorTime: at, authorOffset: ao,
                                                committerName: Int32(cn), committerEmail: Int32(ce), committerTime: ct,
                                                committerOffset: co, summary: Int32(su), coAuthors: Int32(ca)))
        }
        // The parents: how many per commit (fewer than 65,536 each), then each a commit's number.
        guard let parentCounts = Self.words(&r, Int(count), { $0 < 1 << 16 ? Int32($0) : nil }),
              let parentEnds = Self.ends(parentCounts, within: r.remaining / 4),
              let parentValues = Self.words(&r, Int(parentEnds.last ?? 0), { $0 < count ? Int32($0) : nil }),
              let parents = FlatLists(values: parentValues, ends: parentEnds) else { return nil }
        // The changes: how many per list (one list per parent), then each in 8 bytes, in range.
        guard let listLengths = Self.words(&r, parentValues.count, { $0 <= UInt32(Int32.max) ? Int32($0) : nil }),
              let listEnds = Self.ends(listLengths, within: r.remaining / 8),
              let total = r.u32(), Int(total) == Int(listEnds.last ?? 0),
              let values = Self.changes(&r, Int(total), pathCount: paths.count, blobCount: Int(blobCount)),
              let lists = FlatLists(values: values, ends: listEnds),
              let changes = CommitLists(lists: lists, counts: parentCounts) else { return nil }
        index.parents = parents
        index.changes = changes
        guard r.remaining == 0 else { return nil }
        return index
    }

    /// How many values a bulk read takes in place at a time.
    private static let run = 4096

    /// `n` little-endian words, each made a value by `make` (`nil`: out of range, and the whole
    /// read fails), read a run at a time.
    private static func words<T>(_ r: inout BinaryReader, _ n: Int, _ make: (UInt32) -> T?) -> [T]? {
        guard n >= 0, n <= r.remaining / 4 else { return nil }
        var out: [T] = []
        out.reserveCapacity(n)
        while out.count < n {
            let k = min(n - out.count, run)
            let read = r.withBytes(k * 4) { raw -> Bool in
                for i in 0..<k {
                    guard let value = make(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self))) else { return false }
                    out.append(value)
                }
                return true
            }
            guard read == true else { return nil }
        }
        return out
    }

    /// Where each list ends, from the lists' lengths; `nil` where they add up past `limit`.
    private static func ends(_ lengths: [Int32], within limit: Int) -> [Int32]? {
        var ends: [Int32] = []
        ends.reserveCapacity(lengths.count)
        var total = 0
        for length in lengths {
            total += Int(length)
            guard total <= limit, total <= Int(Int32.max) else { return nil }
            ends.append(Int32(total))
        }
        return ends
    }

    /// `n` changes as ``save(_:to:)`` wrote them (a blob's number, then the path's number with
    /// the flags), a run at a time, each checked
    /// (``HistoryIndex/Change/isValid(blobNumber:packed:pathCount:blobCount:)``): one out of range
    /// fails the whole read.
    private static func changes(_ r: inout BinaryReader, _ n: Int, pathCount: Int, blobCount: Int) -> [HistoryIndex.Change]? {
        guard n >= 0, n <= r.remaining / 8 else { return nil }
        var valid = true
        // Written in place: appending checked the array's capacity and uniqueness per change.
        let out = [HistoryIndex.Change](unsafeUninitializedCapacity: n) { buffer, initialized in
            while initialized < n {
                let k = min(n - initialized, run)
                let into = buffer.baseAddress! + initialized
                let read = r.withBytes(k * 8) { raw -> Bool in
                    var ok = true
                    for i in 0..<k {
                        let blob = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: UInt32.self))
                        let packed = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8 + 4, as: UInt32.self))
                        if !HistoryIndex.Change.isValid(blobNumber: blob, packed: packed, pathCount: pathCount, blobCount: blobCount) { ok = false }
                        (into + i).initialize(to: HistoryIndex.Change(unchecked: blob, packed: packed))
                    }
                    return ok
                }
                guard let read else { valid = false; return }
                initialized += k
                guard read else { valid = false; return }
            }
        }
        return valid ? out : nil
    }
}

extension HistoryCacheFile {
    static func kindBits(_ kind: EntryKind) -> UInt8 {
        switch kind {
        case .blob: 0
        case .executable: 1
        case .symlink: 2
        case .submodule: 3
        case .tree: 4
        }
    }

    /// The paths as ``save(_:to:)`` wrote them: a count, then each path's length and bytes.
    static func paths(_ r: inout BinaryReader) -> [GitPath]? {
        guard let n = r.u32(), n <= UInt32(r.remaining) else { return nil }
        var list: [GitPath] = []
        list.reserveCapacity(Int(n))
        for _ in 0..<n {
            guard let length = r.u32(), let path = r.withBytes(Int(length), { GitPath(bytes: $0) }) else { return nil }
            list.append(path)
        }
        return list
    }

    static func kind(bits: UInt8) -> EntryKind {
        switch bits {
        case 0: .blob
        case 1: .executable
        case 2: .symlink
        case 3: .submodule
        default: .tree
        }
    }
}

extension String {
    func replacingSlashes() -> String {
        String(map { $0 == "/" ? "_" : $0 })
    }
}

extension BinaryWriter {
    /// An object id as its 20 raw bytes.
    public mutating func id(_ id: ObjectID) { raw(id.bytes) }
}

extension BinaryReader {
    /// What ``BinaryWriter/id(_:)`` wrote, or `nil` past the end.
    public mutating func id() -> ObjectID? { withBytes(20) { ObjectID(rawBytes: $0.baseAddress!) } }
}
