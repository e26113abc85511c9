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
    public var commit: CommitInfo? {
        _read { yield box.value }
        set { box = CommitBox(newValue) }
    }
    /// ``commit``'s id, read in place. Reading `commit` copies the commit's strings and arrays
    /// (each a retain and a release), and files changed last by one commit share those objects
    /// across the cores that read them: in a warm `status` on windows-powershell-docs, where one
    /// commit changed most pages last, that commit's strings and box took 40% of the reference
    /// counts both cores updated (`Scripts/bench/refcount-census`).
    public var commitID: ObjectID? { box.value?.id }

    /// `body` applied to ``commit`` where there is one, read from its box. (The compiler may
    /// still copy the commit for the call: `Scripts/bench/refcount-census` shows the loader's
    /// placing step retaining the commit's strings here. Only ``commitID`` is sure to copy
    /// nothing.)
    public func withCommit<T>(_ body: (borrowing CommitInfo) throws -> T) rethrows -> T? {
        guard let value = box.value else { return nil }
        return try body(value)
    }
    /// Whether that commit only moved the file here (the same blob left another path), so
    /// its content did not change.
    public var onlyMoved: Bool = false
    /// ``commit``, held by reference: a revision's answer for every file is copied several
    /// times on its way to the articles, and each copy retained and released the commit's
    /// five strings and two arrays (9% of a warm `status` on windows-powershell-docs).
    /// Files the same commit changed last share one.
    private var box: CommitBox

    init(path: GitPath, blob: ObjectID, kind: EntryKind, commit: CommitBox, onlyMoved: Bool) {
        (self.path, self.blob, self.kind, self.box, self.onlyMoved) = (path, blob, kind, commit, onlyMoved)
    }
}

/// A commit's metadata held by reference (``FileLastChange/commit``); compared and hashed by
/// its value.
final class CommitBox: Sendable, Hashable {
    let value: CommitInfo?
    static let none = CommitBox(nil)

    init(_ value: CommitInfo?) {
        self.value = value
    }

    static func == (lhs: CommitBox, rhs: CommitBox) -> Bool { lhs.value == rhs.value }
    func hash(into hasher: inout Hasher) { hasher.combine(value) }
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
    /// Which main-line commit brought each commit walked to the revision (``MainLine``).
    public var mainLine = MainLine()
    /// Paths whose walk reached the edge of the walked history (a shallow boundary, or the
    /// `since` commit) before it was done: their answer or tracked history is incomplete.
    public var unresolved: Set<GitPath> = []
}

/// How each commit reached a revision: through which commit of the revision's first-parent
/// chain (its main line), the chain a team's merges land on and readers' pages are built from.
/// A commit made on a branch and merged arrives with the merge; a commit on the chain arrives
/// as itself. Two changes with the same arrival reached the main line together.
public struct MainLine: Sendable {
    let index: [ObjectID: Int32]
    let ids: [ObjectID]
    let arrivals: [Int32]

    public init() {
        index = [:]
        ids = []
        arrivals = []
    }

    init(index: [ObjectID: Int32], ids: [ObjectID], arrivals: [Int32]) {
        self.index = index
        self.ids = ids
        self.arrivals = arrivals
    }

    /// The main-line commit that brought `commit`; `nil` when it was not walked (a history cut
    /// at a shallow boundary or at `since`) or the revision does not reach it.
    public func arrival(of commit: ObjectID) -> ObjectID? {
        guard let i = index[commit], Int(i) < arrivals.count else { return nil }
        let a = arrivals[Int(i)]
        return a >= 0 && Int(a) < ids.count ? ids[Int(a)] : nil
    }
}

/// One commit that changed a file, and the blob the file had after it (`nil`: deleted).
public struct FileRevision: Sendable, Hashable {
    public var commit: CommitInfo
    public var blob: ObjectID?
}
