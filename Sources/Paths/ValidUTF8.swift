extension String {
    /// `bytes` as a string when they are UTF-8, else `nil`. Decoded through the standard
    /// library's specialized path, then compared with the bytes: decoding replaces whatever is
    /// not UTF-8, so a string equal to its bytes is valid. `String(validating:as:)` gives the
    /// same answer but went through generic metadata on every call (a twentieth of a warm
    /// `status` on windows-powershell-docs, reading the article cache; paths, every page's text).
    @inlinable public init?(validUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        var decoded = String(decoding: bytes, as: UTF8.self)
        guard decoded.withUTF8({ Self.sameBytes($0, bytes) }) else { return nil }
        self = decoded
    }

    /// Whether `a` and `b` hold the same bytes, compared eight at a time (Paths imports nothing,
    /// so no `memcmp`). Also how two paths' bytes are compared (``GitPath``'s `==`, on every
    /// dictionary hit of a large site's history).
    @inlinable static func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return true }  // both empty
        let ra = UnsafeRawPointer(pa), rb = UnsafeRawPointer(pb)
        var i = 0
        while i + 8 <= a.count {
            guard ra.loadUnaligned(fromByteOffset: i, as: UInt64.self) == rb.loadUnaligned(fromByteOffset: i, as: UInt64.self) else { return false }
            i += 8
        }
        while i < a.count {
            guard pa[i] == pb[i] else { return false }
            i += 1
        }
        return true
    }
}
