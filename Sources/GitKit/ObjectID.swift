import CGit2

/// A git object id (SHA-1, 20 bytes), as a value.
///
/// Stored as three integers so hashing and comparison are cheap in the history engine's
/// hot loops; converts to and from libgit2's `git_oid`.
public struct ObjectID: Hashable, Sendable, Comparable, CustomStringConvertible {
    let a: UInt64
    let b: UInt64
    let c: UInt32

    /// Twenty zero bytes (no object has this id).
    static let zero = ObjectID(a: 0, b: 0, c: 0)

    /// Hashes the first 8 bytes only: they are SHA-1 output, as evenly spread as the whole id,
    /// and Hasher's per-process seed keeps buckets unforeseeable; many ids alike in them would
    /// take a search of 2^64 hashes each. One word hashes in about a third of the time of the
    /// three (the history index numbers every blob of every change: 1.5 million lookups on
    /// windows-powershell-docs). Equality still compares all 20 bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(a) }

    private init(a: UInt64, b: UInt64, c: UInt32) {
        self.a = a
        self.b = b
        self.c = c
    }

    /// The 20 raw bytes in order.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: storageBigEndian) { Array($0) }
    }

    private var storageBigEndian: (UInt64, UInt64, UInt32) {
        (a.bigEndian, b.bigEndian, c.bigEndian)
    }

    /// Creates an id from 20 raw bytes at `pointer`.
    init(rawBytes pointer: UnsafeRawPointer) {
        a = UInt64(bigEndian: pointer.loadUnaligned(as: UInt64.self))
        b = UInt64(bigEndian: pointer.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        c = UInt32(bigEndian: pointer.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
    }

    /// Takes exactly 20 raw bytes; `nil` for any other count. (Reads them in place: the
    /// cache readers call this for every id they load.)
    public init?(bytes: ArraySlice<UInt8>) {
        guard bytes.count == 20 else { return nil }
        self = bytes.withUnsafeBytes { ObjectID(rawBytes: $0.baseAddress!) }
    }

    init(_ oid: git_oid) {
        var copy = oid
        self = withUnsafeBytes(of: &copy) { ObjectID(rawBytes: $0.baseAddress!) }
    }

    /// Parses 40 hexadecimal digits; `nil` for anything else.
    public init?(hex: some StringProtocol) {
        let utf8 = Array(hex.utf8)
        guard let id = utf8.withUnsafeBytes({ ObjectID(hexBytes: $0[...]) }) else { return nil }
        self = id
    }

    /// An id from the bytes of its 40 hex digits (a commit's `tree` and `parent` lines), read in
    /// place.
    init?(hexBytes hex: Slice<UnsafeRawBufferPointer>) {
        guard hex.count == 40 else { return nil }
        var raw: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let ok = withUnsafeMutableBytes(of: &raw) { raw in
            var at = hex.startIndex
            for i in 0..<20 {
                guard let hi = Self.nibble(hex[at]), let lo = Self.nibble(hex[at + 1]) else { return false }
                raw[i] = hi << 4 | lo
                at += 2
            }
            return true
        }
        guard ok else { return nil }
        self = withUnsafeBytes(of: &raw) { ObjectID(rawBytes: $0.baseAddress!) }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The libgit2 representation, for passing to C.
    var oid: git_oid {
        var oid = git_oid()
        withUnsafeMutableBytes(of: &oid) { dst in
            withUnsafeBytes(of: storageBigEndian) { src in
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src.prefix(20)))
            }
        }
        return oid
    }

    /// Forty lowercase hexadecimal digits.
    /// Written into the string's own storage (one allocation, not an array copied into it):
    /// a large site's status spells out tens of thousands of these.
    public var hex: String {
        withUnsafeBytes(of: storageBigEndian) { bytes in
            String(unsafeUninitializedCapacity: 40) { out in
                for i in 0..<20 {
                    out[2 * i] = Self.digit(bytes[i] >> 4)
                    out[2 * i + 1] = Self.digit(bytes[i] & 0xf)
                }
                return 40
            }
        }
    }

    /// The lowercase hexadecimal digit for 0...15.
    @inline(__always) private static func digit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }

    /// The first seven hexadecimal digits, for people.
    public var short: String { String(hex.prefix(7)) }

    public var description: String { hex }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool {
        (lhs.a, lhs.b, lhs.c) < (rhs.a, rhs.b, rhs.c)
    }
}
