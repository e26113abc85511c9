import Paths

/// One article as parsed from `Articles/…/<slug>.md` at one revision.
///
/// Fields the front matter lacks or gets wrong are `nil`; the matching findings say why.
public struct Article: Sendable, Equatable {
    /// Path from the repository root, such as `Articles/neurology/pml.md`.
    public var path: GitPath
    /// The file name without `.md`.
    public var slug: String
    public var title: String?
    public var lastUpdated: Day?
    /// The date the article was first published, where the policy maps a key to it
    /// (`front-matter: published:`); it never asks for a bump.
    public var published: Day?
    /// `publish-on` (mapped like the other keys): before this UTC day the approved article is
    /// held back (embargoed); on and after it, `publish` includes it.
    public var publishOn: Day?
    /// `unpublish-on`: from this UTC day on, `publish` takes the article down.
    public var unpublishOn: Day?
    public var category: String?
    public var summary: String?
    public var authors: [String]
    public var tags: [String]
    public var aliases: [String]
    public var isRetired: Bool
    /// Every front-matter key with its value, in file order (for comparing revisions).
    public var frontMatter: [(key: String, value: YAMLValue)]
    /// The Markdown after the front matter.
    public var body: String
    /// The 1-based file line of the body's first line.
    public var bodyFirstLine: Int
    /// Digests of the body's paragraphs of plain text (no link, code, image or HTML in them):
    /// what a reader sees as a paragraph on the page (``PlainParagraph``). `nil` when not parsed.
    public var plainParagraphs: [PlainParagraph]?
    /// The relative addresses the body links to or shows (other articles, images, files),
    /// each with its file line: checked against the revision's files when it is loaded.
    public var relativeLinks: [RelativeLink] = []
    /// Words, sentences and syllables of the body's prose (``Readability``; none for an empty
    /// body); `nil` when not measured (``ArticleParser/parseContent(_:measuringReadability:)``).
    public var readability: Readability?
    /// The body's `<!-- review-ignore … -->` comments that silence findings (``SuppressionComments``).
    public var suppressions: [Suppression] = []
    /// The body's sections with nothing in them (``HeadingStructureRule/emptySections(_:firstLine:)``),
    /// reported as the policy's `headings:` says.
    public var emptySections: [EmptySection] = []

    public init(path: GitPath, slug: String, title: String? = nil, lastUpdated: Day? = nil, category: String? = nil,
                summary: String? = nil, authors: [String] = [], tags: [String] = [], aliases: [String] = [],
                isRetired: Bool = false, frontMatter: [(key: String, value: YAMLValue)] = [], body: String = "",
                bodyFirstLine: Int = 1) {
        self.path = path
        self.slug = slug
        self.title = title
        self.lastUpdated = lastUpdated
        self.category = category
        self.summary = summary
        self.authors = authors
        self.tags = tags
        self.aliases = aliases
        self.isRetired = isRetired
        self.frontMatter = frontMatter
        self.body = body
        self.bodyFirstLine = bodyFirstLine
    }

    /// The 1-based file line of a front-matter key, when present.
    public func line(of key: String) -> Int? {
        frontMatter.first { $0.key == key }?.value.line
    }

    public static func == (lhs: Article, rhs: Article) -> Bool {
        lhs.path == rhs.path && lhs.body == rhs.body && lhs.frontMatter.count == rhs.frontMatter.count
            && zip(lhs.frontMatter, rhs.frontMatter).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}
