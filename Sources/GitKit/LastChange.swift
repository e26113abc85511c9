import Paths

/// The commit that last changed one file, as `git log -1 -- <path>` names it.
public struct FileLastChange: Sendable, Hashable {
    /// Path from the repository root.
    public var path: GitPath
    /// The file's blob at the revision asked about.
    public var blob: ObjectID
    public var kind: EntryKind
    /// The last commit that changed the file; `nil` when history ends at a shallow clone's
    /// boundary before the change could be found.
    public var commit: CommitInfo?
    /// Whether that commit only moved the file here (the same blob left another path), so
    /// its content did not change.
    public var onlyMoved: Bool = false
}

/// The last change of every file below a directory at one revision.
public struct LastChangeReport: Sendable {
    public var revision: ObjectID
    /// In git's tree order.
    public var files: [FileLastChange]
    /// Whether some answers are unknown because the clone is shallow.
    public var reachedShallowBoundary: Bool
    /// How many commits were walked.
    public var commitsWalked: Int
    /// For the paths asked to be tracked: the commits that changed them, newest first.
    public var histories: [GitPath: [FileRevision]] = [:]
    /// Paths whose walk reached the edge of the walked history (a shallow boundary, or the
    /// `since` commit) before it was done: their answer or tracked history is incomplete.
    public var unresolved: Set<GitPath> = []
}

/// One commit that changed a file, and the blob the file had after it (`nil`: deleted).
public struct FileRevision: Sendable, Hashable {
    public var commit: CommitInfo
    public var blob: ObjectID?
}
