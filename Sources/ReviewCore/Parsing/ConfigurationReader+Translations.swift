/// The policy keys for translations (issue 37), kept apart from the rest of the reader:
///
/// ```yaml
/// translations:
///   folders:                                  # translation pattern: its source's
///     "apps/site/pages/{lang}/**": "apps/site/pages/en/**"
///   source-key: translation-of                # optional: front matter naming the source's path
///   language-key: lang                        # with source-key: the key naming the language
///   basis-key: translated-from                # the key naming the source revision (blob id)
///   source-language: English                  # how pages name the source's language
/// categories:
///   drugs:
///     translation-outdated: error             # warning by default
///     translation-roles: [clinician-{lang}]   # roles a translation needs besides required-roles
/// ```
extension PolicyParser {
    /// Top-level keys read by ``readTranslations(_:into:reader:)``.
    static let translationKeys: Set<String> = ["translations"]
    /// Category keys read by ``readCategoryTranslationKeys(_:into:roles:reader:context:)``.
    static let categoryTranslationKeys: Set<String> = ["translation-outdated", "translation-roles"]

    static func readTranslations(_ root: YAMLValue, into policy: inout Policy, reader: ConfigurationReader) throws(ReviewError) {
        guard let value = root["translations"] else { return }
        guard case .map = value else {
            throw reader.error(value.line, "'translations' must be a mapping (folders, source-key, language-key, basis-key, source-language)",
                               remedy: "like 'folders: { \"pages/{lang}/**\": \"pages/en/**\" }'")
        }
        try reader.refuseUnknownKeys(value, known: ["folders", "source-key", "language-key", "basis-key", "source-language"], context: "translations")
        var translations = Policy.Translations()
        if let folders = value["folders"] {
            guard case .map(let pairs, _) = folders, !pairs.isEmpty else {
                throw reader.error(folders.line, "'folders' in translations must map each translation pattern to its source's",
                                   remedy: "like \"pages/{lang}/**\": \"pages/en/**\"")
            }
            for (pattern, source) in pairs {
                guard let sourcePattern = source.string, let folder = Policy.Translations.Folder(pattern: pattern, source: sourcePattern) else {
                    throw reader.error(source.line, "'\(pattern)' in translations folders must map a pattern with one {lang} folder and ending in /** to a source folder ending in /**, without other wildcards",
                                       remedy: "like \"pages/{lang}/**\": \"pages/en/**\"")
                }
                translations.folders.append(folder)
            }
        }
        func key(_ name: String) throws(ReviewError) -> String? {
            guard let text = try reader.string(value, name, context: "translations", required: false) else { return nil }
            guard !text.contains(where: { $0.isWhitespace || $0 == ":" }) else {
                throw reader.error(value[name]?.line, "'\(name)' in translations must be a front-matter key", remedy: "like translated-from")
            }
            return text
        }
        translations.sourceKey = try key("source-key")
        if let k = try key("language-key") { translations.languageKey = k }
        if let k = try key("basis-key") { translations.basisKey = k }
        if let name = try reader.string(value, "source-language", context: "translations", required: false) { translations.sourceLanguage = name }
        guard !translations.isEmpty else {
            throw reader.error(value.line, "'translations' names no translation: it has neither 'folders' nor 'source-key'",
                               remedy: "add 'folders: { \"pages/{lang}/**\": \"pages/en/**\" }' or 'source-key: translation-of', or remove it")
        }
        policy.translations = translations
    }

    static func readCategoryTranslationKeys(_ value: YAMLValue, into category: inout Policy.Category, roles: [String], reader: ConfigurationReader,
                                            context: String) throws(ReviewError) {
        if let level = value["translation-outdated"] {
            guard let text = level.string, let severity = Severity(rawValue: text) else {
                throw reader.error(level.line, "'translation-outdated' in \(context) must be warning or error",
                                   remedy: "error makes a translation behind its reviewed source block check")
            }
            category.translationOutdated = severity
        }
        if value["translation-roles"] != nil {
            let names = try reader.strings(value, "translation-roles", context: context)
            for role in names where !roles.contains(role) && !role.contains("{lang}") {
                throw reader.error(value["translation-roles"]?.line, "unknown role '\(role)' in the translation-roles of \(context)",
                                   remedy: "add it under roles:, or write a role per language like clinician-{lang}")
            }
            category.translationRoles = names
        }
    }
}
