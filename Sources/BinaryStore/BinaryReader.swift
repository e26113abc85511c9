import Paths

/// The bytes a ``BinaryReader`` reads, in place: a read-only mapping of a cache file or a copy
/// of one (``FileBytes``), and the runs of them that make the reader's content, in order (the
/// payloads of a cache file's segments, each verified where it lies: never moved together).
/// Immutable once made.
@usableFromInline
final class ReaderStorage: @unchecked Sendable {
    /// The first byte (`runs` are offsets from it).
    @usableFromInline let base: UnsafeRawPointer
    @usableFromInline let runs: [Range<Int>]
    /// What keeps `base` valid (a mapping or an allocation, freed with the last reader).
    let owner: FileBytes

    init(_ owner: FileBytes, runs: [Range<Int>]) {
        self.owner = owner
        // A valid address even for an empty file (no run then reads from it).
        base = owner.base ?? UnsafeRawPointer(bitPattern: 1)!
        self.runs = runs
    }
}

/// Reads what ``BinaryWriter`` wrote; every read returns `nil` past the end or on bad data,
/// so a damaged file can never crash a reader.
///
/// The content may lie in several runs (a cache file's segments, read where they lie in the
/// file): a read within the current run reads in place; the rare one that straddles two runs is
/// gathered into a copy first (``gather(_:)``).
public struct BinaryReader: Sendable {
    // Inlinable: the caches are read through these in hot loops from other modules.
    @usableFromInline let storage: ReaderStorage
    /// Where the next byte is (an offset from `storage.base`).
    @usableFromInline var offset: Int
    /// The end of what this reader reads of the current run.
    @usableFromInline var end: Int
    /// The current run's index in `storage.runs`.
    @usableFromInline var run: Int
    /// How many bytes this reader reads after the current run.
    @usableFromInline var tail: Int

    @usableFromInline init(storage: ReaderStorage, offset: Int, end: Int, run: Int, tail: Int) {
        (self.storage, self.offset, self.end, self.run, self.tail) = (storage, offset, end, run, tail)
    }

    /// A reader of all of `storage`'s runs.
    init(_ storage: ReaderStorage) {
        let first = storage.runs.first ?? 0..<0
        let total = storage.runs.reduce(0) { $0 + $1.count }
        self.init(storage: storage, offset: first.lowerBound, end: first.upperBound, run: 0, tail: total - first.count)
    }

    /// A reader of a copy of `bytes`.
    init<C: Collection<UInt8>>(_ bytes: C) {
        let owner = FileBytes(copying: Array(bytes))
        self.init(ReaderStorage(owner, runs: [0..<owner.count]))
    }

    @inlinable public var remaining: Int { end - offset + tail }

    /// The next `count` bytes (within the current run: `end - offset >= count`), advancing.
    @inlinable mutating func here(_ count: Int) -> UnsafeRawBufferPointer {
        defer { offset += count }
        return UnsafeRawBufferPointer(start: storage.base + offset, count: count)
    }

    /// Moves to the next run that has bytes for this reader (there is one: `tail > 0`).
    @usableFromInline mutating func nextRun() {
        while offset == end, tail > 0 {
            run += 1
            let next = storage.runs[run]
            let length = min(next.count, tail)
            (offset, end, tail) = (next.lowerBound, next.lowerBound + length, tail - length)
        }
    }

    /// The next `count` bytes, copied together from the runs they lie in, or `nil` past the end.
    @usableFromInline mutating func gather(_ count: Int) -> [UInt8]? {
        guard count >= 0, remaining >= count else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        while bytes.count < count {
            nextRun()
            bytes.append(contentsOf: here(min(count - bytes.count, end - offset)))
        }
        return bytes
    }

    /// `body` over the next `count` bytes (in place when they lie in one run, else over a copy),
    /// advancing past them; `nil` past the end.
    @inlinable public mutating func withBytes<R>(_ count: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        if count >= 0, end - offset >= count { return body(here(count)) }
        return gather(count)?.withUnsafeBytes(body)
    }

    @inlinable public mutating func u8() -> UInt8? {
        if end - offset >= 1 { return here(1)[0] }
        return gather(1)?[0]
    }
    @inlinable public mutating func bool() -> Bool? {
        switch u8() {
        case 0: false
        case 1: true
        default: nil
        }
    }
    @inlinable public mutating func u32() -> UInt32? {
        withBytes(4) { UInt32(littleEndian: $0.loadUnaligned(as: UInt32.self)) }
    }
    @inlinable public mutating func i32() -> Int32? { u32().map { Int32(bitPattern: $0) } }
    @inlinable public mutating func u64() -> UInt64? {
        withBytes(8) { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
    }
    @inlinable public mutating func i64() -> Int64? { u64().map { Int64(bitPattern: $0) } }
    /// A copy of the next `count` bytes as written by ``BinaryWriter/raw(_:)``, or `nil` past the
    /// end (``withBytes(_:_:)`` reads them in place).
    @inlinable public mutating func raw(_ count: Int) -> ArraySlice<UInt8>? {
        withBytes(count) { ArraySlice($0) }
    }
    /// A reader of the next `count` bytes (sharing them, not copying), or `nil` past the end.
    public mutating func reader(_ count: Int) -> BinaryReader? {
        guard count >= 0, remaining >= count else { return nil }
        if offset == end { nextRun() }
        let inRun = min(count, end - offset)
        let sub = BinaryReader(storage: storage, offset: offset, end: offset + inRun, run: run, tail: count - inRun)
        // Past them: within this run, or across the next ones.
        if inRun == count {
            offset += count
        } else {
            var left = count
            while left > 0 {
                nextRun()
                let n = min(left, end - offset)
                offset += n
                left -= n
            }
        }
        return sub
    }
    /// The next string, or `nil` past the end or for bytes that are not UTF-8.
    @inlinable public mutating func string() -> String? {
        guard let n = u32(), Int(n) <= remaining else { return nil }
        return withBytes(Int(n)) { String(validUTF8: $0.assumingMemoryBound(to: UInt8.self)) } ?? nil
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
