import Paths
import Foundation

/// Reads a configuration file's YAML, turning every problem into a ``ReviewError`` that names
/// the file and line: a broken configuration stops the run (exit 2) instead of becoming a
/// finding on every article.
struct ConfigurationReader {
    let file: String

    func root(_ bytes: [UInt8]) throws(ReviewError) -> YAMLValue {
        let text: String
        switch TextDecoding.decode(bytes) {
        case .success(let decoded): text = decoded
        case .failure(.invalidUTF8(let line)):
            throw ReviewError(file: file, line: line, "not valid UTF-8", remedy: "save the file as UTF-8")
        case .failure(.nulByte(let line)):
            throw ReviewError(file: file, line: line, "contains a NUL byte", remedy: "this must be a YAML text file")
        }
        switch YAMLDocument.parse(text) {
        case .success(let value?):
            guard case .map = value else { throw error(value.line, "the file must be a mapping of 'key: value' lines") }
            return value
        case .success(nil):
            throw ReviewError(file: file, line: 1, "the file is empty", remedy: "see README.md for its format")
        case .failure(let failure):
            throw ReviewError(file: file, line: failure.line, failure.message, remedy: "fix the YAML")
        }
    }

    func error(_ line: Int?, _ problem: String, remedy: String = "") -> ReviewError {
        ReviewError(file: file, line: line, problem, remedy: remedy)
    }

    func string(_ map: YAMLValue, _ key: String, context: String, required: Bool = true) throws(ReviewError) -> String? {
        guard let value = map[key] else {
            if required { throw error(map.line, "\(context) has no '\(key)'", remedy: "add '\(key): …'") }
            return nil
        }
        guard let s = value.string, !s.trimmingSpaces().isEmpty else {
            throw error(value.line, "'\(key)' in \(context) must be a non-empty text")
        }
        return s
    }

    func strings(_ map: YAMLValue, _ key: String, context: String, required: Bool = true) throws(ReviewError) -> [String] {
        guard let value = map[key] else {
            if required { throw error(map.line, "\(context) has no '\(key)'", remedy: "add '\(key): [ … ]'") }
            return []
        }
        guard let list = value.strings else { throw error(value.line, "'\(key)' in \(context) must be a list of texts") }
        return list
    }

    func integer(_ map: YAMLValue, _ key: String, context: String, range: ClosedRange<Int>) throws(ReviewError) -> Int {
        guard let value = map[key] else { throw error(map.line, "\(context) has no '\(key)'", remedy: "add '\(key): N'") }
        guard let s = value.string, let n = Int(s), range.contains(n) else {
            throw error(value.line, "'\(key)' in \(context) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    func day(_ map: YAMLValue, _ key: String, context: String) throws(ReviewError) -> Day? {
        guard let value = map[key] else { return nil }
        guard let s = value.string, let day = Day(s) else {
            throw error(value.line, "'\(key)' in \(context) must be a real date written YYYY-MM-DD")
        }
        return day
    }
}

/// Parses `Reviews/policy.yml`.
public enum PolicyParser {
    /// - Parameter disclaimerIDs: the disclaimers that exist (`Reviews/disclaimers/<id>.md`).
    /// - Throws: ``ReviewError`` naming the file and line of the first problem.
    public static func parse(_ bytes: [UInt8], disclaimerIDs: Set<String>, file: String = Policy.path.text) throws(ReviewError) -> Policy {
        let reader = ConfigurationReader(file: file)
        let root = try reader.root(bytes)
        // A misspelt key (review-intervall-days) would otherwise be ignored silently.
        try reader.refuseUnknownKeys(root, known: Set(["roles", "categories", "unreviewed-fields", "separate-roles", "max-unpublish-percent",
                                                   "publish-branch", "site", "content", "front-matter", "baseline", "owners", "rules",
                                                   "suppressible"])
                                    .union(contentRuleKeys).union(translationKeys).union(fragmentKeys), context: "the policy")
        let roles = try reader.strings(root, "roles", context: "the policy")
        guard !roles.isEmpty else { throw reader.error(root["roles"]?.line, "'roles' lists no role", remedy: "name at least one, like [medical, editorial]") }
        guard case .map(let pairs, _)? = root["categories"] else {
            throw reader.error(root["categories"]?.line ?? root.line, "the policy has no 'categories' mapping", remedy: "add 'categories:' with one entry per category")
        }
        var categories: [String: Policy.Category] = [:]
        var sectionTitles: [String: String] = [:]
        for (name, value) in pairs {
            let context = "category '\(name)'"
            guard case .map = value else { throw reader.error(value.line, "\(context) must be a mapping") }
            try reader.refuseUnknownKeys(value, known: Set(["required-roles", "review-interval-days", "due-soon-days", "disclaimers", "when-overdue",
                                                        "reading-age", "rules", "unapproved-blocks", "title", "change-note"]).union(categoryTranslationKeys),
                                        context: context)
            if let title = try reader.string(value, "title", context: context, required: false) {
                guard !title.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw reader.error(value["title"]?.line, "'title' in \(context) is empty", remedy: "give the name readers see for its section, like Neurology")
                }
                sectionTitles[name] = title
            }
            let required = try reader.strings(value, "required-roles", context: context)
            guard !required.isEmpty else {
                throw reader.error(value["required-roles"]?.line ?? value.line, "\(context) requires no role, so its articles would be published unreviewed",
                                   remedy: "name at least one role, like [medical]")
            }
            for role in required where !roles.contains(role) {
                throw reader.error(value["required-roles"]?.line, "unknown role '\(role)' in \(context)", remedy: "add it under roles:")
            }
            let disclaimers = try reader.strings(value, "disclaimers", context: context, required: false)
            for id in disclaimers where !disclaimerIDs.contains(id) {
                throw reader.error(value["disclaimers"]?.line, "\(context) requires disclaimer '\(id)', but Reviews/disclaimers/\(id).md does not exist",
                                   remedy: "add that file or fix the id")
            }
            let interval = try reader.integer(value, "review-interval-days", context: context, range: 1...3650)
            let dueSoon = try reader.integer(value, "due-soon-days", context: context, range: 0...3650)
            var whenOverdue = Policy.OverdueAction.notice
            if let value = value["when-overdue"] {
                guard let text = value.string, let action = Policy.OverdueAction(rawValue: text) else {
                    throw reader.error(value.line, "'when-overdue' in \(context) must be notice or unpublish",
                                       remedy: "notice keeps the page with a visible overdue notice; unpublish takes it down")
                }
                whenOverdue = action
            }
            var category = Policy.Category(name: name, requiredRoles: required, reviewIntervalDays: interval,
                                           dueSoonDays: dueSoon, disclaimers: disclaimers, whenOverdue: whenOverdue)
            if value["reading-age"] != nil {
                category.readingAge = try reader.integer(value, "reading-age", context: context, range: 5...25)
            }
            if let blocks = value["unapproved-blocks"] {
                guard let flag = blocks.string, flag == "true" || flag == "false" else {
                    throw reader.error(blocks.line, "'unapproved-blocks' in \(context) must be true or false")
                }
                category.unapprovedBlocks = flag == "true"
            }
            if let note = value["change-note"] {
                guard let text = note.string, text == "required" || text == "optional" else {
                    throw reader.error(note.line, "'change-note' in \(context) must be required or optional",
                                       remedy: "required: an approval of changed text must carry --change-note, shown to readers")
                }
                category.requiresChangeNote = text == "required"
            }
            if let rules = value["rules"] {
                for (rule, level) in try reader.ruleLevels(rules, context: context) {
                    if let severity = level.severity { category.ruleSeverity[rule] = severity } else { category.switchedOff.insert(rule) }
                }
            }
            try readCategoryTranslationKeys(value, into: &category, roles: roles, reader: reader, context: context)
            categories[name] = category
        }
        let unreviewed = try reader.strings(root, "unreviewed-fields", context: "the policy", required: false)
        // Anything a page shows or the workflow reads is reviewed content.
        let protected: Set<String> = ["title", "body", "last-updated", "category", "status", "summary", "description",
                                      "authors", "aliases"]
        if let field = unreviewed.first(where: protected.contains) {
            throw reader.error(root["unreviewed-fields"]?.line, "'\(field)' cannot be an unreviewed field: readers see it as reviewed content",
                               remedy: "remove it from unreviewed-fields")
        }
        var separateRoles = true
        if let value = root["separate-roles"] {
            guard let text = value.string, text == "true" || text == "false" else {
                throw reader.error(value.line, "'separate-roles' must be true or false")
            }
            separateRoles = text == "true"
        }
        var policy = Policy(roles: roles, categories: categories, unreviewedFields: Set(unreviewed), separateRoles: separateRoles)
        if root["publish-branch"] != nil {
            let branch = try reader.string(root, "publish-branch", context: "the policy")!
            guard !branch.contains(where: { $0.isWhitespace || $0 == ":" || $0 == "~" || $0 == "^" }) else {
                throw reader.error(root["publish-branch"]?.line, "'publish-branch' must be a branch name, like main")
            }
            policy.publishBranch = branch.hasPrefix("refs/heads/") ? String(branch.dropFirst(11)) : branch
        }
        if root["max-unpublish-percent"] != nil {
            policy.maxUnpublishPercent = try reader.integer(root, "max-unpublish-percent", context: "the policy", range: 0...100)
        }
        if let content = root["content"] { policy.content = try contentRoots(content, reader: reader) }
        if let rules = root["rules"] { policy.ruleLevels = try reader.ruleLevels(rules, context: "the policy") }
        if let suppressible = root["suppressible"] {
            guard let names = suppressible.strings else {
                throw reader.error(suppressible.line, "'suppressible' must be a list of content rules", remedy: "like [reading-level, broken-link], or [] for none")
            }
            policy.suppressible = Set(try names.map { (name) throws(ReviewError) in try reader.contentRule(name, line: suppressible.line, context: "suppressible") })
        }
        if let owners = root["owners"] {
            guard case .map(let pairs, _) = owners else {
                throw reader.error(owners.line, "'owners' must map path globs to owners", remedy: "like \"Articles/neurology/**\": [amara-okafor]")
            }
            for (glob, value) in pairs {
                guard let names = value.strings, !names.isEmpty else { throw reader.error(value.line, "the owners of '\(glob)' must be a list of names") }
                policy.owners.append(Policy.OwnerRule(glob: Glob(glob), owners: names))
            }
        }
        if let baseline = root["baseline"] {
            guard case .map = baseline else { throw reader.error(baseline.line, "'baseline' must be a mapping (from, spread-weeks)") }
            try reader.refuseUnknownKeys(baseline, known: ["from", "spread-weeks"], context: "baseline")
            guard let from = try reader.day(baseline, "from", context: "baseline") else {
                throw reader.error(baseline.line, "baseline has no 'from'", remedy: "add 'from: YYYY-MM-DD', the day review was adopted")
            }
            policy.baseline = Policy.Baseline(from: from, spreadWeeks: try reader.integer(baseline, "spread-weeks", context: "baseline", range: 1...520))
        }
        try readContentRuleKeys(root, into: &policy, reader: reader)
        try readTranslations(root, into: &policy, reader: reader)
        try readFragments(root, into: &policy, reader: reader)
        if let mapping = root["front-matter"] {
            policy.frontMatter = try frontMatter(mapping, categories: Set(policy.categories.keys), reader: reader)
            // The check above, after the mapping: a repository key that holds what review reads
            // as a title, summary, date, category, authors, aliases or status is reviewed content
            // under any name (issue 31: `title: headline` with `headline` unreviewed let a new
            // title stay approved).
            let m = policy.frontMatter
            let mapped: [(review: String, key: String?)] = [("title", m.title), ("last-updated", m.lastUpdated), ("category", m.category),
                                                            ("summary", m.summary), ("authors", m.authors), ("aliases", m.aliases), ("status", m.status)]
            for field in unreviewed {
                guard let hit = mapped.first(where: { $0.key == field }) else { continue }
                throw reader.error(root["unreviewed-fields"]?.line,
                                   "'\(field)' cannot be an unreviewed field: front-matter maps review's '\(hit.review)' to it, and readers see it as reviewed content",
                                   remedy: "remove it from unreviewed-fields")
            }
        }
        if !sectionTitles.isEmpty { policy.site.sections = sectionTitles }
        if let site = root["site"] {
            guard case .map = site else { throw reader.error(site.line, "'site' must be a mapping (title, language, base-url, logo, role-labels, authors-label, words)") }
            try reader.refuseUnknownKeys(site, known: ["title", "language", "base-url", "logo", "role-labels", "authors-label", "words"], context: "site")
            if let words = site["words"] {
                guard case .map(let pairs, _) = words else {
                    throw reader.error(words.line, "'words' in site must map each phrase's key to its words", remedy: "like last-updated: Zuletzt aktualisiert")
                }
                try reader.refuseUnknownKeys(words, known: Set(SiteRenderer.defaultWords.keys), context: "site words")
                var out: [String: String] = [:]
                for (key, value) in pairs {
                    guard let text = value.string, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
                        throw reader.error(value.line, "the words of '\(key)' in site words must be text", remedy: "like \(key): \(SiteRenderer.defaultWords[key] ?? "…")")
                    }
                    out[key] = text
                }
                policy.site.words = out
            }
            if let logo = try reader.string(site, "logo", context: "site", required: false) {
                let ext = logo.split(separator: ".").last.map { $0.lowercased() } ?? ""
                guard logo.hasPrefix(ConfigurationFiles.siteDirectory + "/"), !logo.split(separator: "/").contains(".."), SiteRenderer.logoTypes.contains(ext) else {
                    throw reader.error(site["logo"]?.line, "'logo' in site must be a .png, .svg, .jpg or .webp file under \(ConfigurationFiles.siteDirectory)/ (signed configuration where a root governs)",
                                       remedy: "like Reviews/site/logo.svg")
                }
                policy.site.logo = logo
            }
            if let label = try reader.string(site, "authors-label", context: "site", required: false) {
                guard !label.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw reader.error(site["authors-label"]?.line, "'authors-label' in site is empty", remedy: "like Written by")
                }
                policy.site.authorsLabel = label
            }
            if let labels = site["role-labels"] {
                guard case .map(let pairs, _) = labels else {
                    throw reader.error(labels.line, "'role-labels' in site must map each role to its label", remedy: "like medical: Medically reviewed by")
                }
                var out: [String: String] = [:]
                for (role, value) in pairs {
                    guard policy.roles.contains(role) else {
                        throw reader.error(value.line, "unknown role '\(role)' in site role-labels", remedy: "use a role under roles: (\(policy.roles.joined(separator: ", ")))")
                    }
                    guard let label = value.string, !label.trimmingCharacters(in: .whitespaces).isEmpty else {
                        throw reader.error(value.line, "the label of '\(role)' in site role-labels must be text", remedy: "like Medically reviewed by")
                    }
                    out[role] = label
                }
                policy.site.roleLabels = out
            }
            if let title = try reader.string(site, "title", context: "site", required: false) { policy.site.title = title }
            if let language = try reader.string(site, "language", context: "site", required: false) {
                guard language.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
                    throw reader.error(site["language"]?.line, "'language' in site must be a language tag like en or en-GB")
                }
                policy.site.language = language
            }
            if var base = try reader.string(site, "base-url", context: "site", required: false) {
                guard base.hasPrefix("https://") || base.hasPrefix("http://"), !base.contains(where: { $0 == " " || $0 == "\"" || $0 == "<" }) else {
                    throw reader.error(site["base-url"]?.line, "'base-url' in site must be an absolute http(s) URL", remedy: "like https://health.example.org/")
                }
                if !base.hasSuffix("/") { base += "/" }
                policy.site.baseURL = base
            }
        }
        return policy
    }

    /// The folder history is walked under (``ContentRoots/walkDirectory``) as the policy in
    /// `bytes` names it, or `nil` where that part of it does not read. A guess of what will be
    /// asked, made before the configuration in force is known: never an answer.
    public static func walkDirectory(_ bytes: [UInt8]) -> String? {
        let reader = ConfigurationReader(file: Policy.path.text)
        guard let root = try? reader.root(bytes) else { return nil }
        guard let content = root["content"] else { return ContentRoots().walkDirectory }
        return (try? contentRoots(content, reader: reader))?.walkDirectory
    }

    /// `content:` — roots, include and exclude globs, where slugs must be unique.
    static func contentRoots(_ value: YAMLValue, reader: ConfigurationReader) throws(ReviewError) -> ContentRoots {
        guard case .map = value else { throw reader.error(value.line, "'content' must be a mapping (roots, include, exclude, unique-slugs)") }
        try reader.refuseUnknownKeys(value, known: ["roots", "include", "exclude", "unique-slugs"], context: "content")
        var content = ContentRoots()
        if value["roots"] != nil {
            let roots = try reader.strings(value, "roots", context: "content").map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
            for root in roots where root.isEmpty || root.hasPrefix("/") || root.split(separator: "/").contains("..")
                || root == ContentLayout.reviewsDirectory || root.hasPrefix(ContentLayout.reviewsDirectory + "/") {
                throw reader.error(value["roots"]?.line, "'\(root)' in content roots must be a folder inside the repository, outside Reviews/")
            }
            guard !roots.isEmpty else { throw reader.error(value["roots"]?.line, "'roots' lists no folder", remedy: "like [docs]") }
            content.roots = roots
        }
        if value["include"] != nil { content.include = try reader.strings(value, "include", context: "content").map(Glob.init) }
        if value["exclude"] != nil { content.exclude = try reader.strings(value, "exclude", context: "content").map(Glob.init) }
        if let scope = value["unique-slugs"] {
            guard let text = scope.string, let parsed = ContentRoots.SlugScope(rawValue: text) else {
                throw reader.error(scope.line, "'unique-slugs' must be everywhere, root or folder")
            }
            content.uniqueSlugs = parsed
        }
        return content
    }

    /// `front-matter:` — the keys holding what review reads, the date format, categories by path.
    static func frontMatter(_ value: YAMLValue, categories: Set<String>, reader: ConfigurationReader) throws(ReviewError) -> FrontMatterMapping {
        guard case .map = value else { throw reader.error(value.line, "'front-matter' must be a mapping of review's keys to yours") }
        let renamable = ["title", "last-updated", "category", "summary", "authors", "tags", "aliases", "status", "publish-on", "unpublish-on"]
        try reader.refuseUnknownKeys(value, known: Set(renamable + ["date-format", "categories-by-path"]).union(frontMatterDateKeys), context: "front-matter")
        var mapping = FrontMatterMapping()
        func key(_ name: String) throws(ReviewError) -> String? { try reader.string(value, name, context: "front-matter", required: false) }
        if let k = try key("title") { mapping.title = k }
        if let k = try key("last-updated") { mapping.lastUpdated = k }
        if let k = try key("category") { mapping.category = k }
        if let k = try key("summary") { mapping.summary = k }
        if let k = try key("authors") { mapping.authors = k }
        if let k = try key("tags") { mapping.tags = k }
        if let k = try key("aliases") { mapping.aliases = k }
        if let k = try key("status") { mapping.status = k }
        if let k = try key("publish-on") { mapping.publishOn = k }
        if let k = try key("unpublish-on") { mapping.unpublishOn = k }
        if let format = value["date-format"] {
            guard let text = format.string, let parsed = FrontMatterMapping.DateFormat(rawValue: text) else {
                throw reader.error(format.line, "'date-format' must be YYYY-MM-DD, MM/DD/YYYY or timestamp")
            }
            mapping.dateFormat = parsed
        }
        if let byPath = value["categories-by-path"] {
            guard case .map(let pairs, _) = byPath else {
                throw reader.error(byPath.line, "'categories-by-path' must map path globs to categories", remedy: "like \"docs/drugs/**\": drugs")
            }
            for (glob, category) in pairs {
                guard let name = category.string, categories.contains(name) else {
                    throw reader.error(category.line, "categories-by-path names '\(category.string ?? "a list")', which is not a category of the policy")
                }
                mapping.categoriesByPath.append((Glob(glob), name))
            }
        }
        try readFrontMatterDateKeys(value, into: &mapping, reader: reader)
        let used = [mapping.title, mapping.lastUpdated, mapping.summary, mapping.authors, mapping.tags, mapping.aliases, mapping.status,
                    mapping.publishOn, mapping.unpublishOn]
            + (mapping.category.map { [$0] } ?? []) + (mapping.published.map { [$0] } ?? [])
        if let twice = used.first(where: { name in used.filter { $0 == name }.count > 1 }) {
            throw reader.error(value.line, "front-matter maps two of review's keys to '\(twice)'", remedy: "give each its own key")
        }
        return mapping
    }
}

extension ConfigurationReader {
    /// A `public-key` entry: base64 of 32 bytes, and a key worth trusting.
    func publicKey(_ entry: YAMLValue, context: String) throws(ReviewError) -> [UInt8] {
        let keyText = try string(entry, "public-key", context: context)!
        guard let key = Data(base64Encoded: keyText), key.count == 32 else {
            throw error(entry["public-key"]?.line, "the public key of \(context) is not a base64 Ed25519 key (32 bytes)",
                        remedy: "paste the key 'review keygen' printed")
        }
        if let problem = PublicKeyCheck.problem(Array(key)) {
            throw error(entry["public-key"]?.line, "the public key of \(context) \(problem)", remedy: "paste the key 'review keygen' printed for them")
        }
        return Array(key)
    }

    /// A `rules:` mapping (the policy's or a category's): content rule → `off`, `warning` or
    /// `error`. A fixed rule (the contract's, the record's, governance's) is refused by name.
    func ruleLevels(_ rules: YAMLValue, context: String) throws(ReviewError) -> [RuleID: RuleLevel] {
        guard case .map(let entries, _) = rules else {
            throw error(rules.line, "'rules' in \(context) must map content rules to off, warning or error", remedy: "like 'repeated-text: warning'")
        }
        var levels: [RuleID: RuleLevel] = [:]
        for (key, value) in entries {
            let rule = try contentRule(key, line: value.line, context: "the rules of \(context)")
            guard let level = value.string.flatMap(RuleLevel.init(rawValue:)) else {
                throw error(value.line, "'\(key)' in the rules of \(context) must be off, warning or error")
            }
            levels[rule] = level
        }
        return levels
    }

    /// The content rule named `name`; a fixed or unknown rule is refused, naming the content rules.
    func contentRule(_ name: String, line: Int, context: String) throws(ReviewError) -> RuleID {
        let names = RuleID.adjustable.map(\.rawValue)
        guard let rule = RuleID(rawValue: name) else {
            let hint = DidYouMean.suggestion(for: name, among: Set(names)).map { "did you mean '\($0)'?" } ?? "the content rules are \(names.joined(separator: ", "))"
            throw error(line, "unknown rule '\(name)' in \(context)", remedy: hint)
        }
        guard rule.isContent else {
            throw error(line, "'\(name)' in \(context) is not a content rule: the contract's, the record's and governance's rules cannot be tuned",
                        remedy: "remove it; the content rules are \(names.joined(separator: ", "))")
        }
        return rule
    }

    /// Refuses a key the file format does not have (a typo would otherwise be ignored silently).
    func refuseUnknownKeys(_ map: YAMLValue, known: Set<String>, context: String) throws(ReviewError) {
        guard case .map(let pairs, _) = map else { return }
        for pair in pairs where !known.contains(pair.key) {
            let hint = DidYouMean.suggestion(for: pair.key, among: known).map { "did you mean '\($0)'?" }
                ?? "the keys are \(known.sorted().joined(separator: ", "))"
            throw error(map[pair.key]?.line ?? map.line, "unknown key '\(pair.key)' in \(context)", remedy: hint)
        }
    }
}
