/// The policy keys that tune the content rules and the date rules (issue 32), kept apart from
/// the rest of the reader: `headings:` at the top, and `published`, `last-updated-from` and
/// `required-by-path` under `front-matter:`.
extension PolicyParser {
    /// Top-level keys read by ``readContentRuleKeys(_:into:reader:)``.
    static let contentRuleKeys: Set<String> = ["headings"]
    /// `front-matter:` keys read by ``readFrontMatterDateKeys(_:into:reader:)``.
    static let frontMatterDateKeys: Set<String> = ["published", "last-updated-from", "required-by-path"]

    /// `headings: { may-be-empty: [...], content-under: [...] }`.
    static func readContentRuleKeys(_ root: YAMLValue, into policy: inout Policy, reader: ConfigurationReader) throws(ReviewError) {
        guard let headings = root["headings"] else { return }
        guard case .map = headings else {
            throw reader.error(headings.line, "'headings' must be a mapping (may-be-empty, content-under)",
                               remedy: "like 'may-be-empty: [NOTES, RELATED LINKS]'")
        }
        try reader.refuseUnknownKeys(headings, known: ["may-be-empty", "content-under"], context: "headings")
        policy.headings = Policy.Headings(mayBeEmpty: try reader.strings(headings, "may-be-empty", context: "headings", required: false),
                                          contentUnder: try reader.strings(headings, "content-under", context: "headings", required: false))
    }

    /// `published: KEY`, `last-updated-from: front-matter | history`, `required-by-path: { GLOB: [KEY…] }`.
    static func readFrontMatterDateKeys(_ value: YAMLValue, into mapping: inout FrontMatterMapping, reader: ConfigurationReader) throws(ReviewError) {
        if let key = try reader.string(value, "published", context: "front-matter", required: false) { mapping.published = key }
        if let source = value["last-updated-from"] {
            guard let text = source.string, text == "front-matter" || text == "history" else {
                throw reader.error(source.line, "'last-updated-from' must be front-matter or history",
                                   remedy: "history takes an article's last change as its last-updated when its front matter has none")
            }
            mapping.lastUpdatedFromHistory = text == "history"
        }
        if let byPath = value["required-by-path"] {
            guard case .map(let pairs, _) = byPath else {
                throw reader.error(byPath.line, "'required-by-path' must map path globs to lists of keys", remedy: "like \"blog/**\": [date]")
            }
            for (glob, keys) in pairs {
                guard let names = keys.strings, !names.isEmpty else {
                    throw reader.error(keys.line, "the keys required below '\(glob)' must be a list of front-matter keys")
                }
                mapping.requiredByPath.append((Glob(glob), names))
            }
        }
    }
}
