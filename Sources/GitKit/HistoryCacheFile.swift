import CGit2
#if canImport(Glibc)
import Glibc
#endif

/// Stores a ``HistoryIndex`` under the repository's git directory
/// (`<git dir>/review/history-<directory>.cache`), never in the work tree.
///
/// The file starts with a magic line, a format version and the engine version; it ends with a
/// 64-bit FNV-1a checksum of everything before it. A file that is missing, truncated, corrupt,
/// written by another version, for another directory or for another shallow boundary is
/// ignored and rebuilt. Writers write a temporary file and `rename` it into place, so readers
/// see an old or a new index, never half of one, and two writers at once are harmless.
enum HistoryCacheFile {
    static let magic = Array("RVHIDX\n\0".utf8)
    static let formatVersion: UInt32 = 1
    /// Bump when the engine's answers could change for the same history.
    static let engineVersion = "review-history-2"

    static func path(in repository: Repository, directory: String) -> String {
        let name = directory.isEmpty ? "root" : directory.replacingSlashes()
        return repository.gitDirectory + "review/history-\(name).cache"
    }

    // MARK: Writing

    /// Writes the index; failures (a read-only repository, a full disk) are ignored: the
    /// cache only saves time.
    static func save(_ index: HistoryIndex, to path: String) {
        var w = Writer()
        w.bytes(magic)
        w.u32(formatVersion)
        w.string(engineVersion)
        w.string(index.directory)
        w.u32(UInt32(index.shallow.count))
        for id in index.shallow.sorted() { w.id(id) }
        w.strings(index.strings.values)
        w.strings(index.paths.values)
        w.u32(UInt32(index.count))
        for c in 0..<index.count {
            w.id(index.ids[c])
            w.id(index.trees[c])
            if let scope = index.scopeTrees[c] { w.u8(1); w.id(scope) } else { w.u8(0) }
            w.u8(index.isBoundary[c] ? 1 : 0)
            w.u32(UInt32(index.parents[c].count))
            for p in index.parents[c] { w.u32(UInt32(p)) }
            let m = index.meta[c]
            for n in [m.authorName, m.authorEmail, m.committerName, m.committerEmail, m.summary] { w.u32(UInt32(n)) }
            w.i64(m.authorTime); w.i64(m.committerTime); w.i32(m.authorOffset); w.i32(m.committerOffset)
            w.u32(UInt32(index.changes[c].count))
            for perParent in index.changes[c] {
                w.u32(UInt32(perParent.count))
                for change in perParent {
                    w.u32(UInt32(change.path))
                    w.u8((change.blob != nil ? 1 : 0) | (change.moved ? 2 : 0))
                    if let blob = change.blob { w.id(blob) }
                }
            }
        }
        w.u64(fnv1a(w.data))
        let directory = String(path[..<path.lastIndex(of: "/")!])
        mkdir(directory, 0o755)
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        var written = 0
        while written < w.data.count {
            let n = w.data.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            guard n > 0 else { break }
            written += n
        }
        let complete = written == w.data.count && fsync(fd) == 0
        close(fd)
        if !complete || rename(temporary, path) != 0 { unlink(temporary) }
    }

    // MARK: Reading

    /// The stored index, or `nil` when there is none that can be trusted for these settings.
    static func load(from path: String, directory: String, shallow: Set<ObjectID>) -> HistoryIndex? {
        guard let data = readBytes(atPath: path), data.count > magic.count + 8 else { return nil }
        let body = data[..<(data.count - 8)]
        var trailer = Reader(data[(data.count - 8)...])
        guard trailer.u64() == fnv1a(body) else { return nil }
        var r = Reader(body)
        guard r.bytes(magic.count) == magic, r.u32() == formatVersion, r.string() == engineVersion,
              r.string() == directory, let shallowCount = r.u32() else { return nil }
        var storedShallow: Set<ObjectID> = []
        for _ in 0..<shallowCount { guard let id = r.id() else { return nil }; storedShallow.insert(id) }
        guard storedShallow == shallow, let strings = r.strings(), let paths = r.strings(), let count = r.u32() else { return nil }
        var index = HistoryIndex(directory: directory, shallow: shallow)
        index.strings = InternTable(strings)
        index.paths = InternTable(paths)
        guard index.strings.count == strings.count, index.paths.count == paths.count else { return nil }
        index.ids.reserveCapacity(Int(count))
        for c in 0..<Int(count) {
            guard let id = r.id(), let tree = r.id(), let hasScope = r.u8() else { return nil }
            let scope = hasScope == 1 ? r.id() : nil
            if hasScope == 1 && scope == nil { return nil }
            guard let boundary = r.u8(), let parentCount = r.u32(), parentCount < 1 << 16 else { return nil }
            var parents: [Int32] = []
            for _ in 0..<parentCount {
                guard let p = r.u32(), p < count else { return nil }
                parents.append(Int32(p))
            }
            guard let an = r.u32(), let ae = r.u32(), let cn = r.u32(), let ce = r.u32(), let su = r.u32(),
                  [an, ae, cn, ce, su].allSatisfy({ $0 < strings.count }),
                  let at = r.i64(), let ct = r.i64(), let ao = r.i32(), let co = r.i32(),
                  let perParentCount = r.u32(), perParentCount == parentCount else { return nil }
            var changes: [[HistoryIndex.Change]] = []
            for _ in 0..<perParentCount {
                guard let n = r.u32(), n <= UInt32(r.remaining) else { return nil }
                var list: [HistoryIndex.Change] = []
                list.reserveCapacity(Int(n))
                for _ in 0..<n {
                    guard let path = r.u32(), path < paths.count, let flags = r.u8() else { return nil }
                    var blob: ObjectID?
                    if flags & 1 != 0 { guard let b = r.id() else { return nil }; blob = b }
                    list.append(HistoryIndex.Change(path: Int32(path), blob: blob, moved: flags & 2 != 0))
                }
                changes.append(list)
            }
            index.ids.append(id)
            index.index[id] = Int32(c)
            index.trees.append(tree)
            index.scopeTrees.append(scope)
            index.isBoundary.append(boundary == 1)
            index.parents.append(parents)
            index.meta.append(HistoryIndex.Meta(authorName: Int32(an), authorEmail: Int32(ae), authorTime: at, authorOffset: ao,
                                                committerName: Int32(cn), committerEmail: Int32(ce), committerTime: ct,
                                                committerOffset: co, summary: Int32(su)))
            index.changes.append(changes)
        }
        guard r.remaining == 0 else { return nil }
        return index
    }

    static func fnv1a(_ bytes: some Collection<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    private struct Writer {
        var data: [UInt8] = []
        mutating func bytes(_ b: [UInt8]) { data += b }
        mutating func u8(_ v: UInt8) { data.append(v) }
        mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
        mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
        mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
        mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
        mutating func id(_ id: ObjectID) { data += id.bytes }
        mutating func string(_ s: String) { let b = Array(s.utf8); u32(UInt32(b.count)); data += b }
        mutating func strings(_ list: [String]) { u32(UInt32(list.count)); for s in list { string(s) } }
    }

    private struct Reader {
        let data: ArraySlice<UInt8>
        var offset: Int

        init(_ data: ArraySlice<UInt8>) {
            self.data = data
            offset = data.startIndex
        }

        var remaining: Int { data.endIndex - offset }

        mutating func bytes(_ n: Int) -> [UInt8]? {
            guard n >= 0, remaining >= n else { return nil }
            defer { offset += n }
            return Array(data[offset..<(offset + n)])
        }
        mutating func u8() -> UInt8? {
            guard remaining >= 1 else { return nil }
            defer { offset += 1 }
            return data[offset]
        }
        mutating func u32() -> UInt32? {
            guard remaining >= 4 else { return nil }
            defer { offset += 4 }
            return data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset - data.startIndex, as: UInt32.self)) }
        }
        mutating func i32() -> Int32? { u32().map { Int32(bitPattern: $0) } }
        mutating func u64() -> UInt64? {
            guard let lo = u32(), let hi = u32() else { return nil }
            return UInt64(lo) | UInt64(hi) << 32
        }
        mutating func i64() -> Int64? { u64().map { Int64(bitPattern: $0) } }
        mutating func id() -> ObjectID? {
            guard remaining >= 20 else { return nil }
            defer { offset += 20 }
            return data.withUnsafeBytes { ObjectID(rawBytes: $0.baseAddress! + (offset - data.startIndex)) }
        }
        mutating func string() -> String? {
            guard let n = u32(), Int(n) <= remaining else { return nil }
            defer { offset += Int(n) }
            return String(validating: data[offset..<(offset + Int(n))], as: UTF8.self)
        }
        mutating func strings() -> [String]? {
            guard let n = u32(), n <= UInt32(remaining) else { return nil }
            var list: [String] = []
            for _ in 0..<n { guard let s = string() else { return nil }; list.append(s) }
            return list
        }
    }
}

extension String {
    func replacingSlashes() -> String {
        String(map { $0 == "/" ? "_" : $0 })
    }
}
