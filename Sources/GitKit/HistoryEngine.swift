import CGit2
import Paths
#if canImport(Glibc)
import Glibc
#endif

/// Finds, for every file below a directory, the last commit that changed it, in one walk.
///
/// The answer for each path equals `git log -1 -- <path>` with default history
/// simplification: walking back from the revision, a non-merge commit is the answer when the
/// path differs from its parent (or, for a root commit, exists); a merge is the answer when the
/// path differs from every parent, and otherwise the walk follows the first parent the path is
/// unchanged against.
///
/// It works in two passes over one commit graph:
/// 1. oldest first (so forward delta chains resolve from cache), compare each commit's raw
///    tree entries with each parent's, skipping equal subtrees by id, and record which of the
///    revision's paths changed;
/// 2. children first (topological, so clock skew cannot reorder it), carry each path's
///    pending set down the simplified history until it lands on its answer.
/// Reports progress: a step's name, how many items are done, and how many there are (if known).
public typealias ProgressHandler = (String, Int, Int?) -> Void

public struct HistoryEngine {
    /// Whether to use and extend the persistent history index under the git directory
    /// (``HistoryCacheFile``); without it every run compares every commit again.
    public var usesCache: Bool
    /// Told how far long steps have got (for a progress line); called on the calling thread.
    public var progress: ProgressHandler?
    /// Runs `body` for `0..<count`, at once on several threads (ReviewKit passes Dispatch's
    /// `concurrentPerform`; GitKit starts no thread); `nil`: one after the other.
    public var concurrently: (@Sendable (_ count: Int, _ body: @Sendable (Int) -> Void) -> Void)?
    /// The persistent index once loaded, so several questions in one run read its file once.
    let loaded = LoadedIndex()
    /// Folders (from the repository root) the caller expects to ask about: a persistent index
    /// that has to be built or widened covers them too, so that later questions find them
    /// covered. Only a hint: whatever is asked, a folder the index does not cover is added to
    /// it before it answers (``HistoryIndex/widen(by:database:progress:)``).
    /// Asked only then (it may read and parse a file).
    public var expectedFolders: (() -> [String])?

    public init(usesCache: Bool = true, progress: ProgressHandler? = nil) {
        self.usesCache = usesCache
        self.progress = progress
    }

    /// Lets go of the persistent index this engine (and its copies) loaded: a later question
    /// reads it again. For a reader done with history, so that what it does next reuses the
    /// memory (the index is the largest value a read of a long history holds).
    ///
    /// Returns what it held, for a caller that frees it later (a command-line process at its
    /// exit): only the caller's reference is then left.
    @discardableResult
    public func releaseIndex() -> Any {
        let held: (HistoryIndex?, [String: HistoryIndex]) = (loaded.index, loaded.scoped)
        loaded.index = nil
        loaded.scoped = [:]
        loaded.gitDirectory = nil
        return held
    }

    /// Holds the index one engine value (and its copies) loaded.
    final class LoadedIndex {
        var gitDirectory: String?
        var index: HistoryIndex?
        /// In-memory indexes of one top directory (a partial run's, never saved), by directory:
        /// the record log and the disclaimers' wordings both read `Reviews`, from one walk.
        var scoped: [String: HistoryIndex] = [:]
    }

    /// What pass 2 needs, from either a fresh comparison or the persistent index.
    struct Pass1 {
        var graph: CommitGraph
        /// Per commit, per parent: indices (into the revision's files) of paths that changed.
        var changes: CommitLists<Int32>
        /// Per commit: paths its first-parent comparison shows as only moved.
        var moved: [Set<Int32>]
        /// For tracked paths: the blob each change produced, keyed by `commit << 32 | path`.
        var blobs: [UInt64: ObjectID?]
        /// Commit metadata by index.
        var info: (Int32) throws(RepositoryError) -> CommitInfo
    }

    /// Computes the last change of every file below `directory` (such as `Articles`) at `revision`.
    ///
    /// - Parameter tracking: paths whose history is wanted further back: for each, the blobs
    ///   to look for. The walk keeps following such a path (through every parent of a merge
    ///   that changed it, as `git log -- <path>` does) until each listed blob has been the
    ///   result of a change, or history ends. Their changes are in ``LastChangeReport/histories``.
    /// - Parameter since: walk only the commits after this one (`since..revision`); paths whose
    ///   answer lies further back are listed in ``LastChangeReport/unresolved``. Ignored when the
    ///   persistent index already exists (it makes the whole walk cheap).
    /// - Parameter listed: `repository.files(under: directory, inTree:)` of the revision's tree,
    ///   where the caller has listed them already (``LastChangeReport/files`` are these, in order).
    /// - Throws: ``RepositoryError`` naming a missing or corrupt object.
    public func lastChanges(in repository: Repository, at revision: ObjectID, under directory: String, listed: [TreeFile]? = nil,
                            tracking: [GitPath: Set<ObjectID>] = [:], since: ObjectID? = nil) throws(RepositoryError) -> LastChangeReport {
        let database = try ObjectDatabase(repository)
        let headTree = try CommitGraph.parse(revision, database: database).0
        let files: [TreeFile]
        if let listed { files = listed } else { files = try repository.files(under: GitPath(directory), inTree: headTree) }
        var wanted: [Int32: Set<ObjectID>] = [:]

        let useIndex = usesCache && (since == nil || fileExists(HistoryCacheFile.path(in: repository, directory: Self.indexDirectory)))
        let pass1: Pass1
        if useIndex {
            // The revision's files by path; the folders that hold them (``PathScope``) are for
            // comparing trees, which the index has done.
            var fileNumbers: [GitPath: Int32] = [:]
            fileNumbers.reserveCapacity(files.count)
            for (i, file) in files.enumerated() { fileNumbers[file.path] = Int32(i) }
            for (path, blobs) in tracking { if let i = fileNumbers[path], !blobs.isEmpty { wanted[i] = blobs } }
            let index = try sharedIndex(in: repository, database: database, at: revision, covering: directory)
            pass1 = project(index, revision: revision, fileNumbers: fileNumbers, tracked: Set(wanted.keys))
        } else {
            let scope = PathScope(directory: directory, files: files.map(\.path))
            for (path, blobs) in tracking { if let i = scope.index[path], !blobs.isEmpty { wanted[i] = blobs } }
            let within = try since.map { (base) throws(RepositoryError) in
                Set(try repository.history(from: revision, order: .time, hiding: base)).union([revision])
            }
            let graph = try CommitGraph(tip: revision, database: database, shallow: repository.shallowBoundary(), within: within)
            pass1 = try changedPaths(graph: graph, scope: scope, database: database, wantBlobs: Set(wanted.keys), repository: repository)
        }
        let graph = pass1.graph
        var rootFiles: [Int32: [GitPath: ObjectID]] = [:]
        let walk = try propagate(graph: graph, order: graph.childrenFirstOrder(), changes: pass1.changes, pathCount: files.count,
                                 tracking: wanted) { (path: Int32, commit: Int32) throws(RepositoryError) -> ObjectID? in
            if let known = pass1.blobs[UInt64(UInt32(commit)) << 32 | UInt64(UInt32(path))] { return known }
            // A root commit was compared with nothing: list its files once.
            if rootFiles[commit] == nil {
                var map: [GitPath: ObjectID] = [:]
                for file in try repository.files(under: GitPath(directory), inTree: graph.trees[Int(commit)]) { map[file.path] = file.id }
                rootFiles[commit] = map
            }
            return rootFiles[commit]?[files[Int(path)].path]
        }

        // Each commit read once, and held in one box by every file it changed last (only the
        // box is looked up: a tuple with the commit beside it copied the commit's strings and
        // arrays for every file).
        var commits: [Int32: CommitBox] = [:]
        func box(_ c: Int32) throws(RepositoryError) -> CommitBox {
            if let known = commits[c] { return known }
            let box = CommitBox(try pass1.info(c))
            commits[c] = box
            return box
        }
        func info(_ c: Int32) throws(RepositoryError) -> CommitInfo {
            if let known = try box(c).value { return known }
            return try pass1.info(c)
        }
        var result: [FileLastChange] = []
        for (i, file) in files.enumerated() {
            let answer = walk.answers[i]
            result.append(FileLastChange(path: file.path, blob: file.id, kind: file.kind,
                                         commit: try answer.map { (c) throws(RepositoryError) in try box(c) } ?? .none,
                                         onlyMoved: answer.map { pass1.moved[Int($0)].contains(Int32(i)) } ?? false))
        }
        var histories: [GitPath: [FileRevision]] = [:]
        for (path, steps) in walk.histories {
            histories[files[Int(path)].path] = try steps.map { (step) throws(RepositoryError) in
                FileRevision(commit: try info(step.commit), blob: step.blob)
            }
        }
        var report = LastChangeReport(revision: revision, files: result, reachedShallowBoundary: walk.cutOff && (since == nil || useIndex),
                                      commitsWalked: graph.count, histories: histories,
                                      unresolved: Set(walk.cut.map { files[Int($0)].path }))
        report.mainLine = MainLine(index: graph.index, ids: graph.ids, arrivals: graph.mainLineArrivals())
        return report
    }

    /// The persistent index is one file and one commit graph from the root of the tree, so it
    /// serves every directory asked about (`Articles` for last changes, `Reviews` for the record
    /// log); it compares only the folders asked about (``HistoryIndex/scope``): on a monorepo
    /// the rest of the tree changes far more often than the content does.
    static let indexDirectory = ""

    /// The persistent index, loaded (when caches are used), widened to cover `folder` (and
    /// ``expectedFolders``) where it does not, and extended to `revision`; saved when it
    /// changed (when caches are used).
    func sharedIndex(in repository: Repository, database: ObjectDatabase, at revision: ObjectID,
                     covering folder: String) throws(RepositoryError) -> HistoryIndex {
        let shallow = repository.shallowBoundary()
        let cachePath = HistoryCacheFile.path(in: repository, directory: Self.indexDirectory)
        var index: HistoryIndex
        if loaded.gitDirectory == repository.gitDirectory, let known = loaded.index, known.shallow == shallow {
            index = known
        } else {
            index = (usesCache ? HistoryCacheFile.load(from: cachePath, directory: Self.indexDirectory, shallow: shallow) : nil)
                ?? HistoryIndex(directory: Self.indexDirectory, shallow: shallow, scope: [])
        }
        var changed = false
        let asked = GitPath(folder)
        if !index.covers(asked) {
            // The expected folders come along only with a folder that is missing: an index that
            // already answers is not compared again for a folder no one asked about yet.
            let folders = [asked] + (expectedFolders?() ?? []).map { GitPath($0) }
            do {
                changed = try index.widen(by: folders, database: database, progress: progress)
            } catch {
                // Widening compares every commit the index holds again, and it may hold some
                // that history no longer reaches (a force-push rewrote them) whose objects git
                // has since pruned. Built anew for the wider scope from what `revision` reaches
                // instead: a fault in an object that history does reach is met again there.
                index = HistoryIndex(directory: Self.indexDirectory, shallow: shallow, scope: index.scope + folders)
                changed = true
            }
        }
        precondition(index.covers(asked), "the history index covers the folder it answers for")
        if try index.extend(to: revision, database: database, progress: progress) > 0 { changed = true }
        if changed, usesCache {
            HistoryCacheFile.save(index, to: cachePath)
        }
        loaded.gitDirectory = repository.gitDirectory
        loaded.index = index
        return index
    }

    /// Runs `body(0)` and `body(1)`: at once through ``concurrently`` where the engine has it,
    /// else one after the other. The two parts must write disjoint state.
    func inTwoParts(_ body: @Sendable (Int) -> Void) {
        guard let concurrently else { return (0..<2).forEach(body) }
        concurrently(2, body)
    }

    /// Pass 1 from the persistent index: its changes restricted to the revision's files
    /// (`fileNumbers`: each one's index among them, by path).
    ///
    /// Done in two parts at once where the engine is given ``concurrently`` (each half of the
    /// paths, then the commits holding half the changes; a warm run's other core is idle
    /// meanwhile: this was 33 of the 484 samples a warm `status` on windows-powershell-docs took on
    /// its main thread); each part writes only its own elements.
    func project(_ index: HistoryIndex, revision: ObjectID, fileNumbers: [GitPath: Int32], tracked: Set<Int32>) -> Pass1 {
        // Each indexed path's file, looked up among the revision's files (fewer than the paths
        // history ever had, so the table is built of those).
        let paths = index.paths.values
        var toFile = [Int32](repeating: -1, count: paths.count)
        let count = index.count
        // Each part's lists, its commits in order (an array per commit and per parent was 20,000
        // allocations on windows-powershell-docs, on both cores, and as many frees).
        var parts = [FlatLists<Int32>](repeating: FlatLists(), count: 2)
        var moved = [Set<Int32>](repeating: [], count: count)
        var blobsOf = [[UInt64: ObjectID?]](repeating: [:], count: 2)
        let tracksAny = !tracked.isEmpty
        // Where the commits divide into two halves of the changes.
        let total = index.changes.allValues.count
        var split = 0
        var seen = 0
        while split < count, seen * 2 < total {
            seen += index.changes[split].reduce(0) { $0 + $1.count }
            split += 1
        }
        toFile.withUnsafeMutableBufferPointer { toFile in
            nonisolated(unsafe) let toFile = toFile
            inTwoParts { part in
                let half = paths.count / 2
                for p in part == 0 ? 0..<half : half..<paths.count { toFile[p] = fileNumbers[paths[p]] ?? -1 }
            }
        }
        parts.withUnsafeMutableBufferPointer { parts in
            moved.withUnsafeMutableBufferPointer { moved in
                blobsOf.withUnsafeMutableBufferPointer { blobsOf in
                    nonisolated(unsafe) let (parts, moved, blobsOf) = (parts, moved, blobsOf)
                    let (toFile, split, indexChanges, indexBlobs) = (toFile, split, index.changes, index.blobs)
                    inTwoParts { part in
                        for c in part == 0 ? 0..<split : split..<count {
                            for (k, list) in indexChanges[c].enumerated() {
                                parts[part].appendList { files in
                                    for change in list {
                                        let i = toFile[Int(change.path)]
                                        guard i >= 0 else { continue }
                                        if k == 0 {
                                            if change.moved { moved[c].insert(i) }
                                            if tracksAny, tracked.contains(i) { blobsOf[part][UInt64(UInt32(c)) << 32 | UInt64(UInt32(i))] = indexBlobs.blob(of: change) }
                                        }
                                        files.append(i)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        var lists = parts[0]
        lists.append(contentsOf: parts[1])
        // A list for every list of the index, commit after commit.
        guard let changes = CommitLists(lists: lists, counts: index.changes.listCounts) else {
            preconditionFailure("the projection has one list per list of the index")
        }
        var blobs = blobsOf[0]
        blobs.merge(blobsOf[1]) { first, _ in first }
        let graph = CommitGraph(ids: index.ids, trees: index.trees, parents: index.parents, isBoundary: index.isBoundary,
                                index: index.index, tip: index.index[revision]!)
        return Pass1(graph: graph, changes: changes, moved: moved, blobs: blobs, info: { index.info($0) })
    }

    /// Pass 1: for each commit and each of its parents, the indices of scope paths that differ.
    ///
    /// Root commits get no entry: every path pending there is answered by the root. The second
    /// result lists, per commit, the paths its first-parent comparison shows as moved (added
    /// with a blob removed from another path in the same commit).
    ///
    /// For paths in `wantBlobs`, also the blob each change produced, keyed by
    /// `commit << 32 | path` (the comparison with the first parent).
    func changedPaths(graph: CommitGraph, scope: PathScope, database: ObjectDatabase, wantBlobs: Set<Int32>,
                      repository: Repository) throws(RepositoryError) -> Pass1 {
        let oldestFirst = graph.childrenFirstOrder().reversed()
        var differ = TreeDiffer(database: database, scope: scope)
        differ.wantBlobs = wantBlobs
        var scopeTree = [ObjectID?](repeating: nil, count: graph.count)
        var result = CommitLists<Int32>()
        for _ in 0..<graph.count { result.appendCommit() }
        var moved = [Set<Int32>](repeating: [], count: graph.count)
        var blobs: [UInt64: ObjectID?] = [:]
        for c in oldestFirst {
            let commit = Int(c)
            let tree = try differ.subtree(at: scope.components, of: graph.trees[commit])
            scopeTree[commit] = tree
            var perParent: [[Int32]] = []
            for (k, p) in graph.parents[commit].enumerated() {
                // Moves are read from the first parent's comparison only; one into the directory
                // from elsewhere in the tree is found as the index finds it.
                differ.outerTrees = k == 0 && !scope.components.isEmpty ? (graph.trees[Int(p)], graph.trees[commit]) : nil
                let diff = try differ.changes(from: scopeTree[Int(p)], to: tree, moves: k == 0)
                perParent.append(diff.changed)
                if k == 0, !diff.moved.isEmpty { moved[commit] = Set(diff.moved) }
                if k == 0 { for (path, blob, _) in differ.newBlobs { blobs[UInt64(UInt32(c)) << 32 | UInt64(UInt32(path))] = blob } }
            }
            result.set(commit: commit, perParent)
        }
        return Pass1(graph: graph, changes: result, moved: moved, blobs: blobs, info: { (c) throws(RepositoryError) in
            try repository.commit(graph.ids[Int(c)])
        })
    }

    struct Walk {
        /// Each path's last change (commit index); `nil` where history ended at a shallow boundary.
        var answers: [Int32?]
        var cutOff = false
        /// Paths still being followed when a boundary ended their walk.
        var cut: Set<Int32> = []
        /// For tracked paths: their changes, newest first, with the blob each produced.
        var histories: [Int32: [(commit: Int32, blob: ObjectID?)]] = [:]
    }

    /// Pass 2: carries each path down its simplified history to its last change, and tracked
    /// paths further, until their wanted blobs are found.
    func propagate(graph: CommitGraph, order: [Int32], changes: CommitLists<Int32>, pathCount: Int,
                   tracking: [Int32: Set<ObjectID>],
                   blobAt: (Int32, Int32) throws(RepositoryError) -> ObjectID?) throws(RepositoryError) -> Walk {
        var walk = Walk(answers: [Int32?](repeating: nil, count: pathCount))
        var stillWanted = tracking
        var pending = [Set<Int32>?](repeating: nil, count: graph.count)
        pending[Int(graph.tip)] = Set(0..<Int32(pathCount))
        var open = pathCount

        func send(_ paths: consuming Set<Int32>, to parent: Int32) {
            let p = Int(parent)
            if var existing = pending[p].take() {
                if existing.count < paths.count { swap(&existing, &paths) }
                existing.formUnion(paths)
                pending[p] = existing
            } else {
                pending[p] = paths
            }
        }

        /// Records that `path` changed at commit `c`; returns whether to keep following it.
        func land(_ path: Int32, at c: Int32, isRoot: Bool = false) throws(RepositoryError) -> Bool {
            if walk.answers[Int(path)] == nil { walk.answers[Int(path)] = c }
            guard var wanted = stillWanted[path] else { return false }
            let blob = try blobAt(path, c)
            // A tracked path followed past its creation reaches the root without existing there.
            if isRoot, blob == nil { return false }
            walk.histories[path, default: []].append((c, blob))
            if let blob { wanted.remove(blob) }
            stillWanted[path] = wanted.isEmpty ? nil : wanted
            return !wanted.isEmpty
        }

        for c in order where open > 0 {
            let commit = Int(c)
            guard var paths = pending[commit].take(), !paths.isEmpty else { continue }
            let parents = graph.parents[commit]
            if parents.isEmpty {
                // A root commit answers every path still pending, unless its real parents
                // lie beyond a shallow boundary: then the answer cannot be known.
                if graph.isBoundary[commit] {
                    walk.cutOff = true
                    walk.cut.formUnion(paths)
                } else {
                    for path in paths { _ = try land(path, at: c, isRoot: true) }
                }
                open -= paths.count
                continue
            }
            let perParent = changes[commit]
            if parents.count == 1 {
                for path in perParent[0] where paths.contains(path) {
                    if try !land(path, at: c) {
                        paths.remove(path)
                        open -= 1
                    }
                }
                send(paths, to: parents[0])
                continue
            }
            // A merge: paths unchanged against the first parent follow it; each other path
            // follows the first parent it is unchanged against, or the merge changed it.
            let changedAgainst = perParent.map(Set.init)
            var toParent = [Set<Int32>](repeating: [], count: parents.count)
            for path in perParent[0] where paths.remove(path) != nil {
                if let k = changedAgainst.indices.dropFirst().first(where: { !changedAgainst[$0].contains(path) }) {
                    toParent[k].insert(path)
                } else if try land(path, at: c) {
                    // Followed further, like `git log -- <path>`: into every parent.
                    open += parents.count - 1
                    for k in toParent.indices { toParent[k].insert(path) }
                } else {
                    open -= 1
                }
            }
            send(paths, to: parents[0])
            for (k, set) in toParent.enumerated() where !set.isEmpty { send(set, to: parents[k]) }
        }
        return walk
    }
}

/// The paths the engine answers for.
struct PathScope {
    /// The directory's path components, such as `["Articles"]`.
    let components: [String]
    /// The directory with a trailing slash, such as `Articles/`.
    let prefix: GitPath
    /// The paths, all below `prefix`.
    let files: [GitPath]
    /// Path → index into `files`.
    let index: [GitPath: Int32]

    init(directory: String, files: [GitPath]) {
        components = directory.split(separator: "/").map(String.init)
        prefix = GitPath(components.joined(separator: "/")).appendingSlash
        self.files = files
        var index: [GitPath: Int32] = [:]
        index.reserveCapacity(files.count)
        for (i, path) in files.enumerated() { index[path] = Int32(i) }
        self.index = index
    }
}

func fileExists(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0
}
