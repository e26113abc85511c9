import Paths

/// `Reviews/accepted-findings.yml`: the accepted-findings baseline. Content-rule findings that
/// were there when the team adopted a rule (written by `review baseline`); `check` and `status`
/// count them as "in the baseline" instead of reporting them, and report only what is beyond
/// it, as SwiftLint's and ESLint's baselines do.
///
/// A finding is matched by its rule, its article's path and its message with numbers and
/// revision ids left out (``key(_:)``), never by its line: moving text keeps it matched. Each
/// entry has a count, so an article with the same finding twice needs both in the baseline.
/// Only content rules (``RuleID/adjustable``) can be accepted. Part of the signed configuration
/// where a root governs: an unsigned change to it has no effect.
public struct AcceptedFindings: Sendable, Equatable {
    public static let path: GitPath = "Reviews/accepted-findings.yml"

    /// What a finding is matched by.
    public struct Key: Sendable, Hashable, Comparable {
        public var rule: RuleID
        /// ``AcceptedFindings/key(_:)`` of the message.
        public var message: String

        public init(rule: RuleID, message: String) {
            self.rule = rule
            self.message = message
        }

        public static func < (a: Key, b: Key) -> Bool { (a.rule, a.message) < (b.rule, b.message) }
    }

    /// Article path → key → how many such findings are accepted.
    public private(set) var entries: [GitPath: [Key: Int]] = [:]

    public init() {}

    /// The baseline that accepts exactly `findings` (those of content rules; others, and those
    /// of a path that is not UTF-8, which the file cannot name, are left out and stay reported).
    public init(_ findings: some Sequence<Finding>) {
        for finding in findings where finding.rule.isContent && finding.path.isUTF8 {
            entries[finding.path, default: [:]][Self.key(finding), default: 0] += 1
        }
    }

    public var isEmpty: Bool { entries.isEmpty }

    /// How many findings it accepts in all.
    public var count: Int { entries.values.reduce(0) { $0 + $1.values.reduce(0, +) } }

    /// The key of a finding: its rule and its message without what moves when text moves.
    public static func key(_ finding: Finding) -> Key { Key(rule: finding.rule, message: normalized(finding.message)) }

    /// A message with each number (`line 12`, `grade 9.3`) and each revision id (`abc1234`)
    /// written `#`: a run of hexadecimal characters that is all digits, or holds a digit and is
    /// seven or more long. Other text (`U+200B`, paths, quotes) is kept.
    public static func normalized(_ message: String) -> String {
        var out = ""
        var run = ""
        func isDigit(_ c: Character) -> Bool { c >= "0" && c <= "9" }
        func flush() {
            let digits = run.allSatisfy(isDigit)
            let isID = run.count >= 7 && run.contains(where: isDigit)
            out += !run.isEmpty && (digits || isID) ? "#" : run
            run = ""
        }
        for character in message {
            if character.isHexDigit && character.isASCII {
                run.append(character)
            } else {
                flush()
                out.append(character)
            }
        }
        flush()
        return out
    }

    /// Splits `findings` into those beyond the baseline and those it accepts (each entry
    /// accepts up to its count, in the findings' order).
    public func split(_ findings: [Finding], at path: GitPath) -> (beyond: [Finding], accepted: [Finding]) {
        guard var left = entries[path] else { return (findings, []) }
        var beyond: [Finding] = [], accepted: [Finding] = []
        for finding in findings {
            let key = Self.key(finding)
            if finding.rule.isContent, let n = left[key], n > 0 {
                left[key] = n - 1
                accepted.append(finding)
            } else {
                beyond.append(finding)
            }
        }
        return (beyond, accepted)
    }

    // MARK: The file

    /// The file's text: sorted by path, rule and message, so the same findings always give the
    /// same bytes (a regenerated baseline's diff shows only what changed).
    public var text: String {
        let header = """
            # Accepted findings: content-rule findings that existed when the rule was adopted.
            # 'review check' and 'review status' count them as in the baseline and report only
            # findings beyond them. Written by 'review baseline'; entries match by rule, path and
            # message (numbers left out), never by line. Where a root governs, sign changes.

            """
        guard !entries.isEmpty else { return header + "accepted: []\n" }
        var out = header + "accepted:\n"
        for path in entries.keys.sorted() {
            for (key, count) in entries[path]!.sorted(by: { $0.key < $1.key }) {
                out += "  - rule: \(key.rule.rawValue)\n"
                out += "    path: \(YAMLText.quoted(path.text))\n"
                out += "    message: \(YAMLText.quoted(key.message))\n"
                out += "    count: \(count)\n"
            }
        }
        return out
    }

    /// Reads the file.
    /// - Throws: ``ReviewError`` naming the line of the first problem: not YAML, an unknown key,
    ///   a rule that is not a content rule, a count that is not a whole number from 1.
    public static func parse(_ bytes: [UInt8], file: String = path.text) throws(ReviewError) -> AcceptedFindings {
        let reader = ConfigurationReader(file: file)
        let root = try reader.root(bytes)
        try reader.refuseUnknownKeys(root, known: ["accepted"], context: "the accepted findings")
        guard let list = root["accepted"] else {
            throw reader.error(root.line, "the file has no 'accepted' list", remedy: "write it with 'review baseline'")
        }
        var baseline = AcceptedFindings()
        if case .scalar(let text, _) = list, text.isEmpty { return baseline }
        guard case .list(let items, _) = list else {
            throw reader.error(list.line, "'accepted' must be a list of entries (rule, path, message, count)", remedy: "write it with 'review baseline'")
        }
        for item in items {
            guard case .map = item else { throw reader.error(item.line, "each accepted finding must be a mapping (rule, path, message, count)") }
            try reader.refuseUnknownKeys(item, known: ["rule", "path", "message", "count"], context: "an accepted finding")
            let name = try reader.string(item, "rule", context: "an accepted finding")!
            let rule = try reader.contentRule(name, line: item["rule"]?.line ?? item.line, context: "the accepted findings (only content rules can be accepted)")
            let path = GitPath(try reader.string(item, "path", context: "an accepted finding")!)
            let message = try reader.string(item, "message", context: "an accepted finding")!
            let count = try reader.integer(item, "count", context: "an accepted finding", range: 1...1_000_000)
            baseline.entries[path, default: [:]][Key(rule: rule, message: normalized(message)), default: 0] += count
        }
        return baseline
    }
}
