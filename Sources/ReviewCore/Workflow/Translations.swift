import Paths
import Foundation

// Translations (issue 37, item 2): a translation names its source article and the source
// revision it was made from (its basis); when the source has a newer fully approved revision
// whose text differs from the basis, the translation has fallen behind, and says so.

extension Policy {
    /// `translations:` in the policy: which articles are translations of which.
    public struct Translations: Sendable, Equatable {
        /// A folder convention: `pages/{lang}/**` ← `pages/en/**`. The part `**` matches is the
        /// same in both paths; `{lang}` is one folder name, the translation's language.
        public struct Folder: Sendable, Equatable {
            /// The pattern's bytes before `{lang}`, between `{lang}` and `**`, and the source's before `**`.
            public var prefix: [UInt8]
            public var middle: [UInt8]
            public var sourcePrefix: [UInt8]
            /// As written in the policy, for messages.
            public var pattern: String
            public var source: String

            /// Reads `pattern` (`<prefix>{lang}<middle>**`) and `source` (`<prefix>**`); `nil`
            /// when either has another shape (the parser says which).
            public init?(pattern: String, source: String) {
                let token = "{lang}"
                guard pattern.hasSuffix("/**"), source.hasSuffix("/**"),
                      let range = pattern.range(of: token), pattern.range(of: token, range: range.upperBound..<pattern.endIndex) == nil else { return nil }
                let before = String(pattern[..<range.lowerBound])
                let between = String(pattern[range.upperBound...].dropLast(2))
                let sourceBefore = String(source.dropLast(2))
                let wild: (String) -> Bool = { $0.contains("*") || $0.contains("?") || $0.contains("{") || $0.contains("}") }
                guard !wild(before), !wild(between), !wild(sourceBefore), between.hasPrefix("/"),
                      before.isEmpty || before.hasSuffix("/") else { return nil }
                prefix = Array(before.utf8)
                middle = Array(between.utf8)
                sourcePrefix = Array(sourceBefore.utf8)
                self.pattern = pattern
                self.source = source
            }

            /// The language and source path of the translation at `path`, if this convention
            /// names one (a path that is its own source, such as the source language's folder, is none).
            public func locate(_ path: GitPath) -> (language: String, source: GitPath)? {
                let bytes = path.bytes
                guard bytes.count > prefix.count, bytes.starts(with: prefix) else { return nil }
                let afterPrefix = bytes[prefix.count...]
                guard let slash = afterPrefix.firstIndex(of: UInt8(ascii: "/")), slash > afterPrefix.startIndex else { return nil }
                let language = afterPrefix[afterPrefix.startIndex..<slash]
                let rest = bytes[slash...]
                guard rest.starts(with: middle), rest.count > middle.count,
                      language.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F })
                else { return nil }
                let source = GitPath(bytes: sourcePrefix + rest.dropFirst(middle.count))
                guard source != path else { return nil }
                return (String(decoding: language, as: UTF8.self), source)
            }
        }

        public var folders: [Folder] = []
        /// `source-key`: a front-matter key whose value is the repository path of the article's
        /// source (over the folder conventions).
        public var sourceKey: String?
        /// `language-key`: the front-matter key naming a translation's language where the path
        /// does not (with `source-key`); default `lang`.
        public var languageKey = "lang"
        /// `basis-key`: the front-matter key naming the source revision (git blob id) the
        /// translation was made from; default `translated-from`.
        public var basisKey = "translated-from"
        /// `source-language`: the source's language as pages name it ("Translated from the
        /// English version …"); default English.
        public var sourceLanguage = "English"

        public init() {}

        /// Whether the policy names any translation.
        public var isEmpty: Bool { folders.isEmpty && sourceKey == nil }

        /// Where the article at `path` comes from, if it is a translation: its front matter's
        /// `source-key` first, then the first folder convention that names one.
        public func locate(_ article: Article) -> (language: String, source: GitPath, line: Int?)? {
            guard !isEmpty else { return nil }
            if let key = sourceKey, let value = article.frontMatter.first(where: { $0.key == key })?.value, let text = value.string {
                let trimmed = String(text.trimmingSpaces())
                let path = GitPath(trimmed.hasPrefix("/") ? String(trimmed.dropFirst()) : trimmed)
                if !path.isEmpty, path != article.path {
                    let language = article.frontMatter.first { $0.key == languageKey }?.value.string ?? folders.lazy.compactMap { $0.locate(article.path)?.language }.first
                    return (language ?? "", path, value.line)
                }
            }
            for folder in folders {
                if let found = folder.locate(article.path) { return (found.language, found.source, nil) }
            }
            return nil
        }
    }
}

extension Policy.Category {
    /// The roles a translation into `language` needs besides the category's required roles
    /// (`translation-roles`, `{lang}` replaced), none already required.
    public func translationRoles(language: String) -> [String] {
        var out: [String] = []
        for role in translationRoles {
            let expanded = role.replacingOccurrences(of: "{lang}", with: language)
            if !requiredRoles.contains(expanded), !out.contains(expanded) { out.append(expanded) }
        }
        return out
    }
}

/// What the loader found of a translation: its source and basis (``ArticleFacts/translation``).
public struct TranslationFacts: Sendable, Equatable {
    /// Where the basis was read from.
    public enum BasisSource: String, Sendable, Equatable {
        /// The front matter's `translated-from` (the policy's `basis-key`).
        case frontMatter = "front-matter"
        /// The source's revision at the commit that last changed the translation.
        case history
    }

    public var source: GitPath
    public var language: String
    /// Whether the source is an article at the revision read.
    public var sourceExists: Bool
    /// The source revision (git blob id) the translation was made from; `nil` when unknown.
    public var basis: String?
    public var basisFrom: BasisSource?
    /// The file line of the front matter's basis key (or source key), for findings.
    public var line: Int?
    /// Why the basis is not known or not valid, with what to do; `nil` when it is.
    public var basisProblem: String?
    /// Whether the front matter names a basis that is not a revision of the source (an error).
    public var invalidBasis = false
    /// The commit whose source revision is the basis (history only).
    public var basisCommit: String?
    /// Revisions of the source whose text (as readers see it) equals the basis's.
    public var sameText: Set<String> = []

    public init(source: GitPath, language: String, sourceExists: Bool) {
        self.source = source
        self.language = language
        self.sourceExists = sourceExists
    }
}

/// A translation's standing against its source (``ArticleStatus/translation``; status JSON's
/// `translation`).
public struct TranslationStatus: Sendable, Equatable {
    public var source: GitPath
    public var language: String
    public var basis: String?
    public var basisFrom: TranslationFacts.BasisSource?
    /// The day the basis revision (or one with its text) became fully approved, if it did.
    public var basisReviewed: Day?
    /// The source's newest fully approved revision and the day it became so.
    public var sourceApproved: String?
    public var sourceReviewed: Day?
    /// Whether the source's newest fully approved revision is newer than the basis and reads otherwise.
    public var outdated: Bool

    public init(source: GitPath, language: String, basis: String?, basisFrom: TranslationFacts.BasisSource?, basisReviewed: Day?,
                sourceApproved: String?, sourceReviewed: Day?, outdated: Bool) {
        self.source = source
        self.language = language
        self.basis = basis
        self.basisFrom = basisFrom
        self.basisReviewed = basisReviewed
        self.sourceApproved = sourceApproved
        self.sourceReviewed = sourceReviewed
        self.outdated = outdated
    }
}

/// Judges every translation against its source, after each article was evaluated on its own:
/// a translation's standing depends on its source's approvals. Pure.
public enum TranslationCheck {
    /// `statuses[i]` is the status of `facts[i]`; returns them with each translation's
    /// ``ArticleStatus/translation`` and its findings added.
    public static func apply(_ statuses: [ArticleStatus], facts: [ArticleFacts], configuration: WorkflowConfiguration) -> [ArticleStatus] {
        guard facts.contains(where: { $0.translation != nil }) else { return statuses }
        var index: [GitPath: Int] = [:]
        for (i, f) in facts.enumerated() where index[f.article.path] == nil { index[f.article.path] = i }
        var out = statuses
        for (i, f) in facts.enumerated() {
            guard let translation = f.translation else { continue }
            let category = f.article.category.flatMap { configuration.policy.categories[$0] }
            let source = index[translation.source].map { (facts: facts[$0], status: statuses[$0]) }
            let (status, findings) = TranslationOutdatedRule.judge(translation, article: f.article, source: source, category: category,
                                                                   policy: configuration.policy)
            out[i].translation = status
            if !findings.isEmpty {
                out[i].findings = (out[i].findings + findings).sorted()
            }
        }
        return out
    }

    /// The day `revision` (or any of `equivalent`) became fully approved: for each role, its
    /// first approval of it; the latest of those. `nil` when no approval names it.
    static func approvedDay(of revisions: Set<String>, in status: ArticleStatus) -> Day? {
        var firstByRole: [String: Day] = [:]
        for approval in status.approvals where revisions.contains(approval.revision) {
            firstByRole[approval.role] = min(firstByRole[approval.role] ?? approval.date, approval.date)
        }
        return firstByRole.values.max()
    }
}
