#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Numbers each cache write in this process, so concurrent writers never share a temporary file.
private let writeCounter = Atomic<Int>(0)

/// A file of derived data under `<git dir>/review/`, never in the work tree: the history index
/// and the parsed-article cache.
///
/// A cache file is `magic`, the tool's identity, the body, and a 64-bit FNV-1a checksum of
/// everything before it. ``read(_:magic:)`` returns the body only when all of that holds, so a
/// truncated, damaged, foreign or older file is ignored and rebuilt, never trusted. Writers
/// write a temporary file and `rename` it into place: readers see the old file or the new one,
/// never half of one, and two writers at once are harmless (the last rename wins). There is no
/// `fsync`: a file torn by a crash fails its checksum and is rebuilt.
public enum CacheFile {
    /// The review binary that writes and reads caches: its size and modification time, so a
    /// rebuilt tool never trusts what an older build derived (a forgotten version bump cannot
    /// leave stale answers behind).
    public static let toolIdentity: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "unknown" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }()

    /// `<git dir>/review/<name>`, for a git directory path ending in `/`.
    public static func path(inGitDirectory gitDirectory: String, name: String) -> String {
        gitDirectory + "review/" + name
    }

    /// The body of the cache file at `path`, when it is complete, undamaged and was written by
    /// this build with this `magic`.
    public static func read(_ path: String, magic: String) -> BinaryReader? {
        guard let data = readBytes(atPath: path), data.count > 8 else { return nil }
        let body = data[..<(data.count - 8)]
        var trailer = BinaryReader(data[(data.count - 8)...])
        guard trailer.u64() == fnv1a(body) else { return nil }
        var reader = BinaryReader(body)
        guard reader.string() == magic, reader.string() == toolIdentity else { return nil }
        return reader
    }

    /// Writes `body` (from ``writer(magic:)``) to `path`. Failures (a read-only repository, a
    /// full disk) are ignored: a cache only saves time.
    public static func store(_ body: BinaryWriter, to path: String) {
        var file = body
        file.u64(fnv1a(file.data))
        let directory = String(path[..<path.lastIndex(of: "/")!])
        mkdir(directory, 0o755)
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        var written = 0
        while written < file.data.count {
            let n = file.data.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            guard n > 0 else { break }
            written += n
        }
        let complete = written == file.data.count
        close(fd)
        if !complete || rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// A new temporary file name beside `path`: unique per write, not per process, since
    /// threads of one process may store at once.
    public static func temporaryPath(for path: String) -> String {
        path + ".tmp-\(getpid())-\(writeCounter.add(1, ordering: .relaxed).newValue)"
    }

    /// A writer that has written the header ``read(_:magic:)`` expects.
    public static func writer(magic: String) -> BinaryWriter {
        var w = BinaryWriter()
        w.string(magic)
        w.string(toolIdentity)
        return w
    }

    /// FNV-1a over 64-bit words (then the tail bytes): a checksum against damage, not against
    /// anyone who can write to the git directory (they could rewrite the refs just as well).
    static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        bytes.withUnsafeBytes { raw in
            let words = raw.count / 8
            for i in 0..<words {
                hash = (hash ^ raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)) &* 0x0000_0100_0000_01b3
            }
            for i in (words * 8)..<raw.count { hash = (hash ^ UInt64(raw[i])) &* 0x0000_0100_0000_01b3 }
        }
        return hash
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 { fnv1a(bytes[...]) }
}

/// Appends little-endian numbers, object ids and length-prefixed strings to a byte array.
public struct BinaryWriter {
    // Public and inlinable: the caches are read and written through these in hot loops from
    // other modules, where a call per number would cost more than the work.
    public var data: [UInt8] = []

    @inlinable public init() {}

    @inlinable public mutating func u8(_ v: UInt8) { data.append(v) }
    @inlinable public mutating func bool(_ v: Bool) { data.append(v ? 1 : 0) }
    @inlinable public mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
    @inlinable public mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    @inlinable public mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { data += $0 } }
    @inlinable public mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    /// Raw bytes with no length prefix (a fixed-size value, such as a 20-byte object id).
    @inlinable public mutating func raw<C: Collection<UInt8>>(_ bytes: C) { data += bytes }
    @inlinable public mutating func string(_ s: String) {
        u32(UInt32(s.utf8.count))
        data += s.utf8
    }
    @inlinable public mutating func strings(_ list: [String]) {
        u32(UInt32(list.count))
        for s in list { string(s) }
    }
    /// A flag byte, then the string when there is one.
    @inlinable public mutating func optionalString(_ s: String?) {
        bool(s != nil)
        if let s { string(s) }
    }
}

/// Reads what ``BinaryWriter`` wrote; every read returns `nil` past the end or on bad data,
/// so a damaged file can never crash a reader.
public struct BinaryReader {
    @usableFromInline let data: ArraySlice<UInt8>
    @usableFromInline var offset: Int

    init(_ data: ArraySlice<UInt8>) {
        self.data = data
        offset = data.startIndex
    }

    @inlinable public var remaining: Int { data.endIndex - offset }

    @inlinable public mutating func u8() -> UInt8? {
        guard remaining >= 1 else { return nil }
        defer { offset += 1 }
        return data[offset]
    }
    @inlinable public mutating func bool() -> Bool? {
        switch u8() {
        case 0: false
        case 1: true
        default: nil
        }
    }
    @inlinable public mutating func u32() -> UInt32? {
        guard remaining >= 4 else { return nil }
        defer { offset += 4 }
        return data.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset - data.startIndex, as: UInt32.self)) }
    }
    @inlinable public mutating func i32() -> Int32? { u32().map { Int32(bitPattern: $0) } }
    @inlinable public mutating func u64() -> UInt64? {
        guard let lo = u32(), let hi = u32() else { return nil }
        return UInt64(lo) | UInt64(hi) << 32
    }
    @inlinable public mutating func i64() -> Int64? { u64().map { Int64(bitPattern: $0) } }
    /// The next `count` bytes as written by ``BinaryWriter/raw(_:)``, or `nil` past the end.
    @inlinable public mutating func raw(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return data[offset..<(offset + count)]
    }
    @inlinable public mutating func string() -> String? {
        guard let n = u32(), Int(n) <= remaining else { return nil }
        defer { offset += Int(n) }
        return String(validating: data[offset..<(offset + Int(n))], as: UTF8.self)
    }
    @inlinable public mutating func strings() -> [String]? {
        guard let n = u32(), n <= UInt32(remaining) else { return nil }
        var list: [String] = []
        list.reserveCapacity(Int(n))
        for _ in 0..<n {
            guard let s = string() else { return nil }
            list.append(s)
        }
        return list
    }
    /// What ``BinaryWriter/optionalString(_:)`` wrote: `.some(nil)` for an absent string,
    /// `nil` for bad data.
    @inlinable public mutating func optionalString() -> String?? {
        guard let present = bool() else { return nil }
        guard present else { return .some(nil) }
        guard let s = string() else { return nil }
        return .some(s)
    }
}
