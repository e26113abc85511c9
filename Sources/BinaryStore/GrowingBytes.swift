#if canImport(Glibc)
import Glibc
#endif

/// Bytes appended to one allocation that grows in place: `realloc`, which moves a large block
/// by remapping its pages (`mremap`) rather than copying them, so a buffer of tens of megabytes
/// never exists twice while it grows, as a Swift array's would (a new buffer, then a copy).
///
/// For a cache file built while its values are produced (the article bodies of a cold read):
/// only what was appended is resident. Owns its allocation and frees it once, in `deinit`. Not
/// thread-safe: callers serialize appends.
public final class GrowingBytes {
    private var base: UnsafeMutableRawPointer?
    private var capacity = 0
    /// How many bytes were appended.
    public private(set) var count = 0

    /// Starts with `bytes` (a cache file's header, from ``CacheFile/writer(magic:)``).
    public init(_ bytes: [UInt8] = []) {
        bytes.withUnsafeBytes { append($0) }
    }

    deinit { free(base) }

    private func reserve(_ needed: Int) {
        guard count + needed > capacity else { return }
        let grown = max(count + needed, capacity + capacity / 2, 1 << 20)
        guard let moved = realloc(base, grown) else { fatalError("out of memory growing a buffer to \(grown) bytes") }
        base = moved
        capacity = grown
    }

    public func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        reserve(bytes.count)
        (base! + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
    }

    public func u32(_ v: UInt32) { Swift.withUnsafeBytes(of: v.littleEndian) { append($0) } }

    /// Writes `v` over the four bytes at `offset` (a count known only at the end).
    public func setU32(_ v: UInt32, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= count)
        Swift.withUnsafeBytes(of: v.littleEndian) { (base! + offset).copyMemory(from: $0.baseAddress!, byteCount: 4) }
    }

    /// Calls `body` with the bytes appended so far, valid only during the call.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    /// `count` bytes from `offset`, copied (`nil` outside what was appended).
    public func bytes(at offset: Int, count n: Int) -> ArraySlice<UInt8>? {
        guard offset >= 0, n >= 0, offset + n <= count else { return nil }
        return ArraySlice(UnsafeRawBufferPointer(start: base! + offset, count: n))
    }
}
