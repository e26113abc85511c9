import Paths

/// A `<!-- review-ignore RULE…: REASON -->` comment in an article: the content rules it
/// silences, why, and where.
///
/// Lines are 1-based file lines (front matter included), as findings give them.
public struct Suppression: Sendable, Equatable {
    public var rules: [RuleID]
    public var reason: String
    /// The comment's line.
    public var line: Int
    /// The lines of the block it silences (the next block after it); `nil` for
    /// `review-ignore-file`, which silences its rules in the whole article.
    public var lines: ClosedRange<Int>?

    public init(rules: [RuleID], reason: String, line: Int, lines: ClosedRange<Int>?) {
        self.rules = rules
        self.reason = reason
        self.line = line
        self.lines = lines
    }

    /// Whether it silences `finding` (a finding without a line only in the whole article).
    public func silences(_ finding: Finding) -> Bool {
        guard rules.contains(finding.rule) else { return false }
        guard let lines else { return true }
        return finding.line.map(lines.contains) ?? false
    }
}

/// Reads suppression comments from an article's Markdown, as markdownlint's and ESLint's
/// disable comments work: `<!-- review-ignore RULE: REASON -->` on a line of its own silences
/// RULE's findings in the next block (several rules separated by commas; several comments in a
/// row all apply to the block after them); `<!-- review-ignore-file RULE: REASON -->` silences
/// them in the whole article. Only content rules (``RuleID/adjustable``) can be silenced, and
/// only with a reason: a comment without one, naming an unknown or fixed rule, inside a
/// paragraph, or with no block after it is an `invalid-suppression` finding and silences nothing.
///
/// Pure, and depends on the article's bytes only: it runs when the article is parsed, and its
/// results are kept in the article cache. The policy's `suppressible:` is applied later, by
/// ``FindingSwitches``.
public enum SuppressionComments {
    public static let description = RuleDescription(
        ids: [.invalidSuppression], summary: "A review-ignore comment silences nothing: it gives no reason, names a rule that cannot be silenced, or has no block after it.",
        rationale: "A finding never disappears silently: each silenced one is for a stated reason, and a comment that does nothing must not look as if it did.")

    static let marker = "review-ignore"

    /// The suppressions in `document` (the body parsed from `body`), and a finding for each
    /// comment that silences nothing (paths are set by the caller).
    /// - Parameter firstLine: the file line the body starts on.
    public static func read(_ tree: MarkdownTree, body: String, firstLine: Int) -> (suppressions: [Suppression], findings: [Finding]) {
        // Most articles hold no such comment: their trees are not walked.
        guard mayHold(body) else { return ([], []) }
        var suppressions: [Suppression] = []
        var findings: [Finding] = []
        func fileLine(_ line: Int) -> Int { firstLine + line - 1 }
        func problem(_ line: Int, _ message: String) { findings.append(Finding(.invalidSuppression, path: "", line: line, message)) }
        let nodes = tree.nodes

        func visit(_ parent: Int) {
            var pending: [(rules: [RuleID], reason: String, line: Int)] = []
            for index in tree.children(of: parent) {
                let node = nodes[index]
                if node.kind == .htmlBlock {
                    let literal = tree.literal(index)
                    if isComment(literal) {
                        let line = fileLine(node.line)
                        switch directive(literal) {
                        case nil: break  // another comment: the block after it is still the next one
                        case .failure(let failure): problem(line, failure.message)
                        case .success(let parsed) where parsed.wholeFile:
                            suppressions.append(Suppression(rules: parsed.rules, reason: parsed.reason, line: line, lines: nil))
                        case .success(let parsed): pending.append((parsed.rules, parsed.reason, line))
                        }
                        continue
                    }
                }
                let lines = fileLine(node.line)...fileLine(max(node.line, node.endLine))
                for comment in pending { suppressions.append(Suppression(rules: comment.rules, reason: comment.reason, line: comment.line, lines: lines)) }
                pending = []
                switch node.kind {
                case .blockQuote, .list, .item: visit(index)
                default: inline(index)
                }
            }
            for comment in pending {
                problem(comment.line, "this review-ignore comment has no block after it, so it silences nothing; put it on the line before the block it is for")
            }
        }

        /// A directive inside a paragraph or heading is raw inline HTML: it silences nothing.
        /// (The node and every node below it: the flat tree's indices up to its end.)
        func inline(_ index: Int) {
            for inner in index..<nodes[index].next where nodes[inner].kind == .htmlInline && tree.literal(inner).contains(marker) {
                problem(fileLine(max(1, nodes[index].line)),
                        "a review-ignore comment inside a block silences nothing; put it on a line of its own just above the block")
            }
        }

        visit(MarkdownTree.root)
        return (suppressions, findings)
    }

    /// Whether `body` may hold a comment: a byte search (the marker is ASCII). `String.contains`
    /// compares by Character and took an eighth of a cold run's time on a large site; it can
    /// only find more than that would, and this is a pre-filter.
    private static func mayHold(_ body: String) -> Bool { body.utf8.containsBytes(marker.utf8) }

    public static func read(_ document: MarkdownNode, body: String, firstLine: Int) -> (suppressions: [Suppression], findings: [Finding]) {
        guard mayHold(body) else { return ([], []) }
        return read(MarkdownTree(document), body: body, firstLine: firstLine)
    }

    /// Whether an HTML block is one comment and nothing else.
    static func isComment(_ literal: String) -> Bool {
        let text = literal.trimmingWhitespace()
        return text.hasPrefix("<!--") && text.hasSuffix("-->")
    }

    struct Directive: Equatable {
        var rules: [RuleID]
        var reason: String
        var wholeFile: Bool
    }

    /// The directive a comment holds: `nil` when it is not one of review's, a failure (the
    /// finding's message) when it is one that silences nothing.
    static func directive(_ literal: String) -> Result<Directive, DirectiveProblem>? {
        let inner = literal.trimmingWhitespace().dropFirst(4).dropLast(3).trimmingWhitespace()
        guard inner.hasPrefix(marker) else { return nil }
        var rest = inner.dropFirst(marker.count)
        let wholeFile = rest.hasPrefix("-file")
        if wholeFile { rest = rest.dropFirst(5) }
        let name = wholeFile ? "review-ignore-file" : "review-ignore"
        guard rest.first.map({ $0 == " " || $0 == "\t" || $0 == "\n" || $0 == ":" }) ?? true, !inner.contains("-->") else {
            return .failure(DirectiveProblem("'\(inner.prefix(40))' is not a review comment review knows, so it silences nothing; write <!-- review-ignore RULE: REASON --> (the next block) or <!-- review-ignore-file RULE: REASON --> (the whole article), alone in its comment"))
        }
        let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let names = parts[0].split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" || $0 == "\n" }).map(String.init)
        let reason = parts.count > 1 ? String(parts[1].split(whereSeparator: \.isWhitespace).joined(separator: " ")) : ""
        guard !names.isEmpty else {
            return .failure(DirectiveProblem("this \(name) comment names no rule, so it silences nothing; write <!-- \(name) RULE: REASON -->, with RULE one of \(contentRules)"))
        }
        var rules: [RuleID] = []
        for name in names {
            guard let rule = RuleID(rawValue: name) else {
                let hint = DidYouMean.suggestion(for: name, among: Set(RuleID.adjustable.map(\.rawValue))).map { " (did you mean '\($0)'?)" } ?? ""
                return .failure(DirectiveProblem("'\(name)' is not a rule\(hint), so this comment silences nothing; name one of \(contentRules)"))
            }
            guard rule.isContent else {
                return .failure(DirectiveProblem("'\(name)' is not a content rule and cannot be silenced, so this comment silences nothing; fix what it reports and remove the comment"))
            }
            if !rules.contains(rule) { rules.append(rule) }
        }
        guard !reason.isEmpty else {
            return .failure(DirectiveProblem("this \(name) comment gives no reason, so it silences nothing; write why after a colon: <!-- \(name) \(names.joined(separator: ", ")): REASON -->"))
        }
        return .success(Directive(rules: rules, reason: reason, wholeFile: wholeFile))
    }

    /// Why a directive silences nothing: the finding's message.
    struct DirectiveProblem: Error, Equatable {
        var message: String
        init(_ message: String) { self.message = message }
    }

    static var contentRules: String { RuleID.adjustable.map(\.rawValue).joined(separator: ", ") }
}

extension StringProtocol {
    /// Without whitespace (line breaks included) at either end.
    func trimmingWhitespace() -> SubSequence {
        guard let start = firstIndex(where: { !$0.isWhitespace }), let end = lastIndex(where: { !$0.isWhitespace }) else { return self[endIndex...] }
        return self[start...end]
    }
}
