import Paths
import Yams

/// A YAML value reduced to what review's files use, with 1-based line numbers of the file.
public indirect enum YAMLValue: Sendable, Equatable {
    case scalar(String, line: Int)
    case list([YAMLValue], line: Int)
    case map([(key: String, value: YAMLValue)], line: Int)

    public var line: Int {
        switch self {
        case .scalar(_, let line), .list(_, let line), .map(_, let line): line
        }
    }

    public var string: String? {
        if case .scalar(let s, _) = self { return s }
        return nil
    }

    /// A list of scalars, or a single scalar as a one-element list.
    public var strings: [String]? {
        switch self {
        case .scalar(let s, _): [s]
        case .list(let items, _): items.allSatisfy { $0.string != nil } ? items.compactMap(\.string) : nil
        case .map: nil
        }
    }

    public subscript(key: String) -> YAMLValue? {
        guard case .map(let pairs, _) = self else { return nil }
        return pairs.first { $0.key == key }?.value
    }

    /// An unambiguous text of the value (lengths in UTF-8 bytes), for comparing values byte
    /// for byte: `==` on Swift strings treats canonically equivalent Unicode as equal.
    public var canonicalText: String {
        switch self {
        case .scalar(let s, _): "s\(s.utf8.count):\(s)"
        case .list(let items, _): "l\(items.count)[" + items.map(\.canonicalText).joined() + "]"
        case .map(let pairs, _): "m\(pairs.count){" + pairs.map { "k\($0.key.utf8.count):\($0.key)" + $0.value.canonicalText }.joined() + "}"
        }
    }

    public static func == (lhs: YAMLValue, rhs: YAMLValue) -> Bool {
        switch (lhs, rhs) {
        case let (.scalar(a, _), .scalar(b, _)): a == b
        case let (.list(a, _), .list(b, _)): a == b
        case let (.map(a, _), .map(b, _)): a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: false
        }
    }
}

/// Parses YAML through Yams, defended against hostile input.
///
/// Every scalar is read as text (Yams' basic resolver): review's files hold dates, ids and
/// words, and reading `no` as a boolean or `2026-04-07` as a timestamp would only lose detail.
///
/// Before Yams sees the text it is refused when it is too large, nests too deeply (Yams
/// composes recursively) or uses anchors and aliases (the "billion laughs" expansion; review's
/// files never need them). Errors carry 1-based file lines: `firstLine` is the file line of the
/// YAML's first line.
public enum YAMLDocument {
    public struct Failure: Error, Equatable, Sendable {
        public var line: Int
        public var message: String
    }

    static let maximumBytes = 1 << 20
    public static let maximumDepth = 64

    public static func parse(_ text: String, firstLine: Int = 1) -> Result<YAMLValue?, Failure> {
        if text.utf8.count > maximumBytes {
            return .failure(Failure(line: firstLine, message: "YAML larger than \(maximumBytes / 1024) KiB"))
        }
        if let problem = screen(text) {
            return .failure(Failure(line: firstLine + problem.line - 1, message: problem.message))
        }
        if let simple = simpleMapping(text, firstLine: firstLine) { return .success(simple) }
        return composed(text, firstLine: firstLine)
    }

    /// For the fuzzer (`FUZZ_PARSER=frontmatter`, Scripts/check/fuzz): whatever the shortcut reads in
    /// `bytes` must be what Yams reads, lines included; a difference stops the process, which
    /// the fuzzer reports as a crash with its input.
    public static func checkShortcutAgainstYams(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.count <= maximumBytes, screen(text) == nil, let simple = simpleMapping(text, firstLine: 2) else { return }
        let yams = composed(text, firstLine: 2)
        precondition("\(yams)" == "\(Result<YAMLValue?, Failure>.success(simple))", "the front-matter shortcut and Yams differ")
    }

    /// What Yams reads in `text` (screened already).
    static func composed(_ text: String, firstLine: Int) -> Result<YAMLValue?, Failure> {
        do {
            guard let node = try Yams.compose(yaml: text, .basic, .default, .utf8) else { return .success(nil) }
            return .success(convert(node, firstLine: firstLine))
        } catch let error as YamlError {
            return .failure(describe(error, firstLine: firstLine))
        } catch {
            return .failure(Failure(line: firstLine, message: "\(error)"))
        }
    }

    /// YAML that is nothing but `key: value` lines of printable text (most front matter:
    /// `title: …`, `ms.date: 12/27/2016`, `date: '2013-06-13'`, `tags: [a, b]`), read without
    /// Yams, which composes a node tree for it; `nil` for anything else, which Yams reads. For the
    /// text it accepts it gives what Yams gives (a property test holds it to that). A key is
    /// letters, digits, spaces inside, `_`, `.` and `-`, and none is repeated; a value is a plain
    /// scalar that starts with no indicator and holds no comment (` #`) and no `: `, a quoted one
    /// with no escape, or a one-line list of plain items; lines are `key: value` or empty.
    static func simpleMapping(_ text: String, firstLine: Int) -> YAMLValue? {
        var text = text
        return text.withUTF8 { bytes -> YAMLValue? in
            var pairs: [(key: String, value: YAMLValue)] = []
            var keys: Set<String> = []
            var mapLine = 0
            var line = 0
            var start = 0
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                line += 1
                defer { start = end + 1 }
                guard end > start else { continue }
                guard let colon = (start..<end).first(where: { bytes[$0] == 0x3A }), colon > start, colon + 2 < end,
                      bytes[colon + 1] == 0x20, isSimpleKey(UnsafeBufferPointer(rebasing: bytes[start..<colon])),
                      let value = simpleValue(UnsafeBufferPointer(rebasing: bytes[(colon + 2)..<end]), line: line + firstLine - 1)
                else { return nil }
                let key = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<colon]), as: UTF8.self)
                // Yams reports a repeated key. The few keys of most front matter are compared with
                // those before them (a key is ASCII, mostly short enough to be held inline: no
                // hashing, no set to make); past `keysCompared`, a set of them is kept instead.
                if pairs.count < keysCompared {
                    guard !pairs.contains(where: { $0.key == key }) else { return nil }
                } else {
                    if keys.isEmpty { keys = Set(pairs.map(\.key)) }
                    guard keys.insert(key).inserted else { return nil }
                }
                if pairs.isEmpty { mapLine = line }
                pairs.append((key, value))
            }
            return pairs.isEmpty ? nil : .map(pairs, line: mapLine + firstLine - 1)
        }
    }

    /// How many keys ``simpleMapping(_:firstLine:)`` compares a new key with before it keeps a
    /// set of them (internal for the test that repeats a key past it).
    static var keysCompared: Int { 16 }

    private static func isSimpleKey(_ key: UnsafeBufferPointer<UInt8>) -> Bool {
        // (libyaml allows an implicit key 1,024 characters at most.)
        guard key.count <= 128, let first = key.first, let last = key.last, isAlphanumeric(first), last != 0x20 else { return false }
        return key.allSatisfy { isAlphanumeric($0) || $0 == 0x20 || $0 == 0x5F || $0 == 0x2E || $0 == 0x2D }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }

    /// The bytes that may not start a plain scalar (YAML's indicators).
    private static let indicators = Array("-?:,[]{}#&*!|>'\"%@`".utf8)

    /// The value a line's text after `key: ` holds, when it is one the shortcut reads.
    private static func simpleValue(_ value: UnsafeBufferPointer<UInt8>, line: Int) -> YAMLValue? {
        guard let first = value.first, let last = value.last, isPrintable(value) else { return nil }
        func text(_ bytes: UnsafeBufferPointer<UInt8>) -> String { String(decoding: bytes, as: UTF8.self) }
        let inner = UnsafeBufferPointer(rebasing: value.dropFirst().dropLast())
        switch first {
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            // Quoted, with nothing escaped: the text between the quotes, spaces and all.
            guard value.count >= 2, last == first, !inner.contains(first), !inner.contains(UInt8(ascii: "\\")) else { return nil }
            return .scalar(text(inner), line: line)
        case UInt8(ascii: "["):
            // A list on its one line, of plain items (a flow item ends at `,` `[` `]` `{` `}`,
            // and `:` or `#` mean more than text there).
            guard last == UInt8(ascii: "]") else { return nil }
            let items = inner.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false).map { item in
                item.drop { $0 == 0x20 }.reversed().drop { $0 == 0x20 }.reversed()
            }
            if items.count == 1, items[0].isEmpty { return .list([], line: line) }
            var list: [YAMLValue] = []
            for item in items {
                let bytes = Array(item)
                guard let head = bytes.first, !indicators.contains(head),
                      !bytes.contains(where: { "[]{}:#".utf8.contains($0) }) else { return nil }
                list.append(.scalar(String(decoding: bytes, as: UTF8.self), line: line))
            }
            return .list(list, line: line)
        default:
            return isPlain(value) ? .scalar(text(value), line: line) : nil
        }
    }

    /// Whether `bytes` (valid UTF-8: the text is a string) are characters libyaml reads as they
    /// are, none of them a line break: printable ASCII (no tab), and any other character but
    /// the C1 controls (U+0080-U+009F; libyaml refuses them, and U+0085 breaks a line), the line
    /// and paragraph separators (U+2028, U+2029: line breaks to libyaml), the byte-order mark
    /// (U+FEFF, skipped at a line's start) and U+FFFE, U+FFFF (refused). Front matter in other
    /// languages than English (an author's or a translated page's title: a fifth of nodejs.org's
    /// pages) went to Yams for its first letter past ASCII.
    private static func isPrintable(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let byte = bytes[i]
            if byte < 0x80 {
                guard byte >= 0x20, byte != 0x7F else { return false }
                i += 1
                continue
            }
            // A sequence's lead byte; its continuation bytes follow (the bytes are valid UTF-8).
            let next = i + 1 < n ? bytes[i + 1] : 0
            let after = i + 2 < n ? bytes[i + 2] : 0
            switch byte {
            case 0xC2 where next < 0xA0: return false  // C1 controls, U+0085 among them
            case 0xE2 where next == 0x80 && (after == 0xA8 || after == 0xA9): return false  // U+2028, U+2029
            case 0xEF where (next == 0xBB && after == 0xBF) || (next == 0xBF && (after == 0xBE || after == 0xBF)): return false
            default: break
            }
            i += byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
        }
        return true
    }

    /// Printable characters that YAML reads as one plain scalar, exactly as written.
    private static func isPlain(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = value.first, let last = value.last, first != 0x20, last != 0x20, last != 0x3A,
              !indicators.contains(first) else { return false }
        var previous: UInt8 = 0
        for byte in value {
            guard !(previous == 0x20 && byte == 0x23), !(previous == 0x3A && byte == 0x20) else { return false }
            previous = byte
        }
        return true
    }

    private static func convert(_ node: Node, firstLine: Int) -> YAMLValue {
        let line = (node.mark?.line ?? 1) + firstLine - 1
        switch node {
        case .scalar(let scalar):
            return .scalar(scalar.string, line: line)
        case .sequence(let sequence):
            return .list(sequence.map { convert($0, firstLine: firstLine) }, line: line)
        case .mapping(let mapping):
            return .map(mapping.map { (key: $0.key.string ?? "\($0.key)", value: convert($0.value, firstLine: firstLine)) }, line: line)
        case .alias:
            return .scalar("", line: line)
        }
    }

    private static func describe(_ error: YamlError, firstLine: Int) -> Failure {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let text = [context.map { "\($0.text)" }, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return Failure(line: mark.line + firstLine - 1, message: "YAML syntax: " + text)
        case let .duplicatedKeysInMapping(duplicates, context):
            return Failure(line: context.mark.line + firstLine - 1,
                           message: "duplicate key '\(duplicates.joined(separator: "', '"))'")
        case let .reader(problem, _, _, _):
            return Failure(line: firstLine, message: "YAML: " + problem)
        default:
            return Failure(line: firstLine, message: "YAML: \(error)")
        }
    }

    /// Finds anchors, aliases, tags that build objects, explicit (complex) keys, and nesting
    /// deeper than ``maximumDepth``
    /// without parsing: a conservative scan that ignores quoted text and comments.
    static func screen(_ text: String) -> (line: Int, message: String)? {
        var line = 1
        var depth = 0           // open [ and {
        var quote: UInt8? = nil
        var atNodeStart = true  // only whitespace or an indicator since the last structure char
        var indicatorsOnLine = 0
        var inComment = false
        let bytes = Array(text.utf8)
        /// The indentation of the line that opened a block scalar (`key: |`), while its content
        /// lines (indented deeper, or blank) are being skipped: they are text, not YAML.
        var blockIndent: Int?
        var lineIndent = 0
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            defer { i += 1 }
            if c == 0x0A {
                line += 1
                inComment = false
                indicatorsOnLine = 0
                atNodeStart = true
                if quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") { atNodeStart = false }
                // Measure the next line's indentation; inside a block scalar, skip its content.
                var j = i + 1
                while j < bytes.count, bytes[j] == 0x20 { j += 1 }
                lineIndent = j - (i + 1)
                if let parent = blockIndent, quote == nil {
                    let blank = j >= bytes.count || bytes[j] == 0x0A || bytes[j] == 0x0D
                    if blank || lineIndent > parent {
                        while j < bytes.count, bytes[j] != 0x0A { j += 1 }
                        i = j - 1  // the loop's `i += 1` lands on the line feed
                        continue
                    }
                    blockIndent = nil
                }
                continue
            }
            if inComment { continue }
            if let q = quote {
                if c == 0x5C, q == UInt8(ascii: "\"") { i += 1; continue }
                if c == q { quote = nil; atNodeStart = false }
                continue
            }
            switch c {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                continue
            case UInt8(ascii: "#") where i == 0 || bytes[i - 1] == 0x20 || bytes[i - 1] == 0x09 || bytes[i - 1] == 0x0A:
                inComment = true
            case UInt8(ascii: "'") where atNodeStart, UInt8(ascii: "\"") where atNodeStart:
                quote = c
            case UInt8(ascii: "&") where atNodeStart, UInt8(ascii: "*") where atNodeStart:
                return (line, "YAML anchors and aliases ('&', '*') are not allowed; write the value out")
            case UInt8(ascii: "!") where atNodeStart:
                return (line, "YAML tags ('!') are not allowed; write a plain value")
            case UInt8(ascii: "|") where atNodeStart, UInt8(ascii: ">") where atNodeStart:
                // A block scalar header: indicators (+ - 1-9), then only blanks or a comment.
                var j = i + 1
                while j < bytes.count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") || (0x31...0x39).contains(bytes[j]) { j += 1 }
                while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x09 { j += 1 }
                if j >= bytes.count || bytes[j] == 0x0A || bytes[j] == 0x0D || bytes[j] == UInt8(ascii: "#") {
                    blockIndent = lineIndent
                }
                atNodeStart = false
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                atNodeStart = true
                if depth + indicatorsOnLine > maximumDepth { return (line, "YAML nested deeper than \(maximumDepth) levels") }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth = max(0, depth - 1)
                atNodeStart = false
            case UInt8(ascii: ","):
                atNodeStart = true
            case UInt8(ascii: "?") where atNodeStart && (i + 1 >= bytes.count || [0x20, 0x0A, 0x09].contains(bytes[i + 1])):
                return (line, "YAML explicit keys ('? ') are not allowed; write 'key: value'")
            case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"):
                let next = i + 1 < bytes.count ? bytes[i + 1] : 0x0A
                if next == 0x20 || next == 0x0A || next == 0x09 {
                    atNodeStart = true
                    indicatorsOnLine += 1
                    if depth + indicatorsOnLine > maximumDepth { return (line, "YAML nested deeper than \(maximumDepth) levels") }
                } else {
                    atNodeStart = false
                }
            default:
                atNodeStart = false
            }
        }
        return nil
    }
}
