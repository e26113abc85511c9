import Paths
import Foundation
import PropertyBased
import ReviewCore
import Testing
import TestSupport

/// The hand-written JSON writer must write exactly what `JSONEncoder` writes with review's
/// settings, so status and check JSON look like every other JSON review prints.
@Suite struct JSONValueTests {
    static let keys = ["a", "b", "B", "lastChanged", "lastChangedBy", "line", "path", "", "ü", "a b", "\"q\"", "x/y", "10", "9"]
    static let texts = ["", "plain", "quote \" and \\ backslash", "line\nbreak\r\ttab", "\u{0}\u{1}\u{1F}\u{7F}", "slash / and </script>",
                        "Ünïcödé ✓ 🩺", "\u{2028}\u{2029}", "%0A ::", "  spaced  ",
                        // Longer than a word (eight bytes), with the byte to escape in each position of one.
                        "seven b\"", "eight by\\tes", "a longer text with a tab\tand a quote\" near its end", "0123456789abcdef\u{1F}",
                        "a plain text longer than two words of eight bytes, with nothing to escape at all"]

    static func randomValue(_ rng: inout SplitMix, depth: Int) -> JSONValue {
        switch rng.next(in: 0..<(depth > 3 ? 4 : 7)) {
        case 0: return .null
        case 1: return .bool(rng.next(in: 0..<2) == 0)
        case 2: return .int(rng.next(in: -1_000_000..<1_000_000))
        case 3: return .string(texts[rng.next(in: 0..<texts.count)])
        case 4: return .array((0..<rng.next(in: 0..<4)).map { _ in randomValue(&rng, depth: depth + 1) })
        default:
            var members: [String: JSONValue] = [:]
            for _ in 0..<rng.next(in: 0..<5) { members[keys[rng.next(in: 0..<keys.count)]] = randomValue(&rng, depth: depth + 1) }
            return .object(members.map { ($0.key, $0.value) })
        }
    }

    @Test func rendersExactlyAsJSONEncoder() async {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let value = JSONValue.array([Self.randomValue(&rng, depth: 0), Self.randomValue(&rng, depth: 0)])
            let expected = String(decoding: try! encoder.encode(value), as: UTF8.self) + "\n"
            #expect(value.rendered == expected, "seed \(seed)")
        }
    }

    /// A value written apart for the place it goes, then joined, reads exactly as the value
    /// written in place (how large reports are written on several cores).
    @Test func fragmentsWrittenApartJoinAsTheWhole() async {
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var rng = SplitMix(seed: seed)
            let values = (0..<rng.next(in: 0..<4)).map { _ in Self.randomValue(&rng, depth: 0) }
            let whole = JSONValue.object([("list", .array(values)), ("one", values.first ?? .null)])
            let apart = JSONValue.object([("list", .array(values.map { .written($0.fragment(indent: 4)) })),
                                          ("one", .written((values.first ?? .null).fragment(indent: 2)))])
            #expect(apart.rendered == whole.rendered, "seed \(seed)")
        }
    }

    @Test func emptyContainersAndEscapes() {
        let value = JSONValue.object([("b", .array([])), ("a", .object([])), ("c", .string("\u{8}\u{C}\u{1}"))])
        #expect(value.rendered == "{\n  \"a\" : {\n\n  },\n  \"b\" : [\n\n  ],\n  \"c\" : \"\\b\\f\\u0001\"\n}\n")
    }
}
