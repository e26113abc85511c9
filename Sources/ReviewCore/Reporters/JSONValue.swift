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

    /// The bytes of the fragments (``written(_:)``) in this value.
    private var writtenBytes: Int {
        switch self {
        case .written(let bytes): bytes.count
        case .array(let elements): elements.reduce(0) { $0 + $1.writtenBytes }
        case .object(let members): members.reduce(0) { $0 + $1.value.writtenBytes }
        case .null, .bool, .int, .string: 0
        }
    }

    /// The value written as it appears at `indent`, for ``written(_:)``.
    public func fragment(indent: Int) -> [UInt8] {
        var out: [UInt8] = []
        write(into: &out, indent: indent)
        return out
    }

    /// `.string(text)`, or `.null` for `nil`.
    public static func string(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
    /// `.int(number)`, or `.null` for `nil`.
    public static func int(_ number: Int?) -> JSONValue { number.map { .int($0) } ?? .null }

    /// The pretty-printed text, with a final newline.
    public var rendered: String {
        var out: [UInt8] = []
        // Room for the fragments written apart (tens of megabytes for a large site's status)
        // and a little more, so the buffer is not copied as it grows.
        out.reserveCapacity(4096 + writtenBytes + writtenBytes / 8)
        write(into: &out, indent: 0)
        out.append(0x0A)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8], indent: Int) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): out.append(contentsOf: String(value).utf8)
        case .string(let text): Self.writeString(text, into: &out)
        case .written(let bytes): out.append(contentsOf: bytes)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            Self.writeMembers(elements, into: &out, indent: indent) { element, out in
                element.write(into: &out, indent: indent + 2)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let members):
            out.append(UInt8(ascii: "{"))
            let inOrder = { (a: (key: String, value: JSONValue), b: (key: String, value: JSONValue)) in
                a.key.utf8.lexicographicallyPrecedes(b.key.utf8)
            }
            let isSorted = zip(members, members.dropFirst()).allSatisfy { !inOrder($1, $0) }
            Self.writeMembers(isSorted ? members : members.sorted(by: inOrder), into: &out, indent: indent) { member, out in
                Self.writeString(member.key, into: &out)
                out.append(contentsOf: " : ".utf8)
                member.value.write(into: &out, indent: indent + 2)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// One member per line, indented, comma separated; an empty list is an empty line, as
    /// `JSONEncoder` writes it.
    private static func writeMembers<Member>(_ members: [Member], into out: inout [UInt8], indent: Int,
                                             _ writeOne: (Member, inout [UInt8]) -> Void) {
        out.append(0x0A)
        for (i, member) in members.enumerated() {
            if i > 0 { out.append(contentsOf: ",\n".utf8) }
            appendSpaces(indent + 2, to: &out)
            writeOne(member, &out)
        }
        out.append(0x0A)
        appendSpaces(indent, to: &out)
    }

    private static let spaces = [UInt8](repeating: 0x20, count: 64)

    /// Indentation, copied from a row of spaces (a generic repetition per line cost a tenth of
    /// writing a large report).
    private static func appendSpaces(_ count: Int, to out: inout [UInt8]) {
        var left = count
        while left > 0 {
            let n = min(left, spaces.count)
            spaces.withUnsafeBufferPointer { out.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<n])) }
            left -= n
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Quotes and escapes: `"` and `\`, and control characters (short forms where JSON has them).
    private static func writeString(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            var start = 0
            for (i, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = i + 1
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                case 0x08: out.append(contentsOf: "\\b".utf8)
                case 0x0C: out.append(contentsOf: "\\f".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                default:
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0x0F)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
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
        case .written:
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
