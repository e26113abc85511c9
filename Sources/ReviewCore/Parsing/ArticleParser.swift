import Paths

/// Parses an article file: YAML front matter between `---` lines, then Markdown.
///
/// Never fails: whatever is wrong becomes an `invalid-front-matter` finding with its line, and
/// the article carries what could be read.
public enum ArticleParser {
    public static func parse(path: GitPath, bytes: [UInt8], content layout: ContentRoots = ContentRoots(),
                             frontMatter mapping: FrontMatterMapping = FrontMatterMapping()) -> (Article, [Finding]) {
        located(parseContent(bytes), at: path, content: layout, frontMatter: mapping)
    }

    /// The article and findings of `content` (from ``parseContent(_:)``) as the file at `path`:
    /// its slug (a finding first when, in the contract's layout, the file name is not one), and
    /// its front matter read through the policy's mapping.
    public static func located(_ content: (Article, [Finding]), at path: GitPath, content layout: ContentRoots = ContentRoots(),
                               frontMatter mapping: FrontMatterMapping = FrontMatterMapping()) -> (Article, [Finding]) {
        var (article, findings) = content
        article.path = path
        article.slug = layout.slug(of: path)
        for i in findings.indices { findings[i].path = path }
        // In MDX, tags are the format's own syntax (components and elements its compiler
        // renders), not raw HTML shown as text: labelled on nodejs.org, 618 warnings, none real.
        if path.hasSuffix(".mdx") { findings.removeAll { $0.rule == .rawHTMLShown } }
        findings += interpret(&article, mapping: mapping)
        if layout.isDefault, let slugProblem = slugProblem(article.slug) {
            findings.insert(Finding(.invalidFrontMatter, path: path, slugProblem), at: 0)
        }
        return (article, findings)
    }

    /// Reads title, last-updated, category and review's optional keys from the front matter
    /// through `mapping`; a finding for each missing or malformed one. Nothing is read when the
    /// front matter itself could not be (its finding says why).
    static func interpret(_ article: inout Article, mapping: FrontMatterMapping) -> [Finding] {
        // The category a path gives needs no front matter: an article whose front matter does not
        // parse still has it, so its one broken front matter is one finding, not the category's
        // rules at the wrong severity too.
        let pathCategory = mapping.category(forPath: article.path)
        article.category = pathCategory
        guard !article.frontMatter.isEmpty else { return [] }
        var findings: [Finding] = []
        func problem(_ line: Int?, _ message: String) {
            findings.append(Finding(.invalidFrontMatter, path: article.path, line: line, message))
        }
        let close = article.bodyFirstLine - 1
        var required = mapping.requiredKeys(forPath: article.path)
        if pathCategory != nil, let key = mapping.category { required.removeAll { $0 == key } }
        for key in required where article.line(of: key) == nil {
            problem(close, "missing required key '\(key)'; add '\(key): …' to the front matter")
        }
        for (key, value) in article.frontMatter {
            switch key {
            case mapping.title, mapping.summary, mapping.category:
                guard let string = value.string, !string.trimmingSpaces().isEmpty else {
                    problem(value.line, "'\(key)' must be a non-empty text")
                    continue
                }
                if key == mapping.title { article.title = string }
                if key == mapping.summary { article.summary = string }
                if key == mapping.category { article.category = string }
            case mapping.lastUpdated:
                guard let string = value.string, let day = mapping.day(string) else {
                    problem(value.line, "'\(key)' must be a real date written \(mapping.dateFormat == .timestamp ? "as an ISO 8601 date and time" : mapping.dateFormat.rawValue), not '\(value.string ?? "a list")'")
                    continue
                }
                article.lastUpdated = day
            case mapping.published where mapping.published != nil:
                guard let string = value.string, let day = mapping.day(string) else {
                    problem(value.line, "'\(key)' must be a real date written \(mapping.dateFormat == .timestamp ? "as an ISO 8601 date and time" : mapping.dateFormat.rawValue), not '\(value.string ?? "a list")'")
                    continue
                }
                article.published = day
            case mapping.publishOn, mapping.unpublishOn:
                guard let string = value.string, let day = mapping.day(string) else {
                    problem(value.line, "'\(key)' must be a real date written \(mapping.dateFormat == .timestamp ? "as an ISO 8601 date and time" : mapping.dateFormat.rawValue), not '\(value.string ?? "a list")'")
                    continue
                }
                if key == mapping.publishOn { article.publishOn = day } else { article.unpublishOn = day }
            case mapping.authors, mapping.tags, mapping.aliases:
                guard let strings = value.strings else {
                    problem(value.line, "'\(key)' must be a list of texts")
                    continue
                }
                if key == mapping.authors { article.authors = strings }
                if key == mapping.tags { article.tags = strings }
                if key == mapping.aliases { article.aliases = strings }
            case mapping.status:
                guard value.string == "retired" else {
                    problem(value.line, "'\(key)' can only be 'retired'" + (key == "status" ? " (if your site uses 'status' for something else, map review's to another key under front-matter: in the policy)" : ""))
                    continue
                }
                article.isRetired = true
            default:
                break  // Other keys are the site's own; they are kept and compared, not checked.
            }
        }
        return findings
    }

    /// The body ``parseContent(_:measuringReadability:)`` gives for `bytes`, without parsing
    /// the body: the front matter split off, as there.
    public static func body(_ bytes: [UInt8]) -> String {
        parseParts(bytes).0.body
    }

    /// What the bytes say regardless of the file's name: path and slug are empty. The same
    /// bytes always give the same result, so it may be cached by blob id.
    ///
    /// - Parameter measuringReadability: whether to count the body's words, sentences and
    ///   syllables (``Article/readability``; an empty body counts none). Only the reading-level
    ///   rule reads them, where a category sets a reading age
    ///   (``WorkflowEngine/readsReadability(_:)``); counting them is a pass over every byte of
    ///   prose, so a loader whose policy sets none leaves them out (`readability` is then `nil`:
    ///   not measured).
    public static func parseContent(_ bytes: [UInt8], measuringReadability: Bool = true) -> (Article, [Finding]) {
        var (article, findings) = parseParts(bytes)
        if measuringReadability { article.readability = Readability(words: 0, sentences: 0, syllables: 0) }
        // The body's structure (its findings depend on its bytes only, so they are cached with it).
        if !article.body.isEmpty {
            let tree = MarkdownParser.parseTree(article.body)
            // Each block's text is worked out once, for every rule below.
            let body = BodyText(tree)
            findings += HiddenCharacterRule.check(bytes: bytes)
            findings += StructureRules.check(body, firstLine: article.bodyFirstLine)
            article.plainParagraphs = StructureRules.plainParagraphs(body)
            article.relativeLinks = StructureRules.relativeLinks(tree, firstLine: article.bodyFirstLine)
            if measuringReadability { article.readability = Readability.of(body) }
            let comments = SuppressionComments.read(tree, body: article.body, firstLine: article.bodyFirstLine)
            article.suppressions = comments.suppressions
            findings += comments.findings
            article.emptySections = HeadingStructureRule.emptySections(body, firstLine: article.bodyFirstLine)
        }
        return (article, findings)
    }

    /// What a reader of the file sees as text, for telling whether a change altered it: the
    /// title and summary, and the body's text (link targets left out, image
    /// addresses kept), as lowercase letters and digits only. A change to other front-matter
    /// keys, to whitespace, punctuation, letter case, line wrapping or link targets leaves it
    /// equal. So does housekeeping a reader does not read as new content (labelled on
    /// windows-powershell-docs, Tests/Precision): an unfilled `{{ … }}` placeholder removed, a
    /// shell prompt (`PS C:\>`, `C:\>`) added to or dropped from a code example, a bare
    /// address shown as its own link text (a site's address swapped across every page), and a
    /// negation contracted or spelt out ("don't", "do not"). Empty
    /// headings still count: dropping them made a heading split in two (`### A, B` into `### A`
    /// and `### B`) read as a change. `nil` for bytes that are not a UTF-8 text.
    public static func readerText(_ bytes: [UInt8], mapping: FrontMatterMapping = FrontMatterMapping()) -> String? {
        readerView(bytes, mapping: mapping)?.text
    }

    /// ``readerText(_:mapping:)``, the front matter's last-updated value as written (`nil`
    /// when absent) and where the body's headings are, from one parse.
    public static func readerView(_ bytes: [UInt8], mapping: FrontMatterMapping = FrontMatterMapping()) -> ReaderView? {
        guard case .success = TextDecoding.decode(bytes) else { return nil }
        let article = parseParts(bytes).0
        let lastUpdated = article.frontMatter.first(where: { $0.key == mapping.lastUpdated })?.value.string
        // The text's UTF-8, built as bytes (its length is where each heading starts), by a value
        // of its own: the functions that added to it were closures over a local, and each of
        // their additions was checked for exclusive access at run time (a quarter of this
        // function's time on a cold windows-powershell-docs run).
        var out = ReaderTextBytes(capacity: bytes.count)
        var headings: [ReaderView.Heading] = []
        for key in [mapping.title, mapping.summary] {
            if let value = article.frontMatter.first(where: { $0.key == key })?.value.string { out.keep(value) }
            out.append("\u{1}")
        }
        // Every node in document order (the flat tree's order), a bare address's text skipped.
        let tree = MarkdownParser.parseTree(article.body)
        var index = 0
        while index < tree.nodes.count {
            let node = tree.nodes[index]
            switch node.kind {
            case .text: out.keep(ReaderHousekeeping.withNegationsSpelledOut(ReaderHousekeeping.withoutPlaceholders(tree.literal(index))))
            case .code, .htmlBlock, .htmlInline: out.keep(ReaderHousekeeping.withoutPlaceholders(tree.literal(index)))
            case .codeBlock: out.keep(ReaderHousekeeping.withoutPrompts(tree.literal(index)))
            case .image: out.append("\u{2}"); out.keep(tree.url(index))
            case .heading: headings.append(ReaderView.Heading(offset: out.bytes.count, level: node.level))
            case .link where ReaderHousekeeping.isBareAddress(tree, index):
                index = node.next
                continue
            default: break
            }
            index += 1
        }
        return ReaderView(text: String(decoding: out.bytes, as: UTF8.self), lastUpdated: lastUpdated, headings: headings)
    }

    /// The reader's text as it is built (``readerView(_:mapping:)``): lowercased letters and
    /// digits, and the separators added between parts.
    private struct ReaderTextBytes {
        var bytes: [UInt8] = []

        init(capacity: Int) { bytes.reserveCapacity(capacity) }

        mutating func append(_ scalar: Unicode.Scalar) {
            if scalar.value < 0x80 { bytes.append(UInt8(scalar.value)) } else { bytes.append(contentsOf: UTF8.encode(scalar)!) }
        }

        /// Any scalar but an ASCII one: lowercased on its own, as `String.lowercased()` does,
        /// and kept where alphabetic or numeric.
        mutating func keepOther(_ scalar: Unicode.Scalar) {
            for lower in scalar.properties.lowercaseMapping.unicodeScalars
            where lower.properties.isAlphabetic || lower.properties.numericType != nil {
                append(lower)
            }
        }

        mutating func keep(_ text: String) {
            // ASCII (most of it) byte by byte, without Unicode's tables: there, lowercasing is
            // A–Z to a–z, the only alphabetic scalars are letters and the only numeric ones
            // digits. Any other scalar is decoded from its bytes (the text is valid UTF-8).
            let done: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
                var i = 0
                let n = utf8.count
                while i < n {
                    let byte = utf8[i]
                    if byte < 0x80 {
                        switch byte {
                        case 0x41...0x5A: bytes.append(byte + 0x20)
                        case 0x61...0x7A, 0x30...0x39: bytes.append(byte)
                        default: break
                        }
                        i += 1
                        continue
                    }
                    let width = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
                    var value = UInt32(byte) & (width == 4 ? 0x07 : width == 3 ? 0x0F : 0x1F)
                    for k in 1..<width { value = value << 6 | (UInt32(utf8[i + k]) & 0x3F) }
                    keepOther(Unicode.Scalar(value)!)
                    i += width
                }
            }
            if done == nil {
                for scalar in text.unicodeScalars {
                    switch scalar.value {
                    case 0x41...0x5A: bytes.append(UInt8(scalar.value + 0x20))
                    case 0x61...0x7A, 0x30...0x39: bytes.append(UInt8(scalar.value))
                    case 0..<0x80: break
                    default: keepOther(scalar)
                    }
                }
            }
        }
    }

    /// The front matter and the body, and the findings about them.
    private static func parseParts(_ bytes: [UInt8]) -> (Article, [Finding]) {
        var article = Article(path: "", slug: "")
        var findings: [Finding] = []
        func problem(_ line: Int?, _ message: String) {
            findings.append(Finding(.invalidFrontMatter, path: "", line: line, message))
        }

        let text: String
        switch TextDecoding.decode(bytes) {
        case .success(let decoded): text = decoded
        case .failure(.invalidUTF8(let line)):
            problem(line, "the file is not valid UTF-8; save it as UTF-8")
            return (article, findings)
        case .failure(.nulByte(let line)):
            problem(line, "the file contains a NUL byte; it is not a text file")
            return (article, findings)
        }

        // Find the fences by scanning bytes; the body is then a slice of the text.
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var lineNumber = 0
        var yamlStart: String.Index?
        var yamlEnd: String.Index?
        var bodyStart: String.Index?
        var closeLine = 0
        while lineStart < utf8.endIndex || lineNumber == 0 {
            let lineEnd = utf8[lineStart...].firstIndex(of: 0x0A) ?? utf8.endIndex
            lineNumber += 1
            let line = text[lineStart..<lineEnd]
            let next = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : utf8.endIndex
            if lineNumber == 1 {
                guard isFence(line) else {
                    problem(1, "the file must start with a '---' line opening the front matter")
                    article.body = text
                    return (article, findings)
                }
                yamlStart = next
            } else if isFence(line) || line.trimmingTrailingSpaces() == "..." {
                yamlEnd = lineStart
                bodyStart = next
                closeLine = lineNumber
                break
            }
            if lineEnd == utf8.endIndex { break }
            lineStart = next
        }
        guard let yamlStart, let yamlEnd, let bodyStart else {
            problem(1, "the front matter opened on line 1 is never closed; add a '---' line after it")
            return (article, findings)
        }
        article.body = String(text[bodyStart...])
        article.bodyFirstLine = closeLine + 1

        let yaml = String(text[yamlStart..<max(yamlStart, yamlEnd)])
        let root: YAMLValue?
        switch YAMLDocument.parse(yaml, firstLine: 2) {
        case .success(let value): root = value
        case .failure(let failure):
            problem(failure.line, failure.message)
            return (article, findings)
        }
        guard case .map(let pairs, _)? = root else {
            problem(2, "the front matter must be a list of 'key: value' lines")
            return (article, findings)
        }
        article.frontMatter = pairs
        return (article, findings)
    }

    /// The file name without `.md` (``Slug/of(_:)``).
    public static func slug(of path: GitPath) -> String { Slug.of(path.text) }

    /// Why a slug is not valid (``Slug/problem(_:)``), or `nil`.
    public static func slugProblem(_ slug: String) -> String? { Slug.problem(slug) }

    private static func isFence(_ line: Substring) -> Bool {
        line.trimmingTrailingSpaces() == "---"
    }
}

extension StringProtocol {
    func trimmingTrailingSpaces() -> Substring {
        var s = self[...]
        while let last = s.last, last == " " || last == "\t" { s = s.dropLast() }
        return Substring(s)
    }

    func trimmingSpaces() -> Substring {
        var s = trimmingTrailingSpaces()
        while let first = s.first, first == " " || first == "\t" || first == "\n" { s = s.dropFirst() }
        return s
    }
}

/// What ``ArticleParser/readerText(_:mapping:)`` leaves out as housekeeping rather than text.
enum ReaderHousekeeping {
    /// The text without `{{ … }}` placeholders (what templates such as PlatyPS leave unfilled;
    /// `unfilled-placeholder` reports them): `{{`, then no `}` or newline, then `}}`. Scanned as
    /// bytes (a Regex here cost seconds over a history's revisions).
    static func withoutPlaceholders(_ text: String) -> String {
        // Most text holds no `{`: it is kept as it is, not copied into an array first.
        guard text.containsByte(0x7B) else { return text }
        let bytes = Array(text.utf8)
        guard let first = bytes.indices.first(where: { bytes[$0] == 0x7B && $0 + 1 < bytes.count && bytes[$0 + 1] == 0x7B }) else { return text }
        var out: [UInt8] = Array(bytes[..<first])
        var i = first
        while i < bytes.count {
            if bytes[i] == 0x7B, i + 1 < bytes.count, bytes[i + 1] == 0x7B {
                var j = i + 2
                while j < bytes.count, bytes[j] != 0x7D, bytes[j] != 0x0A { j += 1 }
                if j + 1 < bytes.count, bytes[j] == 0x7D, bytes[j + 1] == 0x7D { i = j + 2; continue }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text with English negative contractions spelt out: "don't" reads as "do not",
    /// "can't" as "cannot", "won't" as "will not", "shan't" as "shall not" (apostrophe straight
    /// or curly, any letter case). A style pass that expands or contracts them changes no
    /// meaning (windows-powershell-docs, fd0cfcc: "don't" to "do not"). Other contractions
    /// ("it's": is or has?) are left as they are. Scanned as bytes, and only when the text has
    /// an apostrophe.
    static func withNegationsSpelledOut(_ text: String) -> String {
        guard text.containsByte(0x27) || text.containsByte(0x99) else { return text }
        let bytes = Array(text.utf8)
        func isLetter(_ i: Int) -> Bool { i >= 0 && i < bytes.count && (bytes[i] | 0x20) >= 0x61 && (bytes[i] | 0x20) <= 0x7A }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 8)
        var i = 0
        while i < bytes.count {
            // n, an apostrophe (' or U+2019), t, and no letter after: "n't" ends the word.
            if bytes[i] | 0x20 == 0x6E, isLetter(i - 1) {
                var apostrophe = 0
                if i + 1 < bytes.count, bytes[i + 1] == 0x27 {
                    apostrophe = 1
                } else if i + 3 < bytes.count, bytes[i + 1] == 0xE2, bytes[i + 2] == 0x80, bytes[i + 3] == 0x99 {
                    apostrophe = 3
                }
                let t = i + 1 + apostrophe
                if apostrophe > 0, t < bytes.count, bytes[t] | 0x20 == 0x74, !isLetter(t + 1) {
                    var start = i
                    while isLetter(start - 1) { start -= 1 }
                    let word = String(decoding: bytes[start...i].map { $0 | 0x20 }, as: UTF8.self)
                    out.removeLast(i - start)
                    switch word {
                    case "can": out += Array("cannot".utf8)
                    case "won": out += Array("will not".utf8)
                    case "shan": out += Array("shall not".utf8)
                    default: out += bytes[start..<i] + Array(" not".utf8)
                    }
                    i = t + 1
                    continue
                }
            }
            out.append(bytes[i])
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A code example without the shell prompts at the start of its lines (`PS C:\>`, `PS>`,
    /// `C:\Users\x>`): a prompt added or removed changes no command. Scanned as bytes.
    static func withoutPrompts(_ code: String) -> String {
        guard code.containsByte(0x3E) else { return code }
        let bytes = Array(code.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            var i = start
            while i < end, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 }
            var prompt = false
            if i + 1 < end, bytes[i] == 0x50, bytes[i + 1] == 0x53, i + 2 < end, bytes[i + 2] == 0x3E || bytes[i + 2] == 0x20 {
                prompt = true  // PS> or PS <path>>
            } else if i + 2 < end, (bytes[i] | 0x20) >= 0x61, (bytes[i] | 0x20) <= 0x7A, bytes[i + 1] == 0x3A, bytes[i + 2] == 0x5C {
                prompt = true  // C:\…>
            }
            if prompt, let close = bytes[i..<end].firstIndex(of: 0x3E) {
                out.append(contentsOf: bytes[(close + 1)..<end])
            } else {
                out.append(contentsOf: bytes[start..<end])
            }
            if end < bytes.count { out.append(0x0A) }
            start = end + 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A link whose only text is its own address (an autolink or a bare URL): the address is
    /// the link target, which readers' text leaves out.
    static func isBareAddress(_ tree: MarkdownTree, _ index: Int) -> Bool {
        guard tree.nodes[index].childCount == 1, tree.nodes[index + 1].kind == .text else { return false }
        let text = tree.literal(index + 1), url = tree.url(index)
        return text == url || "mailto:" + text == url
    }
}

