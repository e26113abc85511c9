import Paths

/// How a name given on the command line or in a URL picks an article: its path (byte for
/// byte), or a slug or page name only when exactly one article has it. Never a guess: two
/// candidates are an error listing both, an unknown name gets a did-you-mean. Pure.
public struct ArticleNames: Sendable {
    public enum Resolution: Sendable, Equatable {
        case found(GitPath)
        /// Several articles answer to the name (by path order).
        case ambiguous([GitPath])
        /// No article does; the closest names, if any are close.
        case unknown(suggestions: [String])
    }

    private let paths: Set<GitPath>
    /// Slug and page name → the articles that have it. Keyed by the name's text on purpose:
    /// names equal as text (up to Unicode normalization) answer for every article that has
    /// either spelling, so a reader's name never silently picks one of two look-alikes.
    private let byName: [String: [GitPath]]

    /// - Parameter articles: each article's path, slug and page name.
    public init<S: Sequence>(_ articles: S) where S.Element == (path: GitPath, slug: String, page: String) {
        var paths: Set<GitPath> = []
        var byName: [String: [GitPath]] = [:]
        for (path, slug, page) in articles {
            paths.insert(path)
            for name in Set([slug, page]) where !name.isEmpty {
                if !(byName[name]?.contains(path) ?? false) { byName[name, default: []].append(path) }
            }
        }
        self.paths = paths
        self.byName = byName.mapValues { $0.sorted() }
    }

    public init(articles: [Article], content: ContentRoots) {
        self.init(articles.map { (path: $0.path, slug: $0.slug, page: content.pageName(of: $0.path)) })
    }

    /// The article `name` names: a path (a leading `./` is dropped) byte for byte, else a slug
    /// or page name that exactly one article has.
    public func resolve(_ name: String) -> Resolution {
        let path = GitPath(name.hasPrefix("./") ? String(name.dropFirst(2)) : name)
        if paths.contains(path) { return .found(path) }
        if let candidates = byName[name] {
            return candidates.count == 1 ? .found(candidates[0]) : .ambiguous(candidates)
        }
        // Not found as given: the same path in another normalization or case is suggested,
        // never taken (git would not take it either).
        let confusable = paths.filter { ConfusablePaths.key($0) == ConfusablePaths.key(path) }.sorted().map(\.escaped)
        let closest = DidYouMean.suggestion(for: name, among: Array(byName.keys)).map { [$0] } ?? []
        let containing = byName.keys.filter { $0.contains(name) || name.contains($0) }.sorted()
        var suggestions: [String] = []
        for candidate in confusable + closest + containing where !suggestions.contains(candidate) { suggestions.append(candidate) }
        return .unknown(suggestions: Array(suggestions.prefix(3)))
    }

    /// The error for a name that does not pick exactly one article, or `nil` when it does.
    public static func problem(_ name: String, _ resolution: Resolution) -> ReviewError? {
        switch resolution {
        case .found: return nil
        case .ambiguous(let candidates):
            return ReviewError("'\(name)' names \(candidates.count) articles: \(candidates.map(\.escaped).joined(separator: ", "))",
                               remedy: "give the path of the one you mean")
        case .unknown(let suggestions):
            return ReviewError("no article '\(name)'",
                               remedy: suggestions.isEmpty ? "give a slug or an article's path (see 'review status')"
                                   : "did you mean \(suggestions.joined(separator: ", "))?")
        }
    }
}
