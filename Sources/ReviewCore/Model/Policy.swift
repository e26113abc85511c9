import Paths
import SystemCrypto

/// `Reviews/policy.yml`: who must sign off on what, how often, and which disclaimers each
/// category needs.
public struct Policy: Sendable, Equatable {
    /// One category's settings. Kept behind one reference (``CopyOnWrite``): every article
    /// evaluated copies its category, and a copy retained each of its arrays and sets, objects
    /// every core shares (a category holds thousands of articles), so each retain was one
    /// cache line passed between the cores.
    public struct Category: Sendable, Equatable {
        struct Values: Sendable, Equatable {
            var name: String
            var requiredRoles: [String]
            var reviewIntervalDays: Int
            var dueSoonDays: Int
            var disclaimers: [String]
            var whenOverdue: OverdueAction
            var readingAge: Int?
            var ruleSeverity: [RuleID: Severity] = [:]
            var switchedOff: Set<RuleID> = []
            var translationOutdated: Severity = .warning
            var translationRoles: [String] = []
            var requiresChangeNote = false
        }
        private var stored: CopyOnWrite<Values>

        public var name: String {
            _read { yield stored.value.name }
            _modify { yield &stored.value.name }
        }
        public var requiredRoles: [String] {
            _read { yield stored.value.requiredRoles }
            _modify { yield &stored.value.requiredRoles }
        }
        public var reviewIntervalDays: Int {
            get { stored.value.reviewIntervalDays }
            set { stored.value.reviewIntervalDays = newValue }
        }
        public var dueSoonDays: Int {
            get { stored.value.dueSoonDays }
            set { stored.value.dueSoonDays = newValue }
        }
        public var disclaimers: [String] {
            _read { yield stored.value.disclaimers }
            _modify { yield &stored.value.disclaimers }
        }
        /// What readers see once a published article's review is overdue (`when-overdue`).
        public var whenOverdue: OverdueAction {
            get { stored.value.whenOverdue }
            set { stored.value.whenOverdue = newValue }
        }
        /// `reading-age`: the highest reading age (Flesch–Kincaid grade + 5) before a
        /// `reading-level` warning; `nil` for no target.
        public var readingAge: Int? {
            get { stored.value.readingAge }
            set { stored.value.readingAge = newValue }
        }
        /// `rules:`: the severity of content rules in this category (``RuleID/adjustable``);
        /// over the policy-wide ``Policy/ruleLevels``.
        public var ruleSeverity: [RuleID: Severity] {
            _read { yield stored.value.ruleSeverity }
            _modify { yield &stored.value.ruleSeverity }
        }
        /// `rules:`: the content rules set to `off` in this category (over ``Policy/ruleLevels``).
        public var switchedOff: Set<RuleID> {
            _read { yield stored.value.switchedOff }
            _modify { yield &stored.value.switchedOff }
        }
        /// `translation-outdated:` (issue 37) the severity of `translation-outdated` for this
        /// category's translations (warning by default; error makes it block).
        public var translationOutdated: Severity {
            get { stored.value.translationOutdated }
            set { stored.value.translationOutdated = newValue }
        }
        /// `translation-roles:` (issue 37) roles a translation in this category needs besides
        /// `required-roles`; `{lang}` stands for the translation's language (`clinician-{lang}`).
        public var translationRoles: [String] {
            _read { yield stored.value.translationRoles }
            _modify { yield &stored.value.translationRoles }
        }
        /// `change-note: required`: an approval of a revision whose reviewed text changed since
        /// the last approved one must carry a public change note (`approve --change-note`).
        public var requiresChangeNote: Bool {
            get { stored.value.requiresChangeNote }
            set { stored.value.requiresChangeNote = newValue }
        }
        /// `unapproved-blocks: true`: a draft, in-review or changes-requested article on the
        /// checked branch is a blocking finding, for branches where only approved text may land:
        /// `awaiting-review` and `changes-requested` take severity error (``ruleSeverity``).
        public var unapprovedBlocks: Bool {
            get { ruleSeverity[.awaitingReview] == .error && ruleSeverity[.changesRequested] == .error }
            set { for rule in [RuleID.awaitingReview, .changesRequested] { ruleSeverity[rule] = newValue ? .error : nil } }
        }

        public init(name: String, requiredRoles: [String], reviewIntervalDays: Int, dueSoonDays: Int, disclaimers: [String],
                    whenOverdue: OverdueAction = .notice) {
            stored = CopyOnWrite(Values(name: name, requiredRoles: requiredRoles, reviewIntervalDays: reviewIntervalDays,
                                        dueSoonDays: dueSoonDays, disclaimers: disclaimers, whenOverdue: whenOverdue))
        }

        public static func == (a: Category, b: Category) -> Bool { a.stored.sharesStorage(with: b.stored) || a.stored.value == b.stored.value }

        /// An equal category that shares none of the objects the workflow reads for every
        /// article (``WorkflowConfiguration/unshared()``).
        func unshared() -> Category {
            var copy = self
            copy.stored.unshare()
            copy.requiredRoles.reserveCapacity(requiredRoles.count)  // a copy: the array is shared
            copy.disclaimers.reserveCapacity(disclaimers.count)
            copy.ruleSeverity.reserveCapacity(ruleSeverity.count)
            copy.switchedOff.reserveCapacity(switchedOff.count)
            copy.translationRoles.reserveCapacity(translationRoles.count)
            return copy
        }
    }

    /// `when-overdue`: keep the page with a visible "review overdue since" notice (the default),
    /// or take it down. Never silent either way.
    public enum OverdueAction: String, Sendable, Equatable, CaseIterable {
        case notice
        case unpublish
    }

    /// `site:`: how the published site names itself.
    public struct Site: Sendable, Equatable, Codable {
        public var title: String
        /// A BCP 47 language tag, for `<html lang>` and JSON-LD `inLanguage`.
        public var language: String
        /// The absolute URL the site is served from, ending in `/` (for sitemap.xml and
        /// JSON-LD `url`); without it, no sitemap is written.
        public var baseURL: String?
        /// `role-labels`: role → the words before a reviewer's name on a page ("Medically
        /// reviewed by", "Edited by"); roles not named get ``SiteRenderer/defaultLabel(for:)``.
        public var roleLabels: [String: String]?
        /// Category → the name readers see for its section (each category's `title:`); a
        /// category without one is named from its id ("infectious-disease": "Infectious disease").
        public var sections: [String: String]?
        /// `logo`: the repository path of the site's logo (PNG, SVG, JPEG or WebP), shown beside
        /// its title on every page and published as `logo.<extension>`.
        public var logo: String?
        /// `authors-label`: the words before the authors' names (default "Written by").
        public var authorsLabel: String?
        /// The footer's HTML, rendered from `Reviews/site/footer.md` when the site is rendered
        /// (never read from the policy, never stored in the manifest).
        public var footer: String?
        /// `words`: the page's fixed phrases in the site's own language, by key
        /// (``SiteRenderer/defaultWords``); a phrase not named keeps its English default.
        public var words: [String: String]?

        enum CodingKeys: String, CodingKey { case title, language, baseURL, roleLabels, sections, logo, authorsLabel, words }

        public init(title: String = "Health articles", language: String = "en", baseURL: String? = nil) {
            self.title = title
            self.language = language
            self.baseURL = baseURL
        }
    }

    public var roles: [String] {
        _read { yield stored.value.roles }
        _modify { yield &stored.value.roles }
    }
    public var categories: [String: Category] {
        _read { yield stored.value.categories }
        _modify { yield &stored.value.categories }
    }
    /// Front-matter keys whose change keeps existing approvals (like `tags`).
    public var unreviewedFields: Set<String> {
        _read { yield stored.value.unreviewedFields }
        _modify { yield &stored.value.unreviewedFields }
    }
    /// `separate-roles` (default true): one revision's required roles need different reviewers.
    public var separateRoles: Bool {
        _read { yield stored.value.separateRoles }
        _modify { yield &stored.value.separateRoles }
    }
    /// `max-unpublish-percent` (default 20): the largest share of the published articles one
    /// `publish` may take down without `--allow-removals`.
    public var maxUnpublishPercent: Int {
        _read { yield stored.value.maxUnpublishPercent }
        _modify { yield &stored.value.maxUnpublishPercent }
    }
    /// `publish-branch` (default main): the only branch `review publish` publishes from.
    public var publishBranch: String {
        _read { yield stored.value.publishBranch }
        _modify { yield &stored.value.publishBranch }
    }
    public var site: Site {
        _read { yield stored.value.site }
        _modify { yield &stored.value.site }
    }
    /// `content:`: where articles live (default: every Markdown file below `Articles/`).
    public var content: ContentRoots {
        _read { yield stored.value.content }
        _modify { yield &stored.value.content }
    }
    /// `fragments:`: where shared fragments live and how articles include them (issue 37).
    public var fragments: FragmentSettings {
        _read { yield stored.value.fragments }
        _modify { yield &stored.value.fragments }
    }
    /// `front-matter:`: which keys hold title, last-updated and category.
    public var frontMatter: FrontMatterMapping {
        _read { yield stored.value.frontMatter }
        _modify { yield &stored.value.frontMatter }
    }
    /// `translations:` (issue 37): which articles translate which, and how their basis is named.
    public var translations: Translations {
        _read { yield stored.value.translations }
        _modify { yield &stored.value.translations }
    }
    /// `rules:` at the top level: each content rule's level (`off`, `warning`, `error`) in every
    /// category, unless the category's own `rules:` sets it.
    public var ruleLevels: [RuleID: RuleLevel] {
        _read { yield stored.value.ruleLevels }
        _modify { yield &stored.value.ruleLevels }
    }
    /// `suppressible:`: the content rules a `<!-- review-ignore … -->` comment may silence
    /// (`nil`: every content rule).
    public var suppressible: Set<RuleID>? {
        _read { yield stored.value.suppressible }
        _modify { yield &stored.value.suppressible }
    }

    /// The level of a content `rule` in `category` (its own `rules:`, then the policy's), or
    /// `nil` for the rule's own severity.
    public func level(of rule: RuleID, in category: Category?) -> RuleLevel? {
        level(of: rule, severities: category?.ruleSeverity ?? [:], switchedOff: category?.switchedOff ?? [])
    }

    /// ``level(of:in:)`` with the category's `rules:` already read (once per article, not once
    /// per finding).
    func level(of rule: RuleID, severities: [RuleID: Severity], switchedOff: Set<RuleID>) -> RuleLevel? {
        if let severity = severities[rule] { return severity == .error ? .error : .warning }
        if switchedOff.contains(rule) { return .off }
        return ruleLevels[rule]
    }

    /// Whether a suppression comment may silence `rule`.
    public func isSuppressible(_ rule: RuleID) -> Bool {
        rule.isContent && (suppressible?.contains(rule) ?? true)
    }

    /// `owners:`: who answers for the articles below each glob (the first match; an article's
    /// own front-matter `owners` wins), shown in `review due`.
    public var owners: [OwnerRule] {
        _read { yield stored.value.owners }
        _modify { yield &stored.value.owners }
    }

    public struct OwnerRule: Sendable, Equatable {
        public var glob: Glob
        public var owners: [String]

        public init(glob: Glob, owners: [String]) {
            self.glob = glob
            self.owners = owners
        }
    }

    /// `baseline:`: when review was adopted, and over how many weeks never-reviewed articles
    /// first fall due (so thousands of pages do not fall due on one day).
    public var baseline: Baseline? {
        _read { yield stored.value.baseline }
        _modify { yield &stored.value.baseline }
    }

    /// See ``baseline``. An article never fully approved is due no earlier than `from` plus a
    /// spread that depends on its path alone (stable between runs and machines); it stays a
    /// draft with no review date, so no page ever claims a review that did not happen.
    public struct Baseline: Sendable, Equatable {
        public var from: Day
        public var spreadWeeks: Int

        public init(from: Day, spreadWeeks: Int) {
            self.from = from
            self.spreadWeeks = spreadWeeks
        }

        /// The first due date of the never-reviewed article at `path`.
        public func firstDue(_ path: GitPath) -> Day {
            // The path's bytes hashed where they lie (through `hash(data:)`, generic over
            // DataProtocol, the path was copied and its regions walked: a run's 14,142 pages
            // spent 13 ms here).
            var hasher = SHA256()
            path.withBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
            let n = hasher.finalize().withUnsafeBytes { $0.prefix(4).reduce(0) { $0 << 8 | Int($1) } }
            return from.adding(days: n % max(1, spreadWeeks * 7))
        }
    }

    // MARK: Content-rule tuning (issue 32): `headings:`

    /// `headings:`: headings a template requires, which `heading-structure` lets be empty
    /// (`may-be-empty`, like PlatyPS's NOTES), and sections whose sub-headings are their content
    /// (`content-under`, like INPUTS and OUTPUTS, whose `### None` or type name is the entry).
    /// Compared without letter case and without a trailing colon.
    public var headings: Headings {
        _read { yield stored.value.headings }
        _modify { yield &stored.value.headings }
    }

    public struct Headings: Sendable, Equatable {
        public var mayBeEmpty: [String]
        public var contentUnder: [String]

        public init(mayBeEmpty: [String] = [], contentUnder: [String] = []) {
            self.mayBeEmpty = mayBeEmpty.map(Self.key)
            self.contentUnder = contentUnder.map(Self.key)
        }

        /// A heading as the lists hold it (``key(_:)``), or `nil` where neither list names any
        /// heading (nothing to look up, and no lowercased copy made).
        public func listedKey(_ heading: String) -> String? { mayBeEmpty.isEmpty && contentUnder.isEmpty ? nil : Self.key(heading) }
        public func mayBeEmpty(key: String) -> Bool { mayBeEmpty.contains(key) }
        public func namesContent(underKey key: String) -> Bool { contentUnder.contains(key) }
        public func namesContent(under heading: String) -> Bool { listedKey(heading).map(namesContent(underKey:)) ?? false }

        static func key(_ heading: String) -> String {
            var text = heading.lowercased()
            while text.hasSuffix(":") || text.hasSuffix(" ") { text.removeLast() }
            return text
        }
    }

    public init(roles: [String], categories: [String: Category], unreviewedFields: Set<String> = [], separateRoles: Bool = true) {
        stored = CopyOnWrite(Values(roles: roles, categories: categories, unreviewedFields: unreviewedFields, separateRoles: separateRoles))
    }

    /// The policy's values, behind one reference that is copied on write: a policy is read
    /// through the configuration's accessor for every article (the rule switches, the rules),
    /// and each such read copied its dozens of fields, every one retained and released (2% of a
    /// warm `status` on windows-powershell-docs).
    private struct Values: Sendable, Equatable {
        var roles: [String]
        var categories: [String: Category]
        var unreviewedFields: Set<String>
        var separateRoles: Bool
        var maxUnpublishPercent: Int = 20
        var publishBranch: String = "main"
        var site: Site = Site()
        var content: ContentRoots = ContentRoots()
        var fragments: FragmentSettings = FragmentSettings()
        var frontMatter: FrontMatterMapping = FrontMatterMapping()
        var translations: Translations = Translations()
        var ruleLevels: [RuleID: RuleLevel] = [:]
        var suppressible: Set<RuleID>?
        var owners: [OwnerRule] = []
        var baseline: Baseline?
        var headings: Headings = Headings()
    }

    private var stored: CopyOnWrite<Values>

    /// An equal policy that shares none of the objects the workflow reads for every article:
    /// its storage, its categories, their settings, its roles, headings and unreviewed fields
    /// (``WorkflowConfiguration/unshared()``).
    func unshared() -> Policy {
        var copy = self
        copy.stored.unshare()
        copy.categories = categories.mapValues { $0.unshared() }
        copy.roles.reserveCapacity(roles.count)
        copy.unreviewedFields.reserveCapacity(unreviewedFields.count)
        copy.ruleLevels.reserveCapacity(ruleLevels.count)
        copy.headings.mayBeEmpty.reserveCapacity(headings.mayBeEmpty.count)
        copy.headings.contentUnder.reserveCapacity(headings.contentUnder.count)
        return copy
    }

    public static func == (a: Policy, b: Policy) -> Bool { a.stored.sharesStorage(with: b.stored) || a.stored.value == b.stored.value }

    public static let path: GitPath = "Reviews/policy.yml"
}
