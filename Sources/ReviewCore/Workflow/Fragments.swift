import Foundation
import Paths

// Shared fragments (issue 37, item 1): text several articles include. A fragment is reviewed as
// a file, with its own sign-off records; an article counts as approved only while every fragment
// it includes (transitively) is at an approved revision. docs/fragments.md is the design.

/// How an article includes a fragment (`fragments: syntax:` in the policy).
public enum IncludeSyntax: String, Sendable, Equatable, CaseIterable, Comparable {
    /// DocFX (Microsoft Learn): `[!INCLUDE[title](path)]`, the path relative to the including
    /// file (`~/` from the repository root).
    case docfx
    /// The plain Markdown convention for new sites: a line `<!-- include: path -->`. An HTML
    /// comment renders as nothing on GitHub and in every CommonMark renderer, so a page read
    /// outside review loses the fragment's text but shows no stray syntax.
    case comment
    /// MDX: `import Name from './file.mdx'` of a local file (a path starting `./` or `../`): an
    /// opaque dependency, reviewed as a unit but not rendered in place.
    case mdx

    public static func < (a: IncludeSyntax, b: IncludeSyntax) -> Bool { a.rawValue < b.rawValue }
}

/// `fragments:` in the policy: where fragments live and which include syntaxes are read.
public struct FragmentSettings: Sendable, Equatable {
    /// Globs from the repository root (below a content root): the files that are fragments.
    public var paths: [Glob] = []
    public var syntaxes: [IncludeSyntax] = []

    public init(paths: [Glob] = [], syntaxes: [IncludeSyntax] = []) {
        self.paths = paths
        self.syntaxes = syntaxes
    }

    /// Whether fragments are on at all (no `fragments:` key: off, and nothing costs anything).
    public var isOn: Bool { !paths.isEmpty && !syntaxes.isEmpty }

    /// Whether the file at `path` is a fragment rather than an article.
    public func isFragment(_ path: GitPath) -> Bool {
        !paths.isEmpty && paths.contains { $0.matches(path) }
    }
}

/// One include written in an article or fragment.
public struct Include: Sendable, Equatable {
    public var syntax: IncludeSyntax
    /// The path as written.
    public var written: String
    /// The repository path it names; `nil` when it leaves the repository.
    public var target: GitPath?
    /// The 1-based file line.
    public var line: Int
}

/// Finds includes in Markdown, outside fenced code blocks, and renders them in place.
public enum IncludeScanner {
    /// The includes of `body` (whose first line is file line `firstLine`) of the file at `path`.
    public static func includes(in body: String, firstLine: Int, from path: GitPath, syntaxes: [IncludeSyntax]) -> [Include] {
        guard !syntaxes.isEmpty, mayInclude(body, syntaxes: syntaxes) else { return [] }
        var out: [Include] = []
        forEachLine(body) { index, line, inFence in
            guard !inFence else { return }
            for (syntax, written) in matches(line, syntaxes: syntaxes) {
                out.append(Include(syntax: syntax, written: written, target: resolve(written, from: path), line: firstLine + index))
            }
        }
        return out
    }

    /// `body` with each DocFX or comment include replaced by the text `fragments` holds for its
    /// target (its body, without front matter), recursively up to `depth`; an include whose
    /// target is not in `fragments`, and every MDX import, are left as written.
    public static func expand(_ body: String, from path: GitPath, syntaxes: [IncludeSyntax], fragments: [GitPath: String],
                              depth: Int = 8) -> String {
        let rendered = syntaxes.filter { $0 != .mdx }
        guard !rendered.isEmpty, depth > 0, !fragments.isEmpty, mayInclude(body, syntaxes: rendered) else { return body }
        var lines: [Substring] = []
        var changed = false
        forEachLine(body) { _, line, inFence in
            guard !inFence else { lines.append(line); return }
            var text = String(line)
            for (syntax, written) in matches(line, syntaxes: rendered) {
                guard let target = resolve(written, from: path), let fragment = fragments[target] else { continue }
                let inner = expand(fragment, from: target, syntaxes: syntaxes, fragments: fragments, depth: depth - 1)
                    .trimmingCharacters(in: .newlines)
                let whole = String(line).trimmingCharacters(in: .whitespaces)
                let token = syntax == .comment ? whole : docfxToken(in: text, for: written) ?? whole
                // A whole-line include becomes the fragment's blocks; an inline one, its text.
                text = whole == token ? inner : text.replacingOccurrences(of: token, with: inner.replacingOccurrences(of: "\n", with: " "))
                changed = true
            }
            lines.append(Substring(text))
        }
        return changed ? lines.joined(separator: "\n") : body
    }

    /// `body` with each `<!-- include: … -->` line left empty (line numbers kept): the lines a
    /// page replaces with fragments, which render-integrity does not expect on the page as written.
    public static func withoutIncludeLines(_ body: String, syntaxes: [IncludeSyntax]) -> String {
        guard syntaxes.contains(.comment), mayInclude(body, syntaxes: [.comment]) else { return body }
        var lines: [Substring] = []
        forEachLine(body) { _, line, inFence in lines.append(!inFence && comment(line) != nil ? "" : line) }
        return lines.joined(separator: "\n")
    }

    /// The repository path `written` names from the file at `from`: relative to its folder, or
    /// from the repository root with `~/` or `/`; `nil` when it climbs out of the repository.
    public static func resolve(_ written: String, from: GitPath) -> GitPath? {
        var target = written
        if let hash = target.firstIndex(where: { $0 == "#" || $0 == "?" }) { target = String(target[..<hash]) }
        guard !target.isEmpty else { return nil }
        var parts: [Substring]
        if target.hasPrefix("~/") {
            parts = []
            target.removeFirst(2)
        } else if target.hasPrefix("/") {
            parts = []
        } else {
            parts = from.text.split(separator: "/")
            parts.removeLast()
        }
        for part in target.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            } else {
                parts.append(part)
            }
        }
        return parts.isEmpty ? nil : GitPath(parts.joined(separator: "/"))
    }

    // MARK: Scanning

    /// Calls `body` with each line (its index, its text, whether it is inside a fenced code
    /// block). Lines are found by bytes: a body is tens of kilobytes, and every body of a site is
    /// scanned when fragments are on.
    static func forEachLine(_ text: String, _ body: (Int, Substring, Bool) -> Void) {
        let backtick = UInt8(ascii: "`"), tilde = UInt8(ascii: "~"), space = UInt8(ascii: " ")
        var fence: (char: UInt8, count: Int)?
        for (index, bytes) in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let line = text[bytes.startIndex..<bytes.endIndex]
            let indent = bytes.prefix { $0 == space }.count
            let rest = bytes.dropFirst(indent)
            var opener: (char: UInt8, count: Int)?
            if let c = rest.first, c == backtick || c == tilde {
                let n = rest.prefix { $0 == c }.count
                if n >= 3 { opener = (c, n) }
            }
            if let current = fence {
                body(index, line, true)
                if let opener, opener.char == current.char, opener.count >= current.count,
                   rest.dropFirst(opener.count).allSatisfy({ $0 == space || $0 == UInt8(ascii: "\r") }) { fence = nil }
                continue
            }
            if let opener, indent < 4 {
                fence = opener
                body(index, line, true)
                continue
            }
            body(index, line, false)
        }
    }

    /// Whether `text` may hold an include of one of `syntaxes` (a byte scan, so that the many
    /// bodies with none cost one pass): `[!`, `<!--` or `import `.
    static func mayInclude(_ text: String, syntaxes: [IncludeSyntax]) -> Bool {
        let docfx = syntaxes.contains(.docfx), comment = syntaxes.contains(.comment), mdx = syntaxes.contains(.mdx)
        var copy = text
        return copy.withUTF8 { bytes in
            let n = bytes.count
            var i = 0
            while i + 1 < n {
                let b = bytes[i]
                if b == UInt8(ascii: "!"), i > 0 {
                    if docfx, bytes[i - 1] == UInt8(ascii: "[") { return true }
                    if comment, bytes[i - 1] == UInt8(ascii: "<"), i + 2 < n, bytes[i + 1] == UInt8(ascii: "-"), bytes[i + 2] == UInt8(ascii: "-") { return true }
                } else if mdx, b == UInt8(ascii: "i"), i == 0 || bytes[i - 1] == UInt8(ascii: "\n"), i + 7 <= n,
                          bytes[i + 1] == UInt8(ascii: "m"), bytes[i + 2] == UInt8(ascii: "p"), bytes[i + 3] == UInt8(ascii: "o"),
                          bytes[i + 4] == UInt8(ascii: "r"), bytes[i + 5] == UInt8(ascii: "t"), bytes[i + 6] == UInt8(ascii: " ") {
                    return true
                }
                i += 1
            }
            return false
        }
    }

    /// The includes on one line, in order.
    static func matches(_ line: Substring, syntaxes: [IncludeSyntax]) -> [(IncludeSyntax, String)] {
        var out: [(IncludeSyntax, String)] = []
        // Cheap byte tests first: most lines hold no include.
        if syntaxes.contains(.docfx), line.utf8.contains(UInt8(ascii: "!")), line.contains("[!") {
            out += docfx(line).map { (.docfx, $0) }
        }
        if syntaxes.contains(.comment), line.utf8.contains(UInt8(ascii: "<")), let path = comment(line) { out.append((.comment, path)) }
        if syntaxes.contains(.mdx), let path = mdxImport(line) { out.append((.mdx, path)) }
        return out
    }

    /// `[!INCLUDE[title](path)]` (any letter case of INCLUDE), each on the line.
    static func docfx(_ line: Substring) -> [String] {
        var out: [String] = []
        var rest = line[...]
        while let start = rest.range(of: "[!include", options: .caseInsensitive) {
            rest = rest[start.upperBound...]
            guard rest.first == "[", let close = rest.range(of: "](") else { continue }
            let after = rest[close.upperBound...]
            guard let end = after.firstIndex(of: ")") else { break }
            let path = after[..<end].trimmingCharacters(in: .whitespaces)
            // `(path "title")`: the path is the first word.
            let first = path.split(separator: " ").first.map(String.init) ?? path
            if !first.isEmpty { out.append(first.hasPrefix("<") && first.hasSuffix(">") ? String(first.dropFirst().dropLast()) : first) }
            rest = after[end...]
        }
        return out
    }

    /// The token `[!INCLUDE[…](written)]` in `line`, for replacing it.
    static func docfxToken(in line: String, for written: String) -> String? {
        guard let start = line.range(of: "[!include", options: .caseInsensitive),
              let pathAt = line.range(of: written, range: start.upperBound..<line.endIndex),
              let close = line.range(of: ")]", range: pathAt.upperBound..<line.endIndex) else { return nil }
        return String(line[start.lowerBound..<close.upperBound])
    }

    /// `<!-- include: path -->` as the whole line.
    static func comment(_ line: Substring) -> String? {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("<!--"), text.hasSuffix("-->") else { return nil }
        let inner = text.dropFirst(4).dropLast(3).trimmingCharacters(in: .whitespaces)
        guard inner.hasPrefix("include:") else { return nil }
        let path = inner.dropFirst(8).trimmingCharacters(in: .whitespaces)
        return path.isEmpty || path.contains(" ") ? nil : path
    }

    /// `import X from './file.mdx'` (or `"../file.md"`) of a local file.
    static func mdxImport(_ line: Substring) -> String? {
        guard line.hasPrefix("import ") else { return nil }
        guard let from = line.range(of: " from ", options: .backwards) else { return nil }
        var spec = line[from.upperBound...].trimmingCharacters(in: .whitespaces)
        if spec.hasSuffix(";") { spec.removeLast() }
        guard spec.count >= 2, let quote = spec.first, quote == "'" || quote == "\"", spec.last == quote else { return nil }
        let path = String(spec.dropFirst().dropLast())
        return path.hasPrefix("./") || path.hasPrefix("../") ? path : nil
    }
}

/// The include graph of a revision and what it does to each article's state.
///
/// Pure: from the articles' and fragments' facts, their statuses and the policy.
public struct FragmentGraph: Sendable {
    public let settings: FragmentSettings
    /// The direct includes of each file read (articles and fragments).
    public let includes: [GitPath: [Include]]
    /// Paths of the fragments at this revision.
    public let fragments: Set<GitPath>
    /// Paths of the articles (not fragments) at this revision.
    public let articles: Set<GitPath>

    public init(_ files: [ArticleFacts], settings: FragmentSettings) {
        self.settings = settings
        var includes: [GitPath: [Include]] = [:]
        var fragments: Set<GitPath> = []
        var articles: Set<GitPath> = []
        for facts in files {
            let path = facts.article.path
            if settings.isFragment(path) { fragments.insert(path) } else { articles.insert(path) }
            let found = IncludeScanner.includes(in: facts.article.body, firstLine: facts.article.bodyFirstLine, from: path,
                                                syntaxes: settings.syntaxes)
            if !found.isEmpty { includes[path] = found }
        }
        self.includes = includes
        self.fragments = fragments
        self.articles = articles
    }

    /// What one article includes, through fragments that include others.
    public struct Closure: Sendable, Equatable {
        /// Each fragment reached, once, in the order first reached, with the include that first
        /// reached it (in the article, or in a fragment).
        public var fragments: [(path: GitPath, via: GitPath, line: Int)]
        public var findings: [Finding]

        public static func == (a: Closure, b: Closure) -> Bool {
            a.findings == b.findings && a.fragments.map(\.path) == b.fragments.map(\.path)
        }
    }

    /// The fragments `article` includes, transitively, and a finding for each missing target
    /// and each cycle (each named once).
    public func closure(of article: GitPath) -> Closure {
        var reached: [(path: GitPath, via: GitPath, line: Int)] = []
        var seen: Set<GitPath> = []
        var findings: [Finding] = []
        var cycles: Set<[GitPath]> = []
        func visit(_ file: GitPath, chain: [GitPath]) {
            for include in includes[file] ?? [] {
                guard let target = include.target else {
                    findings.append(FragmentMissingRule.outside(article: article, include: include, in: file))
                    continue
                }
                guard fragments.contains(target) else {
                    findings.append(articles.contains(target)
                        ? FragmentMissingRule.notAFragment(article: article, include: include, in: file, target: target)
                        : FragmentMissingRule.missing(article: article, include: include, in: file, target: target))
                    continue
                }
                if let start = chain.firstIndex(of: target) {
                    let loop = Array(chain[start...]) + [target]
                    if cycles.insert(loop).inserted { findings.append(FragmentCycleRule.finding(article: article, cycle: loop, line: include.line, in: file)) }
                    continue
                }
                // Each fragment is walked once (depth first: a cycle is met as a fragment on the chain).
                guard seen.insert(target).inserted else { continue }
                reached.append((target, file, include.line))
                visit(target, chain: chain + [target])
            }
        }
        visit(article, chain: [article])
        return Closure(fragments: reached, findings: findings)
    }

    /// The strictest category among `categories` (see docs/fragments.md): the most required
    /// roles, then the shortest review interval, then the name; `nil` when there is none.
    public static func strictest(_ categories: [Policy.Category]) -> Policy.Category? {
        categories.min { a, b in
            (-a.requiredRoles.count, a.reviewIntervalDays, a.name) < (-b.requiredRoles.count, b.reviewIntervalDays, b.name)
        }
    }

    /// Each fragment's category: the strictest of the articles that include it (transitively);
    /// `nil` for a fragment no article includes (it then needs every role of the policy).
    public func categories(_ statuses: [GitPath: String?], policy: Policy) -> [GitPath: String] {
        var includers: [GitPath: [Policy.Category]] = [:]
        for article in articles {
            guard let name = statuses[article] ?? nil, let category = policy.categories[name] else { continue }
            for fragment in closure(of: article).fragments { includers[fragment.path, default: []].append(category) }
        }
        return includers.compactMapValues { Self.strictest($0)?.name }
    }

    /// `statuses` of the articles with what their fragments do to them: the closure's missing
    /// and cycle findings, and `fragment-changed` for each fragment not approved at its current
    /// revision; an article holding any of them is not `approved` or `published` (it is
    /// `in-review`, or stays `draft` / `changes-requested`).
    public func apply(to statuses: [ArticleStatus], fragments fragmentStatuses: [GitPath: ArticleStatus]) -> [ArticleStatus] {
        statuses.map { status in
            let closure = closure(of: status.path)
            var added = closure.findings
            for fragment in closure.fragments {
                guard let state = fragmentStatuses[fragment.path] else { continue }
                if state.state != .approved && state.state != .published {
                    added.append(FragmentChangedRule.finding(article: status.path, fragment: state, via: fragment.via, line: fragment.line))
                }
            }
            guard !added.isEmpty else { return status }
            var out = status
            out.findings = (out.findings + added).sorted()
            if out.state == .approved || out.state == .published { out.state = .inReview }
            return out
        }
    }

    /// Fragment findings that do not apply to a fragment (it is not an article): its front
    /// matter, category, disclaimers, dates, review clock and reading level. Everything else
    /// (records, content rules) is reported, on the fragment's own path.
    public static let notForFragments: Set<RuleID> = [
        .invalidFrontMatter, .unknownCategory, .missingDisclaimer, .alteredDisclaimer, .outdatedDisclaimer, .futureLastUpdated,
        .lastUpdatedNotBumped, .overdue, .dueSoon, .awaitingReview, .changesRequested, .readingLevel, .unknownHistory,
    ]
}

extension FragmentGraph {
    /// The fragment rules, for documentation and SARIF.
    public static var descriptions: [RuleDescription] {
        [FragmentChangedRule.description, FragmentMissingRule.description, FragmentCycleRule.description]
    }
}

/// `fragment-changed` (error): an included fragment is not approved at its current revision.
public enum FragmentChangedRule {
    public static let id = RuleID.fragmentChanged
    public static let description = RuleDescription(
        ids: [id], summary: "An included fragment is not approved at its current revision.",
        rationale: "An approval must cover what readers see: a page shows its fragments' text, so a fragment changed since its approval (or never approved) leaves the page unreviewed until the fragment is approved.")

    public static func finding(article: GitPath, fragment: ArticleStatus, via: GitPath, line: Int) -> Finding {
        let never = fragment.lastApprovedRevision == nil
        let what = never ? "has never been approved" : "changed since its approval (revision \(fragment.revision.prefix(7)), approved \(fragment.lastApprovedRevision!.prefix(7)))"
        let missing = fragment.missingRoles.isEmpty ? "" : " in the \(fragment.missingRoles.joined(separator: " and ")) role\(fragment.missingRoles.count == 1 ? "" : "s")"
        let through = via == article ? "" : " (through \(via.escaped))"
        return Finding(id, path: article, line: via == article ? line : nil,
                       "the included fragment \(fragment.path.escaped)\(through) \(what), so readers see text no approval covers; review it ('review diff \(fragment.path.escaped)') and approve it\(missing) ('review approve \(fragment.path.escaped) --as REVIEWER --role ROLE')")
    }
}

/// `fragment-missing` (error): an include names no fragment.
public enum FragmentMissingRule {
    public static let id = RuleID.fragmentMissing
    public static let description = RuleDescription(
        ids: [id], summary: "An include names no fragment (a missing file, a file outside the policy's fragment paths, or a path out of the repository).",
        rationale: "Readers would see a hole, or text never reviewed as a fragment.")

    static func place(_ article: GitPath, _ include: Include, _ file: GitPath) -> (Int?, String) {
        file == article ? (include.line, "") : (nil, " (in \(file.escaped), line \(include.line))")
    }

    public static func missing(article: GitPath, include: Include, in file: GitPath, target: GitPath) -> Finding {
        let (line, where_) = place(article, include, file)
        return Finding(id, path: article, line: line,
                       "the include '\(include.written)'\(where_) names \(target.escaped), which does not exist at this revision, so readers would see a hole; fix the path or add the fragment")
    }

    public static func notAFragment(article: GitPath, include: Include, in file: GitPath, target: GitPath) -> Finding {
        let (line, where_) = place(article, include, file)
        return Finding(id, path: article, line: line,
                       "the include '\(include.written)'\(where_) names \(target.escaped), which is not under the policy's fragments: paths, so its text is not reviewed as a fragment; move it there or add its folder to fragments: paths")
    }

    public static func outside(article: GitPath, include: Include, in file: GitPath) -> Finding {
        let (line, where_) = place(article, include, file)
        return Finding(id, path: article, line: line,
                       "the include '\(include.written)'\(where_) leads outside the repository; include a fragment inside it")
    }
}

/// `fragment-cycle` (error): fragments that include each other.
public enum FragmentCycleRule {
    public static let id = RuleID.fragmentCycle
    public static let description = RuleDescription(
        ids: [id], summary: "Fragments include each other.",
        rationale: "A page whose fragments include each other cannot be rendered.")

    public static func finding(article: GitPath, cycle: [GitPath], line: Int, in file: GitPath) -> Finding {
        Finding(id, path: article, line: file == article ? line : nil,
                "the fragments include each other (\(cycle.map(\.escaped).joined(separator: " → "))), so the page cannot be rendered; remove one of those includes")
    }
}

/// What `publish` does with fragments: each published article goes out with the revision of
/// each fragment it includes that was approved (never a newer, unreviewed one), and its page
/// shows them in place; an article including a fragment that has no approved revision (or is
/// missing, or in a cycle) is held back.
public enum FragmentPublication {
    /// A fragment's newest approved revision: its blob and body.
    public struct Approved: Sendable, Equatable {
        public var blob: String
        public var body: String
        public var bodyFirstLine: Int

        public init(blob: String, body: String, bodyFirstLine: Int) {
            self.blob = blob
            self.body = body
            self.bodyFirstLine = bodyFirstLine
        }
    }

    /// The newest approved revision of each fragment, from its status and facts (the current
    /// revision where it counts as approved, else the last fully approved one, if readable).
    public static func approved(_ statuses: [ArticleStatus], facts: [ArticleFacts]) -> [GitPath: Approved] {
        let byPath = Dictionary(facts.map { ($0.article.path, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [GitPath: Approved] = [:]
        for status in statuses {
            guard let facts = byPath[status.path] else { continue }
            let current = status.state == .approved || status.state == .published
            guard let blob = current ? facts.blob : status.lastApprovedRevision else { continue }
            let article = blob == facts.blob ? facts.article : facts.revisions[blob]?.article
            guard let article else { continue }
            out[status.path] = Approved(blob: blob, body: article.body, bodyFirstLine: article.bodyFirstLine)
        }
        return out
    }

    /// The fragments (path → approved revision) an article's published text includes,
    /// transitively through the approved fragments' own text; or why it cannot be published.
    public static func fragments(of body: String, at path: GitPath, approved: [GitPath: Approved],
                                 settings: FragmentSettings) -> Result<[GitPath: Approved], FragmentHold> {
        var out: [GitPath: Approved] = [:]
        var stack: [(body: String, path: GitPath, chain: [GitPath])] = [(body, path, [path])]
        while let (text, file, chain) = stack.popLast() {
            for include in IncludeScanner.includes(in: text, firstLine: 1, from: file, syntaxes: settings.syntaxes) {
                guard let target = include.target, settings.isFragment(target) else {
                    return .failure(FragmentHold(text: "its approved text includes '\(include.written)', which is not a fragment (fragment-missing)"))
                }
                guard !chain.contains(target) else {
                    return .failure(FragmentHold(text: "its fragments include each other through \(target) (fragment-cycle)"))
                }
                guard let fragment = approved[target] else {
                    return .failure(FragmentHold(text: "it includes the fragment \(target), which has no approved revision"))
                }
                guard out[target] == nil else { continue }
                out[target] = fragment
                stack.append((fragment.body, target, chain + [target]))
            }
        }
        return .success(out)
    }

    /// Why an article is held back for its fragments.
    public struct FragmentHold: Error, Sendable, Equatable {
        public var text: String
    }

    /// The plan with every entry whose fragments cannot go out held back (or taken down, when it
    /// was published), and the fragment revisions the rest include.
    public static func apply(_ plan: PublishPlan, bodies: [GitPath: String], approved: [GitPath: Approved], settings: FragmentSettings,
                             previous: [GitPath: String]) -> (PublishPlan, [GitPath: Approved]) {
        var plan = plan
        var included: [GitPath: Approved] = [:]
        var held: [GitPath: String] = [:]
        for entry in plan.entries {
            switch fragments(of: bodies[entry.path] ?? "", at: entry.path, approved: approved, settings: settings) {
            case .success(let found): included.merge(found) { a, _ in a }
            case .failure(let hold): held[entry.path] = hold.text
            }
        }
        guard !held.isEmpty else { return (plan, included) }
        plan.entries.removeAll { held[$0.path] != nil }
        plan.changes = plan.changes.map { change in
            let entry: PublishPlan.Entry
            switch change {
            case .added(let e), .updated(let e, _), .unchanged(let e): entry = e
            default: return change
            }
            guard let reason = held[entry.path] else { return change }
            return previous[entry.path] != nil ? .removed(path: entry.path, reason: reason) : .heldBack(path: entry.path, reason: reason)
        }
        // Fragments only the held-back articles included stay out.
        included = [:]
        for entry in plan.entries {
            if case .success(let found) = fragments(of: bodies[entry.path] ?? "", at: entry.path, approved: approved, settings: settings) {
                included.merge(found) { a, _ in a }
            }
        }
        return (plan, included)
    }
}
