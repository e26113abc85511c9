/// A repository path as git keeps it: a string of bytes, compared and hashed by those bytes.
///
/// Swift's `String` compares by Unicode canonical equivalence, so `café` with `é` as one code
/// point and `cafe` followed by U+0301 are one key in a dictionary of strings, where git keeps
/// two files. A `GitPath` never merges them: equality, hashing and order are the bytes'.
/// ``text`` is for display and for matching the layout's ASCII patterns only; where two paths
/// could be confused by a reader, ``escaped`` shows them apart.
///
/// When the bytes are UTF-8 (almost always), ``text`` holds exactly them; otherwise the bytes
/// are kept beside a repaired ``text`` (U+FFFD for each bad sequence).
public struct GitPath: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The path for display; exactly the bytes when they are UTF-8.
    public let text: String
    /// The bytes, when they are not UTF-8 (``text`` is then only a likeness).
    @usableFromInline let undecodable: [UInt8]?

    @usableFromInline init(text: String, undecodable: [UInt8]?) {
        self.text = text
        self.undecodable = undecodable
    }

    /// A path from its bytes, as a tree or the index holds it. (Inlinable, so callers in other
    /// modules get it specialized for their collection: the history index makes one per path.)
    @inlinable public init<Bytes: Collection<UInt8>>(bytes: Bytes) {
        if let path = bytes.withContiguousStorageIfAvailable({ GitPath(buffer: $0) }) {
            self = path
        } else {
            self = Array(bytes).withUnsafeBufferPointer { GitPath(buffer: $0) }
        }
    }

    /// A path from bytes in memory: validated once, kept as text when it is UTF-8.
    public init(buffer: UnsafeBufferPointer<UInt8>) {
        if let text = String(validUTF8: buffer) {
            self.init(text: text, undecodable: nil)
        } else {
            self.init(text: String(decoding: buffer, as: UTF8.self), undecodable: Array(buffer))
        }
    }

    /// `prefix` followed by a tree entry's name, as the history engine builds each path it
    /// meets (one string, no intermediate array).
    public init(_ prefix: GitPath, appending name: UnsafeRawBufferPointer) {
        let bytes = UnsafeBufferPointer(start: name.baseAddress?.assumingMemoryBound(to: UInt8.self), count: name.count)
        if prefix.undecodable == nil, let text = String(validUTF8: bytes) {
            self.init(text: prefix.text + text, undecodable: nil)
        } else {
            self.init(bytes: prefix.bytes + Array(bytes))
        }
    }

    /// A path from text: its UTF-8 bytes, exactly as given (no normalization).
    public init(_ text: String) {
        self.init(text: text, undecodable: nil)
    }

    public init(stringLiteral value: String) { self.init(value) }

    /// The path's bytes.
    public var bytes: [UInt8] { undecodable ?? Array(text.utf8) }

    /// Calls `body` with the path's bytes, without copying them where they are already contiguous.
    @inlinable public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let undecodable { return try undecodable.withUnsafeBufferPointer(body) }
        // A native string lends its UTF-8 in place (no copy, no retain of a mutable copy).
        if let result = try text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var text = text
        return try text.withUTF8(body)
    }

    /// Calls `body` with the bytes and a NUL after them, for a C function that takes a path.
    /// (A path from a tree never holds NUL; one that does is cut there by C.)
    public func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        if let undecodable {
            return try (undecodable + [0]).withUnsafeBufferPointer { buffer in
                try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress!) }
            }
        }
        return try text.withCString(body)
    }

    public var byteCount: Int { undecodable?.count ?? text.utf8.count }
    public var isEmpty: Bool { byteCount == 0 }
    /// Whether the bytes are UTF-8 (``text`` is then exact).
    public var isUTF8: Bool { undecodable == nil }

    public var description: String { text }

    /// The path with every byte outside printable ASCII escaped (`\u{301}` for a code point,
    /// `\xff` for a byte that is not UTF-8): two paths a reader could confuse read apart.
    public var escaped: String {
        if let undecodable {
            return undecodable.map { $0 >= 0x20 && $0 < 0x7f && $0 != 0x5c ? String(UnicodeScalar($0)) : "\\x" + hex($0, width: 2) }.joined()
        }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value >= 0x20, scalar.value < 0x7f, scalar != "\\" { out.unicodeScalars.append(scalar) } else { out += "\\u{" + hex(scalar.value, width: 1) + "}" }
        }
        return out
    }

    public static func == (a: GitPath, b: GitPath) -> Bool {
        guard a.undecodable == nil, b.undecodable == nil else { return a.undecodable == b.undecodable }
        guard a.text.utf8.count == b.text.utf8.count else { return false }
        return a.withBytes { x in b.withBytes { y in String.sameBytes(x, y) } }
    }

    /// The first byte of the last component (the file's name), if it has one.
    public var firstByteOfName: UInt8? {
        withBytes { b in
            let start = (b.lastIndex(of: 0x2f) ?? -1) + 1
            return start < b.count ? b[start] : nil
        }
    }

    public func hash(into hasher: inout Hasher) {
        withBytes { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// git's order: bytewise.
    public static func < (a: GitPath, b: GitPath) -> Bool {
        a.withBytes { x in b.withBytes { y in x.lexicographicallyPrecedes(y) } }
    }

    // MARK: Building and taking apart

    /// `self/`, or empty when `self` is (a folder as the prefix of the paths below it).
    public var appendingSlash: GitPath { isEmpty ? self : self + "/" }

    /// The bytes of `path` followed by the UTF-8 of `text`.
    public static func + (path: GitPath, text: String) -> GitPath {
        if path.isUTF8 { return GitPath(path.text + text) }
        return GitPath(bytes: path.bytes + Array(text.utf8))
    }

    /// The bytes of `path` followed by those of `more`.
    public static func + (path: GitPath, more: GitPath) -> GitPath {
        if path.isUTF8 && more.isUTF8 { return GitPath(path.text + more.text) }
        return GitPath(bytes: path.bytes + more.bytes)
    }

    /// Whether the path starts with `prefix`, byte for byte.
    public func hasPrefix(_ prefix: String) -> Bool {
        withBytes { mine in mine.count >= prefix.utf8.count && mine.prefix(prefix.utf8.count).elementsEqual(prefix.utf8) }
    }

    /// Whether the path starts with `prefix`, byte for byte.
    public func hasPrefix(_ prefix: GitPath) -> Bool {
        withBytes { mine in prefix.withBytes { theirs in mine.count >= theirs.count && mine.prefix(theirs.count).elementsEqual(theirs) } }
    }

    /// Whether the path ends with `suffix`, byte for byte.
    public func hasSuffix(_ suffix: String) -> Bool {
        withBytes { mine in mine.count >= suffix.utf8.count && mine.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) }
    }

    /// The path without its first `count` bytes.
    public func dropping(first count: Int) -> GitPath {
        GitPath(bytes: withBytes { Array($0.dropFirst(count)) })
    }

    /// The last component (the file's name).
    public var lastComponent: GitPath {
        withBytes { b in
            guard let slash = b.lastIndex(of: 0x2f) else { return self }
            return GitPath(bytes: b[(slash + 1)...])
        }
    }

    /// Everything before the last `/` (empty for a top-level name).
    public var parent: GitPath {
        withBytes { b in
            guard let slash = b.lastIndex(of: 0x2f) else { return GitPath("") }
            return GitPath(bytes: b[..<slash])
        }
    }
}

/// Paths a reader could take for one another: the same up to Unicode normalization or letter
/// case, but different bytes. Pure: the key is computed from the text alone.
public enum ConfusablePaths {
    /// The key two confusable paths share: Swift compares strings by canonical equivalence, so
    /// lowercasing and letting `String` hash covers both normalization and case.
    public static func key(_ path: GitPath) -> String { path.text.lowercased() }

    /// Groups of two or more different paths that share a key, each group in byte order, the
    /// groups in order of their first path.
    public static func groups<S: Sequence<GitPath>>(_ paths: S) -> [[GitPath]] {
        byKey(paths).values.compactMap { group -> [GitPath]? in
            // Nearly every path is alone under its key: no set is made for it.
            guard group.count > 1 else { return nil }
            let distinct = Array(Set(group)).sorted()
            return distinct.count > 1 ? distinct : nil
        }.sorted { $0[0] < $1[0] }
    }

    /// The paths by their ``key(_:)``, each list in the order given (the table at its size from
    /// the start: a large site's tens of thousands of paths were rehashed step by step).
    public static func byKey<S: Sequence<GitPath>>(_ paths: S) -> [String: [GitPath]] {
        var byKey: [String: [GitPath]] = [:]
        byKey.reserveCapacity(paths.underestimatedCount)
        for path in paths { byKey[key(path), default: []].append(path) }
        return byKey
    }
}

private func hex<T: BinaryInteger>(_ value: T, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}

/// In JSON a path is its text: exact for a UTF-8 path (every path an article, record or
/// configuration file can have); a path that is not UTF-8 cannot be written as JSON.
extension GitPath: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}
