import Paths

/// `confusable-paths`: two files (articles, records, configuration files) whose paths differ
/// in bytes but read alike: the same up to Unicode normalization (`café` as one code point or
/// as `e` and a combining accent) or letter case. git keeps them apart, and so does review
/// (each keeps its own history, records and page), but a reader, a reviewer naming one, or a
/// case-insensitive or normalizing file system cannot tell them apart. Blocking on both.
public enum ConfusablePathRule: ArticleRule {
    public static let description = RuleDescription(
        ids: [.confusablePaths],
        summary: "Two files' paths differ only in Unicode normalization or letter case.",
        rationale: "A reviewer who names one may sign the other, a checkout on macOS or Windows keeps only one, and a page built from one can overwrite the other's.")

    /// The loader finds confusable articles among every path of the revision (no article
    /// alone can tell), and hands each its findings with the parse's.
    public static func check(_ context: ArticleContext) -> [Finding] {
        context.facts.parseFindings.filter { $0.rule == .confusablePaths }
    }

    /// One finding on each path of each group of confusable `paths`, naming the others in
    /// escaped form (so the difference shows).
    public static func findings<S: Sequence<GitPath>>(_ paths: S, what: String) -> [Finding] {
        var out: [Finding] = []
        for group in ConfusablePaths.groups(paths) {
            for path in group {
                let others = group.filter { $0 != path }.map { "'\($0.escaped)'" }.joined(separator: ", ")
                out.append(Finding(.confusablePaths, path: path,
                                   "this \(what) ('\(path.escaped)') and \(others) differ only in Unicode normalization or letter case, so readers and some file systems cannot tell them apart; rename one (git mv) so the names differ visibly"))
            }
        }
        return out
    }
}
