#if canImport(Glibc)
import Glibc
#endif

extension String {
    /// `bytes` as a string when they are UTF-8, else `nil`. Decoded through the standard
    /// library's specialized path, then compared with the bytes: decoding replaces whatever is
    /// not UTF-8, so a string equal to its bytes is valid. `String(validating:as:)` gives the
    /// same answer but went through generic metadata on every call (a twentieth of a warm
    /// `status` on windows-powershell-docs, reading the article cache; paths, every page's text).
    @inlinable public init?(validUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        var decoded = String(decoding: bytes, as: UTF8.self)
        let same = decoded.withUTF8 { text in
            text.count == bytes.count && (text.isEmpty || memcmp(text.baseAddress!, bytes.baseAddress!, text.count) == 0)
        }
        guard same else { return nil }
        self = decoded
    }
}
