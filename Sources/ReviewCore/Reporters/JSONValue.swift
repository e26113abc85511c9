import Paths

/// A JSON document built directly, for the outputs that grow with the repository (`status` and
/// `check` JSON are 12 MB for 10,000 articles, where `JSONEncoder`'s per-value machinery took
/// 40 % of a warm run).
///
/// ``rendered`` writes exactly what ``JSONOutput`` writes with `JSONEncoder` (pretty-printed,
/// keys sorted, slashes not escaped), so every JSON output of `review` looks the same; a property
/// test holds the two to that.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    /// Members in any order; they are written sorted by key.
    case object([(key: String, value: JSONValue)])
    /// A value already written by ``fragment(indent:)`` for the place it goes (the indent an
    /// array's elements or an object's values get there), copied as it is: so the parts of a
    /// large document can be written apart, on several cores, and joined.
    case written([UInt8])

    /// A value that writes itself (``JSONWriter``) where it is placed: for the large parts of
    /// a document, written straight into bytes without a tree of values first.
    case writing(@Sendable (inout JSONWriter) -> Void)

    /// The bytes of the fragments (``written(_:)``) in this value.
    private var writtenBytes: Int {
        switch self {
        case .written(let bytes): bytes.count
        case .array(let elements): elements.reduce(0) { $0 + $1.writtenBytes }
        case .object(let members): members.reduce(0) { $0 + $1.value.writtenBytes }
        case .null, .bool, .int, .string, .writing: 0
        }
    }

    /// The value written as it appears at `indent`, for ``written(_:)``.
    public func fragment(indent: Int) -> [UInt8] {
        var writer = JSONWriter(indent: indent)
        write(into: &writer)
        return writer.bytes
    }

    /// `.string(text)`, or `.null` for `nil`.
    public static func string(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
    /// A repository path as JSON text (``GitPath/text``).
    public static func string(_ path: GitPath) -> JSONValue { .string(path.text) }
    /// `.int(number)`, or `.null` for `nil`.
    public static func int(_ number: Int?) -> JSONValue { number.map { .int($0) } ?? .null }

    /// ``rendered``'s bytes in parts, in order: the fragments written apart (``written(_:)``)
    /// are parts of their own, not copied, and the text between them is parts too. For a
    /// document of tens of megabytes that is written out and never needed whole.
    public var renderedParts: [[UInt8]] {
        var writer = JSONWriter(indent: 0)
        writer.keepsFragmentsApart = true
        write(into: &writer)
        writer.bytes.append(0x0A)
        writer.parts.append(writer.bytes)
        return writer.parts
    }

    /// The pretty-printed text, with a final newline.
    public var rendered: String {
        var writer = JSONWriter(indent: 0)
        // Room for the fragments written apart (tens of megabytes for a large site's status)
        // and a little more, so the buffer is not copied as it grows.
        writer.bytes.reserveCapacity(4096 + writtenBytes + writtenBytes / 8)
        write(into: &writer)
        writer.bytes.append(0x0A)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    public func write(into writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .int(let value): writer.int(value)
        case .string(let text): writer.string(text)
        case .written(let bytes): writer.fragment(bytes)
        case .writing(let write): write(&writer)
        case .array(let elements):
            writer.beginArray()
            for element in elements {
                writer.element()
                element.write(into: &writer)
            }
            writer.endArray()
        case .object(let members):
            let inOrder = { (a: (key: String, value: JSONValue), b: (key: String, value: JSONValue)) in
                a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
            }
            let isSorted = zip(members, members.dropFirst()).allSatisfy { !inOrder($1, $0) }
            writer.beginObject()
            for member in isSorted ? members : members.sorted(by: inOrder) {
                writer.key(member.key)
                member.value.write(into: &writer)
            }
            writer.endObject()
        }
    }
}

/// Writes JSON straight into bytes, laid out as `JSONEncoder` lays it out with review's settings
/// (pretty-printed: one member per line, two spaces per level, `" : "` after keys, an empty
/// container as an empty line; slashes not escaped). ``JSONValue`` writes through it, and the
/// outputs that grow with a site (status JSON) use it directly, without building values first.
///
/// Members are written in the order given: a caller writing an object directly gives its keys
/// sorted, as `JSONEncoder`'s `.sortedKeys` would.
public struct JSONWriter {
    public var bytes: [UInt8] = []
    /// The current container's depth, in spaces.
    private var indent: Int
    /// Whether the current container has no member yet.
    private var empty = false
    /// The same for the containers around it, outermost first.
    private var outer: [Bool] = []

    /// When set, fragments (``fragment(_:)``) are kept as ``parts`` of their own instead of
    /// being copied into ``bytes``; the text is then the parts, in order, then the bytes.
    public var keepsFragmentsApart = false
    public var parts: [[UInt8]] = []

    /// A writer for a value placed at `indent` (its members one level, two spaces, deeper).
    public init(indent: Int = 0) { self.indent = indent }

    /// A value already written for this place (``JSONValue/fragment(indent:)``).
    public mutating func fragment(_ written: [UInt8]) {
        guard keepsFragmentsApart else { return bytes.append(contentsOf: written) }
        parts.append(bytes)
        parts.append(written)
        bytes = []
    }

    public mutating func beginObject() { open(UInt8(ascii: "{")) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { open(UInt8(ascii: "[")) }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts the next member of an object: its key, escaped.
    public mutating func key(_ key: String) {
        next()
        string(key)
        bytes.append(contentsOf: " : ".utf8)
    }

    /// Starts the next element of an array.
    public mutating func element() { next() }

    public mutating func null() { bytes.append(contentsOf: "null".utf8) }
    public mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    public mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }
    /// `null` for `nil`.
    public mutating func string(_ text: String?) {
        guard let text else { return null() }
        string(text)
    }

    private mutating func open(_ bracket: UInt8) {
        bytes.append(bracket)
        bytes.append(0x0A)
        indent += 2
        outer.append(empty)
        empty = true
    }

    private mutating func close(_ bracket: UInt8) {
        bytes.append(0x0A)
        indent -= 2
        empty = outer.popLast() ?? false
        appendSpaces(indent)
        bytes.append(bracket)
    }

    /// One member per line, comma separated.
    private mutating func next() {
        if !empty { bytes.append(contentsOf: ",\n".utf8) }
        empty = false
        appendSpaces(indent)
    }

    private static let spaces = [UInt8](repeating: 0x20, count: 64)

    /// Indentation, copied from a row of spaces (a generic repetition per line cost a tenth of
    /// writing a large report).
    private mutating func appendSpaces(_ count: Int) {
        var left = count
        while left > 0 {
            let n = min(left, Self.spaces.count)
            Self.spaces.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<n])) }
            left -= n
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Whether `text` has a byte ``string(_:)`` escapes: `"`, `\` or a control character.
    static func needsEscape(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = text.baseAddress else { return false }
        let raw = UnsafeRawPointer(base)
        var i = 0
        while i + 8 <= text.count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if ByteWords.anyBelow(word, 0x20) || ByteWords.any(word, is: UInt8(ascii: "\"")) || ByteWords.any(word, is: UInt8(ascii: "\\")) {
                return true
            }
            i += 8
        }
        while i < text.count {
            if text[i] < 0x20 || text[i] == UInt8(ascii: "\"") || text[i] == UInt8(ascii: "\\") { return true }
            i += 1
        }
        return false
    }

    /// Quotes and escapes: `"` and `\`, and control characters (short forms where JSON has them).
    public mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { text in
            // Most strings need no escape: found eight bytes at a time, copied whole.
            guard Self.needsEscape(text) else { return bytes.append(contentsOf: text) }
            var start = 0
            for (i, byte) in text.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start..<i]))
                start = i + 1
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): bytes.append(contentsOf: "\\\\".utf8)
                case 0x08: bytes.append(contentsOf: "\\b".utf8)
                case 0x0C: bytes.append(contentsOf: "\\f".utf8)
                case 0x0A: bytes.append(contentsOf: "\\n".utf8)
                case 0x0D: bytes.append(contentsOf: "\\r".utf8)
                case 0x09: bytes.append(contentsOf: "\\t".utf8)
                default:
                    bytes.append(contentsOf: "\\u00".utf8)
                    bytes.append(Self.hex[Int(byte >> 4)])
                    bytes.append(Self.hex[Int(byte & 0x0F)])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension JSONValue: Encodable {
    /// Encodes through any `Encoder`; tests use it to compare ``rendered`` with `JSONEncoder`.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var c = encoder.singleValueContainer()
            try c.encodeNil()
        case .bool(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .int(let value):
            var c = encoder.singleValueContainer()
            try c.encode(value)
        case .string(let text):
            var c = encoder.singleValueContainer()
            try c.encode(text)
        case .array(let elements):
            var c = encoder.unkeyedContainer()
            for element in elements { try c.encode(element) }
        case .object(let members):
            var c = encoder.container(keyedBy: AnyKey.self)
            for member in members { try c.encode(member.value, forKey: AnyKey(stringValue: member.key)) }
        case .written, .writing:
            throw EncodingError.invalidValue(self, EncodingError.Context(codingPath: encoder.codingPath,
                                                                         debugDescription: "an already written fragment has no Encodable form"))
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
