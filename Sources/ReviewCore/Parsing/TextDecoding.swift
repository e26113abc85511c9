#if canImport(Glibc)
import Paths
import Glibc
#endif

/// Turns file bytes into text for parsing: strict UTF-8, an optional BOM, CRLF accepted.
public enum TextDecoding {
    public enum Failure: Error, Equatable {
        /// 1-based line of the first byte that is not valid UTF-8.
        case invalidUTF8(line: Int)
        /// 1-based line of the first NUL byte.
        case nulByte(line: Int)
    }

    /// The text with a leading BOM removed and CRLF (or lone CR) line ends made LF, so line
    /// numbers match what an editor shows.
    public static func decode(_ bytes: [UInt8]) -> Result<String, Failure> {
        var slice = bytes[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        let nul = slice.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in memchr(base, 0, buffer.count).map { base.distance(to: $0.assumingMemoryBound(to: UInt8.self)) } }
        }
        if let nul {
            return .failure(.nulByte(line: line(of: slice.startIndex + nul, in: slice)))
        }
        guard let text = slice.withUnsafeBufferPointer({ String(validUTF8: $0) }) else {
            return .failure(.invalidUTF8(line: line(of: firstInvalidUTF8(slice), in: slice)))
        }
        // memchr on the bytes: a generic search of the string's UTF-8 view costs more than
        // validating it.
        let hasCR = slice.withUnsafeBufferPointer { buffer in buffer.baseAddress.map { memchr($0, 0x0D, buffer.count) != nil } ?? false }
        guard hasCR else { return .success(text) }
        return .success(text.replacingCRLF())
    }

    private static func line(of index: Int, in bytes: ArraySlice<UInt8>) -> Int {
        1 + bytes[bytes.startIndex..<index].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    }

    /// Index of the first byte where UTF-8 decoding fails.
    private static func firstInvalidUTF8(_ bytes: ArraySlice<UInt8>) -> Int {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var consumed = bytes.startIndex
        var lastGood = bytes.startIndex
        // Count bytes per decoded scalar to know where the failure began.
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                consumed += UTF8.width(scalar)
                lastGood = consumed
            case .emptyInput:
                return bytes.endIndex
            case .error:
                return lastGood
            }
        }
    }
}

extension String {
    /// CRLF and lone CR become LF.
    func replacingCRLF() -> String {
        var out = [UInt8]()
        out.reserveCapacity(utf8.count)
        var previousCR = false
        for byte in utf8 {
            if byte == 0x0D {
                out.append(0x0A)
                previousCR = true
            } else {
                if !(byte == 0x0A && previousCR) { out.append(byte) }
                previousCR = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension StringProtocol where Self.UTF8View.Index == String.Index {
    /// The text split at LF, keeping empty lines (like `split(separator: "\n",
    /// omittingEmptySubsequences: false)`), scanning bytes instead of characters.
    func lines() -> [Substring] {
        var result: [Substring] = []
        let whole = self[...]
        var start = whole.startIndex
        var i = whole.utf8.startIndex
        while i < whole.utf8.endIndex {
            if whole.utf8[i] == 0x0A {
                result.append(Substring(whole[start..<i]))
                start = whole.utf8.index(after: i)
            }
            i = whole.utf8.index(after: i)
        }
        result.append(Substring(whole[start...]))
        return result
    }
}

extension Sequence<UInt8> {
    /// Whether `needle` occurs in these bytes (`memchr` and `memcmp` when both are contiguous).
    func containsBytes(_ needle: some Collection<UInt8>) -> Bool {
        let found = withContiguousStorageIfAvailable { hay in
            needle.withContiguousStorageIfAvailable { n in
                guard !n.isEmpty else { return true }
                guard hay.count >= n.count, let base = hay.baseAddress, let wanted = n.baseAddress else { return false }
                // Each place the needle could start is found by `memchr` for one of its bytes:
                // not a lowercase letter or a space where it has one (`review-ignore`'s `-`,
                // not its `r`, which prose holds every few bytes: the search stopped at each).
                let pivot = n.firstIndex { !(0x61...0x7A).contains($0) && $0 != 0x20 } ?? 0
                let byte = Int32(n[pivot])
                let last = hay.count - n.count  // the last place it could start
                var start = 0
                while start <= last {
                    guard let hit = memchr(base + start + pivot, byte, last - start + 1) else { return false }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) - pivot
                    if memcmp(base + at, wanted, n.count) == 0 { return true }
                    start = at + 1
                }
                return false
            }
        }
        if let found = found ?? nil { return found }
        return Array(self).containsBytes(Array(needle))
    }
}

extension StringProtocol {
    /// Whether the text's UTF-8 holds `byte` (`memchr` over the string's own bytes: the generic
    /// search of its UTF-8 view reads a byte at a time through the view's index).
    @inline(__always)
    func containsByte(_ byte: UInt8) -> Bool {
        utf8.withContiguousStorageIfAvailable { bytes in
            bytes.baseAddress.map { memchr($0, Int32(byte), bytes.count) != nil } ?? false
        } ?? utf8.contains(byte)
    }
}

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// `hasSuffix(String(suffix))` for `?`, `:` or `.`, without comparing characters where the
    /// last byte already says no: nothing but the character itself is canonically equivalent
    /// to one of these, so a text that ends with it ends with its byte. (Not so for every ASCII
    /// character: U+037E GREEK QUESTION MARK is a `;`, U+212A KELVIN SIGN a `K`.)
    @inline(__always)
    func endsWith(ascii suffix: Unicode.Scalar) -> Bool {
        assert(suffix == "?" || suffix == ":" || suffix == ".")
        guard utf8.last == UInt8(ascii: suffix) else { return false }
        return hasSuffix(String(suffix))
    }
}
