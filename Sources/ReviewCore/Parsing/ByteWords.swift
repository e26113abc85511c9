import Paths

/// Eight bytes at a time: the usual bit tricks over a 64-bit word, for loops that run over
/// every byte of a large site (whitespace of every block, every string of a status report).
enum ByteWords {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Whether any byte of `word` is zero.
    @inline(__always) static func anyZero(_ word: UInt64) -> Bool { (word &- ones) & ~word & highs != 0 }

    /// Whether any byte of `word` is below `n` (at most 128).
    @inline(__always) static func anyBelow(_ word: UInt64, _ n: UInt8) -> Bool { (word &- ones &* UInt64(n)) & ~word & highs != 0 }

    /// How many bytes of `word` are `byte` (exactly: no carry crosses from one byte to the next).
    @inline(__always) static func count(_ word: UInt64, of byte: UInt8) -> Int {
        let x = word ^ (ones &* UInt64(byte))
        let lows: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        // A byte's high bit is set here when the byte of x is not zero.
        let nonZero = ((x & lows) &+ lows) | x
        return (~nonZero & highs).nonzeroBitCount
    }

    /// Whether any byte of `word` is `byte`.
    @inline(__always) static func any(_ word: UInt64, is byte: UInt8) -> Bool { anyZero(word ^ (ones &* UInt64(byte))) }

    /// How many of `bytes` are `byte`: sixteen compared at once, the matches summed lane by lane
    /// (each lane holds at most 255 before it is added up). Three times the pace of counting
    /// eight at a time in a word on paragraphs, five on long texts.
    static func count(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard let base = bytes.baseAddress else { return 0 }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        let needle = SIMD16<UInt8>(repeating: byte)
        let one = SIMD16<UInt8>(repeating: 1)
        var total = 0
        var i = 0
        while i + 16 <= n {
            var lanes = SIMD16<UInt8>()
            var rounds = 0
            while rounds < 255, i + 16 <= n {
                let chunk = raw.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt8>.self)
                // A match is a lane of all ones: one of its bits is counted.
                lanes &+= one & SIMD16<UInt8>(truncatingIfNeeded: unsafeBitCast(chunk .== needle, to: SIMD16<Int8>.self))
                i += 16
                rounds += 1
            }
            total += Int(SIMD16<UInt16>(truncatingIfNeeded: lanes).wrappedSum())
        }
        while i < n {
            if base[i] == byte { total += 1 }
            i += 1
        }
        return total
    }
}
