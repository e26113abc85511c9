import Paths

/// Every version of every file below a directory that the history of a revision ever held,
/// each with the first commit (in history order) that held it: what an append-only record
/// needs to notice a file deleted, renamed, edited or replaced by a symlink since.
///
/// Positions order commits so that every commit comes after all of its parents (a
/// topological order of the revision's history, not the committers' clocks).
public struct DirectoryHistory: Sendable {
    /// One version of one file: its path, blob and kind.
    public struct Version: Hashable, Sendable {
        public var path: GitPath
        public var blob: ObjectID
        public var kind: EntryKind

        public init(path: GitPath, blob: ObjectID, kind: EntryKind) {
            self.path = path
            self.blob = blob
            self.kind = kind
        }
    }

    /// The commits reachable from the revision, parents before children (the revision is
    /// last), as flat arrays by position.
    public struct Commits: Sendable {
        public fileprivate(set) var ids: [ObjectID] = []
        /// The committer time, seconds since the epoch (a claim of whoever committed).
        public fileprivate(set) var times: [Int64] = []
        /// Whether the commit's parents lie beyond a shallow clone's boundary.
        public fileprivate(set) var isBoundary: [Bool] = []
        fileprivate var parentStart: [Int32] = [0]
        fileprivate var parentList: [Int32] = []

        public var count: Int { ids.count }

        /// Positions of a commit's parents, each smaller than its own.
        public func parents(_ position: Int) -> ArraySlice<Int32> {
            parentList[Int(parentStart[position])..<Int(parentStart[position + 1])]
        }
    }

    public var commits: Commits
    /// Each version any of these commits held, with the position of the first commit holding it.
    public var firstHeld: [Version: Int]
    /// Each version's introductions: the commits holding it that none of their parents held
    /// (a merge that brings it from one side is not one). Several where the same bytes were
    /// committed on two branches (a copy): order between them is the graph's, never a position.
    public var introducedAt: [Version: [Int]] = [:]
    /// The watched files (regular files only) as each distinct state they were in: path → blob.
    public var states: [[GitPath: ObjectID]]
    /// Per position, the index into ``states`` of the watched files at that commit.
    public var stateAt: [Int32]
    /// Whether history ends at a shallow clone's boundary: versions first held there may be older.
    public var reachedShallowBoundary: Bool
}

extension HistoryEngine {
    /// The index to read `directory` (and `watching`) from: the persistent whole-tree one, or
    /// (for a `partial` run without it, or without caches) one of just the top directory
    /// holding them, built in memory.
    private func index(for directory: String, watching: [GitPath], in repository: Repository, database: ObjectDatabase,
                       at revision: ObjectID, partial: Bool) throws(RepositoryError) -> HistoryIndex {
        let wholeTree = loaded.index != nil
            || usesCache && (!partial || fileExists(HistoryCacheFile.path(in: repository, directory: Self.indexDirectory)))
        if wholeTree { return try sharedIndex(in: repository, database: database, at: revision, covering: directory) }
        var scope = String(directory.split(separator: "/").first ?? "")
        if watching.contains(where: { !$0.hasPrefix(scope + "/") }) { scope = "" }
        // Built once per engine and directory (the whole-tree index is absent here, so the
        // engine holds no other repository's index).
        let shallow = repository.shallowBoundary()
        if loaded.gitDirectory != repository.gitDirectory {
            loaded.gitDirectory = repository.gitDirectory
            loaded.scoped = [:]
        }
        var scoped = loaded.scoped[scope].flatMap { $0.shallow == shallow ? $0 : nil } ?? HistoryIndex(directory: scope, shallow: shallow)
        _ = try scoped.extend(to: revision, database: database, progress: progress)
        loaded.scoped[scope] = scoped
        return scoped
    }

    /// Every version of every file below `directory` that a commit reachable from `revision`
    /// held, without ordering history (cheaper than ``directoryHistory(in:at:under:watching:partial:)``
    /// when positions are not needed, as for a disclaimer's earlier wordings).
    public func directoryVersions(in repository: Repository, at revision: ObjectID, under directory: String,
                                  partial: Bool = false) throws(RepositoryError) -> Set<DirectoryHistory.Version> {
        let database = try ObjectDatabase(repository)
        let index = try index(for: directory, watching: [], in: repository, database: database, at: revision, partial: partial)
        guard let tip = index.index[revision] else { throw .corruptObject(revision, "the commit is missing from the history index") }
        let prefix = GitPath(directory).appendingSlash
        let inScope = index.paths.values.map { $0.hasPrefix(prefix) }
        // The few commits that changed anything below the directory, found in one pass.
        let touches = index.changes.commits(changing: inScope)
        let components = directory.split(separator: "/").map(String.init)
        var differ = TreeDiffer(database: database, scope: PathScope(directory: directory, files: []))
        var reachable = [Bool](repeating: false, count: index.count)
        var stack = [tip]
        reachable[Int(tip)] = true
        var versions: Set<DirectoryHistory.Version> = []
        while let c = stack.popLast() {
            let commit = Int(c)
            if index.parents[commit].isEmpty {
                var files: [TreeFile] = []
                if let tree = try differ.subtree(at: components, of: index.trees[commit]) {
                    try database.listFiles(tree: tree, prefix: prefix, into: &files)
                }
                for file in files { versions.insert(DirectoryHistory.Version(path: file.path, blob: file.id, kind: file.kind)) }
            }
            for list in index.changes[commit] where touches[commit] {
                for change in list where inScope[Int(change.path)] {
                    guard let blob = index.blob(of: change) else { continue }
                    versions.insert(DirectoryHistory.Version(path: index.paths[change.path], blob: blob, kind: change.kind))
                }
            }
            for p in index.parents[commit] where !reachable[Int(p)] {
                reachable[Int(p)] = true
                stack.append(p)
            }
        }
        return versions
    }

    /// The history of every file below `directory` (such as `Reviews`) as seen from `revision`,
    /// from the same persistent index the last-change walk uses, extended by new commits only.
    ///
    /// - Parameter watching: paths below the directory (files, and folders ending in `/`) whose
    ///   regular files are wanted at every commit, as ``DirectoryHistory/states``. When nothing
    ///   below the directory ever existed, the answer is empty: no commits, nothing watched.
    ///
    /// - Parameter partial: the caller walks only part of history for everything else (such as
    ///   `check --changed-since`): unless the persistent index already exists (or caches are
    ///   off), compare only the subtree that holds `directory` and the watched paths, in
    ///   memory, rather than build the whole-tree index.
    public func directoryHistory(in repository: Repository, at revision: ObjectID, under directory: String,
                                 watching: [GitPath] = [], partial: Bool = false) throws(RepositoryError) -> DirectoryHistory {
        let database = try ObjectDatabase(repository)
        let index = try index(for: directory, watching: watching, in: repository, database: database, at: revision, partial: partial)
        let prefix = GitPath(directory).appendingSlash
        let components = directory.split(separator: "/").map(String.init)
        var differ = TreeDiffer(database: database, scope: PathScope(directory: directory, files: []))
        // Which of the index's paths lie below the directory, decided once per path.
        let inScope = index.paths.values.map { $0.hasPrefix(prefix) }

        // Nothing below the directory in any commit (no record was ever written): the answer
        // is empty, without ordering the whole history.
        // Which commits changed anything below the directory (few: on a large site the records
        // change in a few commits of thousands), found in one pass over the changes in place.
        let touches = index.changes.commits(changing: inScope)
        var everHeld = touches.contains(true)
        for c in index.parents.indices where !everHeld && index.parents[c].isEmpty {
            everHeld = try differ.subtree(at: components, of: index.trees[c]) != nil
        }
        if !everHeld {
            return DirectoryHistory(commits: DirectoryHistory.Commits(), firstHeld: [:], states: [], stateAt: [],
                                    reachedShallowBoundary: index.isBoundary.contains(true))
        }
        guard let tip = index.index[revision] else { throw .corruptObject(revision, "the commit is missing from the history index") }

        // The commits reachable from the revision (the index may hold other branches too).
        var reachable = [Bool](repeating: false, count: index.count)
        var stack = [tip]
        reachable[Int(tip)] = true
        var members: [Int32] = []
        while let c = stack.popLast() {
            members.append(c)
            for p in index.parents[Int(c)] where !reachable[Int(p)] {
                reachable[Int(p)] = true
                stack.append(p)
            }
        }
        let order = Array(HistoryIndex.childrenFirst(members, parents: index.parents).reversed())
        var position = [Int](repeating: -1, count: index.count)
        for (i, c) in order.enumerated() { position[Int(c)] = i }

        func isWatched(_ path: GitPath) -> Bool {
            watching.contains { $0.hasSuffix("/") ? path.hasPrefix($0) : path == $0 }
        }
        precondition(watching.allSatisfy { $0.hasPrefix(prefix) }, "watched paths lie below the directory")
        // Only paths below the directory can be watched (most of a whole-tree index is not).
        let watchedNumber = index.paths.values.indices.map { inScope[$0] && isWatched(index.paths.values[$0]) }
        var states: [[GitPath: ObjectID]] = []
        var stateAt = [Int32](repeating: 0, count: order.count)
        var firstHeld: [DirectoryHistory.Version: Int] = [:]
        var introducedAt: [DirectoryHistory.Version: [Int]] = [:]
        var commits = DirectoryHistory.Commits()
        commits.ids.reserveCapacity(order.count)
        commits.times.reserveCapacity(order.count)
        commits.isBoundary.reserveCapacity(order.count)
        commits.parentStart.reserveCapacity(order.count + 1)
        var cutOff = false
        for (i, c) in order.enumerated() {
            let commit = Int(c)
            let parents = index.parents[commit]
            commits.ids.append(index.ids[commit])
            commits.times.append(index.meta[commit].committerTime)
            commits.isBoundary.append(index.isBoundary[commit])
            for p in parents { commits.parentList.append(Int32(position[Int(p)])) }
            commits.parentStart.append(Int32(commits.parentList.count))
            if index.isBoundary[commit] { cutOff = true }
            if parents.isEmpty {
                // A root (or a shallow boundary) was compared with nothing: list what it holds.
                var files: [TreeFile] = []
                if let tree = try differ.subtree(at: components, of: index.trees[commit]) {
                    try database.listFiles(tree: tree, prefix: prefix, into: &files)
                }
                var state: [GitPath: ObjectID] = [:]
                for file in files {
                    let version = DirectoryHistory.Version(path: file.path, blob: file.id, kind: file.kind)
                    if firstHeld[version] == nil { firstHeld[version] = i }
                    introducedAt[version, default: []].append(i)
                    if (file.kind == .blob || file.kind == .executable) && isWatched(file.path) { state[file.path] = file.id }
                }
                stateAt[i] = Int32(Self.stateNumber(state, in: &states))
                continue
            }
            var state: [GitPath: ObjectID]?
            // How many parents each new version differs from: all of them makes this an introduction.
            var differsFrom: [DirectoryHistory.Version: Int] = [:]
            for (n, list) in index.changes[commit].enumerated() where touches[commit] {
                for change in list where inScope[Int(change.path)] {
                    if n == 0 && watchedNumber[Int(change.path)] {
                        if state == nil { state = states[Int(stateAt[position[Int(parents[0])]])] }
                        state![index.paths[change.path]] = change.kind == .blob || change.kind == .executable ? index.blob(of: change) : nil
                    }
                    guard let blob = index.blob(of: change) else { continue }
                    let version = DirectoryHistory.Version(path: index.paths[change.path], blob: blob, kind: change.kind)
                    if firstHeld[version] == nil { firstHeld[version] = i }
                    differsFrom[version, default: 0] += 1
                }
            }
            for (version, count) in differsFrom where count == parents.count { introducedAt[version, default: []].append(i) }
            stateAt[i] = state.map { Int32(Self.stateNumber($0, in: &states)) } ?? stateAt[position[Int(parents[0])]]
        }
        var history = DirectoryHistory(commits: commits, firstHeld: firstHeld, states: states, stateAt: stateAt, reachedShallowBoundary: cutOff)
        history.introducedAt = introducedAt
        return history
    }

    /// The index of `state` in `states`, appending it when new (states are few: the watched
    /// files change in few commits, so a linear search from the end is enough).
    private static func stateNumber(_ state: [GitPath: ObjectID], in states: inout [[GitPath: ObjectID]]) -> Int {
        if let last = states.indices.last, states[last] == state { return last }
        states.append(state)
        return states.count - 1
    }
}
