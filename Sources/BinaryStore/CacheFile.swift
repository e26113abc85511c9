#if canImport(Glibc)
import Glibc
#endif
import SystemCrypto
import Synchronization

/// Numbers each cache write in this process, so concurrent writers never share a temporary file.
private let writeCounter = Atomic<Int>(0)

/// A file of derived data under `<git dir>/review/`, never in the work tree: the history index,
/// the parsed-article and body caches, the record and text-change caches.
///
/// The file's content (the body) is `magic`, the tool's identity, then what the cache stores; it
/// is written in segments of at most ``segmentSize`` bytes (a writer may end one at a value's
/// end, a little past that), so a writer need never hold the whole body: the body cache of a
/// cold read is written to disk as the pages are parsed (``CacheFileWriter``). Each segment is
///
///     length (u32, little-endian) | payload (length bytes) | nonce (12) | description (29) | tag (16)
///
/// where the description (file id 16 bytes, segment index u64, flags u8 with bit 0 = last
/// segment, payload length u32) is sealed with AES-256-GCM under the user's ``CacheKey`` and a
/// fresh random nonce, with the payload as authenticated data: the tag authenticates both, the
/// description's encryption only serves to bind it to the payload without copying the payload
/// beside it. Nothing of the cache is secret; what the key gives is that no one without it
/// (someone who can push, or write the git directory, even during a run) can make a file this
/// tool trusts. The header (magic and tool identity) is the start of the first segment's payload,
/// so it is authenticated too. ``read(_:magic:key:)`` verifies every segment before it returns
/// anything, and returns nothing unless all of these hold:
///
/// - every tag verifies under the key: a changed byte anywhere, or a file written under another
///   key (another user, an attacker), is refused;
/// - every description carries the first segment's file id, a random number drawn per file: no
///   segment of another file (even one this user wrote with the same key) can be spliced in;
/// - segment `i` says it is segment `i`: segments cannot be reordered, repeated or dropped from
///   the middle;
/// - the last segment read is flagged last, no earlier one is, and nothing follows it: a file
///   cut after any segment, or inside one, is refused;
/// - the stated length equals the sealed one, and the header names this `magic` and this build.
///
/// GMAC (GCM with nothing but a few bytes encrypted) rather than HMAC-SHA-256 because it
/// authenticates the tens of megabytes of a large site's caches several times faster.
/// A refused file is ignored and rebuilt, never trusted: caches speed answers up but never
/// decide them. Writers write a temporary file and `rename` it into place: readers see the old
/// file or the new one, never half of one, and two writers at once are harmless (the last rename
/// wins). There is no `fsync`: a file torn by a crash fails its check and is rebuilt.
public enum CacheFile {
    /// The review binary that writes and reads caches: its size and modification time, so a
    /// rebuilt tool never trusts what an older build derived (a forgotten version bump cannot
    /// leave stale answers behind).
    public static let toolIdentity: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "unknown" }
        return "\(info.st_size)-\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }()

    /// How many payload bytes a segment holds (a writer may go a value past it). 1 MiB: what a
    /// streamed writer holds is one segment, and sealing one costs the same per byte as sealing
    /// tens of megabytes at once.
    public static let segmentSize = 1 << 20

    /// A segment's description: the file's id, the segment's index, its flags and its length.
    static let descriptionSize = 16 + 8 + 1 + 4
    /// The bytes after a segment's payload: the nonce, the sealed description and the tag.
    static let trailerSize = 12 + descriptionSize + 16
    /// The flag of the last segment.
    static let finalFlag: UInt8 = 1

    /// `<git dir>/review/<name>`, for a git directory path ending in `/`.
    public static func path(inGitDirectory gitDirectory: String, name: String) -> String {
        gitDirectory + "review/" + name
    }

    /// The body of the cache file at `path` (after the header), when it is complete, undamaged,
    /// authenticated by `key` segment by segment and was written by this build with this
    /// `magic`. Without a key, nothing is read.
    ///
    /// The segments are verified where they lie, in a read-only mapping of the file where no one
    /// without the key can change it (``FileBytes/mappable(_:)``), else in a copy; the
    /// reader reads their payloads in place, in order. Nothing is copied, moved or zeroed.
    public static func read(_ path: String, magic: String, key: CacheKey? = CacheKey.user) -> BinaryReader? {
        read(path, magic: magic, key: key, mapping: true)
    }

    /// ``read(_:magic:key:)``; `mapping: false` reads a copy (tests compare the two).
    static func read(_ path: String, magic: String, key: CacheKey?, mapping: Bool) -> BinaryReader? {
        guard let key, let file = FileBytes.read(path, mapping: mapping) else { return nil }
        let bytes = UnsafeRawBufferPointer(start: file.base, count: file.count)
        guard let runs = verify(bytes, key: key) else { return nil }
        var reader = BinaryReader(ReaderStorage(file, runs: runs))
        guard reader.string() == magic, reader.string() == toolIdentity else { return nil }
        return reader
    }

    /// Verifies every segment of `file` (see ``CacheFile``); where their payloads lie, in order,
    /// or `nil` when one check fails.
    static func verify(_ file: UnsafeRawBufferPointer, key: CacheKey) -> [Range<Int>]? {
        var offset = 0
        var index: UInt64 = 0
        var fileID: [UInt8]?
        var ended = false
        var runs: [Range<Int>] = []
        while offset < file.count {
            guard !ended, let segment = open(file, at: offset, key: key, index: index, fileID: fileID) else { return nil }
            fileID = segment.fileID
            ended = segment.final
            runs.append(segment.payload)
            offset = segment.end
            index += 1
        }
        return ended ? runs : nil
    }

    /// Segment `index` of a file, starting at `offset` in `bytes`: where its payload lies, where
    /// it ends, its file id and whether it is the last; `nil` unless it is whole, its tag
    /// verifies under `key`, and its description says it is segment `index` of the file
    /// `fileID` (any file, for the first) with the length it has.
    static func open(_ bytes: UnsafeRawBufferPointer, at offset: Int, key: CacheKey, index: UInt64,
                     fileID: [UInt8]?) -> (payload: Range<Int>, end: Int, fileID: [UInt8], final: Bool)? {
        guard bytes.count - offset >= 4 else { return nil }
        let length = Int(UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        let payload = (offset + 4)..<(offset + 4 + length)
        guard bytes.count - payload.upperBound >= trailerSize else { return nil }
        let trailer = payload.upperBound
        func part(_ range: Range<Int>) -> UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: bytes[range]) }
        guard let box = try? AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: part(trailer..<(trailer + 12))),
                                               ciphertext: part((trailer + 12)..<(trailer + 12 + descriptionSize)),
                                               tag: part((trailer + 12 + descriptionSize)..<(trailer + trailerSize))),
              let opened = try? AES.GCM.open(box, using: key.secret, authenticating: part(payload)) else { return nil }
        let description = [UInt8](opened)
        guard description.count == descriptionSize else { return nil }
        var r = BinaryReader(description[16...])
        let id = Array(description[..<16])
        guard fileID == nil || fileID == id, r.u64() == index, let flags = r.u8(), flags & ~finalFlag == 0,
              r.u32() == UInt32(length) else { return nil }
        return (payload, trailer + trailerSize, id, flags & finalFlag != 0)
    }

    /// Whether the file at `path` starts as one this build writes with `magic` does: a quick
    /// look at its first bytes, to decide early how to spend a run, never to trust its content
    /// (only ``read(_:magic:key:)`` authenticates).
    public static func hasHeader(_ path: String, magic: String) -> Bool {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // The first segment's length, then the header at the start of its payload.
        let header = writer(magic: magic).data
        var head = [UInt8](repeating: 0, count: 4 + header.count)
        let n = head.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
        guard n == head.count else { return false }
        let length = head.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self))) }
        return length >= header.count && head[4...].elementsEqual(header)
    }

    /// Writes `body` (from ``writer(magic:)``) to `path`, authenticated with `key`. Failures (a
    /// read-only repository, a full disk, no key) are ignored: a cache only saves time.
    public static func store(_ body: BinaryWriter, to path: String, key: CacheKey? = CacheKey.user) {
        store(body, to: path, key: key, segmentSize: segmentSize)
    }

    /// ``store(_:to:key:)`` in segments of `segmentSize` bytes (tests make them small).
    static func store(_ body: BinaryWriter, to path: String, key: CacheKey?, segmentSize: Int) {
        guard let writer = CacheFileWriter(path: path, key: key) else { return }
        // Each segment sealed and written from the caller's buffer, never copied.
        let complete = body.data.withUnsafeBytes { bytes in
            var offset = 0
            repeat {
                let n = min(segmentSize, bytes.count - offset)
                guard writer.write(segment: UnsafeRawBufferPointer(rebasing: bytes[offset..<(offset + n)]),
                                   final: offset + n == bytes.count) else { return false }
                offset += n
            } while offset < bytes.count
            return true
        }
        if complete { _ = writer.commit() }
    }

    /// Writes every byte of `bytes` to `fd`; whether all were written.
    static func writeAll(_ fd: Int32, _ raw: UnsafeRawBufferPointer) -> Bool {
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

/// A ``CacheFile`` written a segment at a time, into a temporary file beside its path that
/// ``commit()`` renames into place (dropped unwritten, the temporary file is removed): a writer
/// holds one segment, not the whole body. The caller makes the segments: the first starts
/// with the header (``CacheFile/writer(magic:)``), the last is written with `final`.
///
/// What was written can be read back during the run (``segment(_:)``), authenticated again:
/// anyone who can write the git directory can change the temporary file meanwhile. Not
/// thread-safe: callers serialize.
public final class CacheFileWriter {
    /// Where the file goes once complete.
    public let path: String
    /// Where it is written until then.
    public let temporaryPath: String
    private let key: CacheKey
    /// Random per file: a segment of another file never verifies as one of this one.
    private let fileID: [UInt8]
    private var fd: Int32
    /// Where each written segment starts in the temporary file, and where the last one ends.
    private var starts: [Int] = [0]
    /// Whether the last segment was written (nothing more may be), and whether a write failed.
    private var ended = false
    private var failed = false
    private var committed = false

    /// How many segments were written.
    public var segments: Int { starts.count - 1 }

    /// A writer for the cache file at `path`, authenticated by `key`; `nil` without a key, or
    /// where no temporary file can be made (a read-only repository).
    ///
    /// The temporary file has no name until ``commit()`` where the file system allows
    /// (`O_TMPFILE`): a run killed while it streams a large cache leaves nothing behind.
    public convenience init?(path: String, key: CacheKey? = CacheKey.user) {
        self.init(path: path, key: key, named: false)
    }

    /// `named`: a temporary file with a name from the start (what the writer falls back to
    /// where `O_TMPFILE` is refused; tests ask for it).
    init?(path: String, key: CacheKey?, named: Bool) {
        guard let key, let slash = path.lastIndex(of: "/") else { return nil }
        let directory = String(path[..<slash])
        mkdir(directory, 0o755)
        temporaryPath = CacheFile.temporaryPath(for: path)
        var fd = named ? -1 : Glibc.open(directory, O_RDWR | Self.unnamed | O_CLOEXEC, 0o644)
        anonymous = fd >= 0
        // O_EXCL: a file someone put at this name is not ours to write.
        if fd < 0 { fd = Glibc.open(temporaryPath, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644) }
        guard fd >= 0 else { return nil }
        var generator = SystemRandomNumberGenerator()
        fileID = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        (self.path, self.key, self.fd) = (path, key, fd)
    }

    /// Linux's `O_TMPFILE` (`__O_TMPFILE | O_DIRECTORY`; not imported into Swift).
    private static let unnamed: Int32 = 0o20000000 | O_DIRECTORY
    /// Whether the temporary file has no name yet.
    private let anonymous: Bool

    deinit {
        if fd >= 0 { close(fd) }
        if !committed && !anonymous { unlink(temporaryPath) }
    }

    /// Seals `payload` as the next segment (the last one when `final`) and writes it; whether
    /// it was written (after a failure, or after the last segment, nothing is).
    @discardableResult
    public func write(segment payload: UnsafeRawBufferPointer, final: Bool) -> Bool {
        guard !failed, !ended, fd >= 0, payload.count <= Int(UInt32.max) else { return false }
        var description = BinaryWriter()
        description.raw(fileID)
        description.u64(UInt64(segments))
        description.u8(final ? CacheFile.finalFlag : 0)
        description.u32(UInt32(payload.count))
        guard let sealed = try? AES.GCM.seal(description.data, using: key.secret, nonce: AES.GCM.Nonce(), authenticating: payload) else {
            failed = true
            return false
        }
        var length = BinaryWriter()
        length.u32(UInt32(payload.count))
        let trailer = Array(sealed.nonce) + Array(sealed.ciphertext) + Array(sealed.tag)
        guard trailer.count == CacheFile.trailerSize,
              length.data.withUnsafeBytes({ CacheFile.writeAll(fd, $0) }), CacheFile.writeAll(fd, payload),
              trailer.withUnsafeBytes({ CacheFile.writeAll(fd, $0) }) else {
            failed = true
            return false
        }
        starts.append(starts[starts.count - 1] + 4 + payload.count + CacheFile.trailerSize)
        ended = final
        return true
    }

    /// Writes what `buffer` holds as the next segment once it holds `size` bytes or more, and
    /// empties it (its capacity kept); whether nothing failed. For writers that fill a buffer
    /// value by value: a segment may run a value past `size`.
    public func flush(_ buffer: inout BinaryWriter, atLeast size: Int) -> Bool {
        guard buffer.data.count >= size else { return !failed }
        defer { buffer.data.removeAll(keepingCapacity: true) }
        return buffer.data.withUnsafeBytes { write(segment: $0, final: false) }
    }

    /// Writes what `buffer` holds as the last segment and renames the file into place; whether
    /// it was.
    @discardableResult
    public func finish(with buffer: BinaryWriter) -> Bool {
        buffer.data.withUnsafeBytes { write(segment: $0, final: true) } && commit()
    }

    /// The payload of written segment `index`, read back from the temporary file and verified
    /// again (`nil` when it was not written, cannot be read, or is not what was written).
    public func segment(_ index: Int) -> [UInt8]? {
        guard fd >= 0, index >= 0, index < segments else { return nil }
        let size = starts[index + 1] - starts[index]
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let n = pread(fd, buffer.baseAddress! + count, size - count, off_t(starts[index] + count))
                if n <= 0 { return }
                count += n
            }
        }
        guard bytes.count == size,
              let segment = bytes.withUnsafeBytes({ CacheFile.open($0, at: 0, key: key, index: UInt64(index), fileID: fileID) }),
              segment.end == size, segment.final == (ended && index == segments - 1) else { return nil }
        // The payload, moved to the front (no second buffer).
        let payload = segment.payload
        bytes.withUnsafeMutableBytes { raw in raw.baseAddress!.copyMemory(from: raw.baseAddress! + payload.lowerBound, byteCount: payload.count) }
        bytes.removeLast(size - payload.count)
        return bytes
    }

    /// Renames the file into place once its last segment is written; whether it was.
    @discardableResult
    public func commit() -> Bool {
        guard ended, !failed, !committed, fd >= 0 else { return false }
        defer {
            close(fd)
            fd = -1
        }
        // An unnamed file gets its temporary name first (a link cannot replace a file).
        if anonymous, linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, temporaryPath, 0x400 /* AT_SYMLINK_FOLLOW */) != 0 { return false }
        committed = rename(temporaryPath, path) == 0
        if !committed { unlink(temporaryPath) }
        return committed
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

    /// Why this user's key file is not used, when there is one that is not (`nil` when the key is
    /// used, or when there is no file: no place to make one, such as a read-only home, only
    /// means running without caches, as before). Every run is then a cold one, so the command
    /// line says it, as ssh names a private key others can read rather than use it. A key others
    /// could read may already be known to them: the remedy is a new one, never `chmod`.
    public static let userProblem: String? = user == nil ? location.flatMap(problem(at:)) : nil

    /// What is wrong with the key file at `path`, which could not be used (`nil`: there is none).
    public static func problem(at path: String) -> String? {
        let renew = "remove it and the next run makes a new private one"
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        if info.st_mode & S_IFMT != S_IFREG { return "caches are off: the cache key \(path) is not a regular file; \(renew)" }
        if info.st_uid != getuid() { return "caches are off: the cache key \(path) belongs to another user; \(renew)" }
        if info.st_mode & 0o077 != 0 {
            return "caches are off: the cache key \(path) can be read or changed by other users (mode \(String(info.st_mode & 0o777, radix: 8))); \(renew)"
        }
        if info.st_size != 32 { return "caches are off: the cache key \(path) is not 32 bytes; \(renew)" }
        return "caches are off: the cache key \(path) cannot be read; \(renew)"
    }

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
