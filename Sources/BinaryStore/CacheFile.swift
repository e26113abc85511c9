#if canImport(Glibc)
import Glibc
#endif
import Crypto
import Synchronization

/// Numbers each cache write in this process, so concurrent writers never share a temporary file.
private let writeCounter = Atomic<Int>(0)

/// A file of derived data under `<git dir>/review/`, never in the work tree: the history index
/// and the parsed-article cache.
///
/// A cache file is `magic`, the tool's identity, the body, then a random nonce and the
/// AES-256-GCM authentication tag (GMAC: nothing is encrypted) of everything before them under
/// the user's ``CacheKey``, a secret kept outside every repository. GMAC is used rather than
/// HMAC-SHA-256 because it authenticates the tens of megabytes of a large site's caches
/// several times faster.
/// ``read(_:magic:key:)`` returns the body only when all of that holds, so a truncated, damaged,
/// foreign or older file, or one written by anyone without the key (someone who can push, or
/// write the git directory), is ignored and rebuilt, never trusted: caches speed answers up
/// but never decide them. Writers write a temporary file and `rename` it into place: readers
/// see the old file or the new one, never half of one, and two writers at once are harmless
/// (the last rename wins). There is no `fsync`: a file torn by a crash fails its check and is
/// rebuilt.
public enum CacheFile {
    /// The review binary that writes and reads caches: its size and modification time, so a
    /// rebuilt tool never trusts what an older build derived (a forgotten version bump cannot
    /// leave stale answers behind).
    public static let toolIdentity: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "unknown" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }()

    /// The nonce (12 bytes) and the tag (16 bytes) at the end of every file.
    static let macSize = 28

    /// `<git dir>/review/<name>`, for a git directory path ending in `/`.
    public static func path(inGitDirectory gitDirectory: String, name: String) -> String {
        gitDirectory + "review/" + name
    }

    /// The body of the cache file at `path`, when it is complete, undamaged, authenticated by
    /// `key` and was written by this build with this `magic`. Without a key, nothing is read.
    public static func read(_ path: String, magic: String, key: CacheKey? = CacheKey.user) -> BinaryReader? {
        guard let key, let data = readBytes(atPath: path), data.count > macSize else { return nil }
        let body = data[..<(data.count - macSize)]
        let trailer = data[(data.count - macSize)...]
        guard let box = try? AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: trailer.prefix(12)), ciphertext: [UInt8](),
                                               tag: trailer.suffix(16)),
              (try? AES.GCM.open(box, using: key.secret, authenticating: body)) != nil else { return nil }
        var reader = BinaryReader(body)
        guard reader.string() == magic, reader.string() == toolIdentity else { return nil }
        return reader
    }

    /// Whether the file at `path` starts as one this build writes with `magic` does: a quick
    /// look at its first bytes, to decide early how to spend a run, never to trust its content
    /// (only ``read(_:magic:key:)`` authenticates).
    public static func hasHeader(_ path: String, magic: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let expected = writer(magic: magic).data
        var head = [UInt8](repeating: 0, count: expected.count)
        let n = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
        return n == expected.count && head == expected
    }

    /// Writes `body` (from ``writer(magic:)``) to `path`, authenticated with `key`. Failures (a
    /// read-only repository, a full disk, no key) are ignored: a cache only saves time.
    public static func store(_ body: BinaryWriter, to path: String, key: CacheKey? = CacheKey.user) {
        body.data.withUnsafeBytes { store(bytes: $0, to: path, key: key) }
    }

    /// ``store(_:to:key:)`` for a body built in a ``GrowingBytes`` (header included).
    public static func store(_ body: GrowingBytes, to path: String, key: CacheKey? = CacheKey.user) {
        body.withUnsafeBytes { store(bytes: $0, to: path, key: key) }
    }

    private static func store(bytes body: UnsafeRawBufferPointer, to path: String, key: CacheKey?) {
        guard let key,
              let sealed = try? AES.GCM.seal([UInt8](), using: key.secret, nonce: AES.GCM.Nonce(), authenticating: body) else { return }
        // The body, then the trailer, written apart: appending the trailer to the body would copy
        // the whole buffer (the caller still holds it), tens of megabytes at a cold run's peak.
        let trailer = Array(sealed.nonce) + Array(sealed.tag)
        let directory = String(path[..<path.lastIndex(of: "/")!])
        mkdir(directory, 0o755)
        let temporary = temporaryPath(for: path)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let complete = writeAll(fd, body) && trailer.withUnsafeBytes { writeAll(fd, $0) }
        close(fd)
        if !complete || rename(temporary, path) != 0 { unlink(temporary) }
    }

    /// Writes every byte of `bytes` to `fd`; whether all were written.
    private static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Bool {
        var written = 0
        while written < raw.count {
            let n = write(fd, raw.baseAddress! + written, raw.count - written)
            guard n > 0 else { return false }
            written += n
        }
        return true
    }

    /// A new temporary file name beside `path`: unique per write, not per process, since
    /// threads of one process may store at once.
    public static func temporaryPath(for path: String) -> String {
        path + ".tmp-\(getpid())-\(writeCounter.add(1, ordering: .relaxed).newValue)"
    }

    /// A writer that has written the header ``read(_:magic:key:)`` expects.
    public static func writer(magic: String) -> BinaryWriter {
        var w = BinaryWriter()
        w.string(magic)
        w.string(toolIdentity)
        return w
    }
}

/// The secret that authenticates cache files: 32 random bytes in a file outside every
/// repository (`$REVIEW_CACHE_KEY_FILE`, else `$XDG_CACHE_HOME/review/cache-key`, else
/// `~/.cache/review/cache-key`), created on first use, owned by this user and readable by no
/// one else. When it cannot be kept that way, caches are neither read nor written.
public struct CacheKey: Sendable {
    let secret: SymmetricKey

    public init(bytes: [UInt8]) { secret = SymmetricKey(data: bytes) }

    /// This user's key (`nil` when there is no safe place for one).
    public static let user: CacheKey? = location.flatMap { load(from: $0, creating: true) }

    static var location: String? {
        func env(_ name: String) -> String? { getenv(name).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } }
        if let file = env("REVIEW_CACHE_KEY_FILE") { return file }
        if let cache = env("XDG_CACHE_HOME"), cache.hasPrefix("/") { return cache + "/review/cache-key" }
        return env("HOME").map { $0 + "/.cache/review/cache-key" }
    }

    /// Reads the key at `path`; creates it (and its directory, private) when `creating` and absent.
    public static func load(from path: String, creating: Bool) -> CacheKey? {
        if let key = read(path) { return key }
        guard creating, errno == ENOENT else { return nil }
        var directory = path[..<(path.lastIndex(of: "/") ?? path.startIndex)]
        var missing: [String] = []
        while !directory.isEmpty, access(String(directory), F_OK) != 0 {
            missing.append(String(directory))
            directory = directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)]
        }
        for dir in missing.reversed() { mkdir(dir, 0o700) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if fd >= 0 {
            var generator = SystemRandomNumberGenerator()
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress!, 32) }
            fsync(fd)
            close(fd)
            if n != 32 { unlink(path); return nil }
        }
        // Whoever created it (this process or another), read what is there.
        return read(path)
    }

    /// The key in a regular file of exactly 32 bytes, owned by this user, private to them.
    private static func read(_ path: String) -> CacheKey? {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_uid == getuid(), info.st_mode & 0o077 == 0,
              info.st_size == 32 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 32)
        guard bytes.withUnsafeMutableBytes({ Glibc.read(fd, $0.baseAddress!, 32) }) == 32 else { return nil }
        return CacheKey(bytes: bytes)
    }
}

/// Appends little-endian numbers, object ids and length-prefixed strings to a byte array.
public struct BinaryWriter {
    // Public and inlinable: the caches are read and written through these in hot loops from
    // other modules, where a call per number would cost more than the work.
    public var data: [UInt8] = []

    @inlinable public init() {}

    /// Room for `count` more bytes, in huge pages where the kernel offers them (a large
    /// site's cache is tens of megabytes, written in one buffer).
    public mutating func reserve(_ count: Int) {
        data.reserveCapacity(data.count + count)
        // The whole allocation, written or not (the advice reads and writes nothing).
        let capacity = data.capacity
        data.withUnsafeMutableBufferPointer { adviseHugePages(UnsafeMutableBufferPointer(start: $0.baseAddress, count: capacity)) }
    }

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
public struct BinaryReader: Sendable {
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
    /// A reader of the next `count` bytes (sharing them, not copying), or `nil` past the end.
    public mutating func reader(_ count: Int) -> BinaryReader? {
        guard let bytes = raw(count) else { return nil }
        return BinaryReader(bytes)
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
