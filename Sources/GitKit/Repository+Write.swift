import CGit2
import Paths
#if canImport(Glibc)
import Glibc
#endif

/// One change to a tree: write `contents` at `path`, or remove `path` when `contents` is `nil`.
public struct FileChange: Sendable, Hashable {
    public var path: GitPath
    public var contents: [UInt8]?

    public init(path: GitPath, contents: [UInt8]?) {
        self.path = path
        self.contents = contents
    }

    public static func write(_ path: GitPath, _ text: String) -> FileChange {
        FileChange(path: path, contents: Array(text.utf8))
    }

    public static func remove(_ path: GitPath) -> FileChange {
        FileChange(path: path, contents: nil)
    }
}

extension Repository {
    /// Stores bytes as a blob. Wraps `git_blob_create_from_buffer`.
    public func writeBlob(_ bytes: [UInt8]) throws(RepositoryError) -> ObjectID {
        var oid = git_oid()
        let result = bytes.withUnsafeBytes { git_blob_create_from_buffer(&oid, raw, $0.baseAddress, $0.count) }
        guard result >= 0 else { throw .git(GitError.last(code: result)) }
        return ObjectID(oid)
    }

    /// Builds a tree in memory: `base` (or the empty tree) with `changes` applied; nothing
    /// touches the index or the work tree.
    ///
    /// Wraps `git_tree_create_updated`.
    public func buildTree(base: ObjectID?, changes: [FileChange]) throws(RepositoryError) -> ObjectID {
        var blobs: [(path: GitPath, blob: ObjectID?)] = []
        for change in changes {
            blobs.append((change.path, try change.contents.map { (c) throws(RepositoryError) in try writeBlob(c) }))
        }
        return try buildTree(base: base, blobs: blobs)
    }

    /// The id of the empty tree, written if needed. Wraps `git_treebuilder_write`.
    func emptyTree() throws(RepositoryError) -> ObjectID {
        var builder: OpaquePointer?
        let created = git_treebuilder_new(&builder, raw, nil)
        guard created >= 0, let builder else { throw .git(GitError.last(code: created)) }
        defer { git_treebuilder_free(builder) }
        var oid = git_oid()
        let result = git_treebuilder_write(&oid, builder)
        guard result >= 0 else { throw .git(GitError.last(code: result)) }
        return ObjectID(oid)
    }

    /// Writes a commit object without moving any reference. Wraps `git_commit_create`.
    public func createCommit(tree: ObjectID, parents: [ObjectID], author: Signature, committer: Signature, message: String) throws(RepositoryError) -> ObjectID {
        var treeOID = tree.oid
        var treeHandle: OpaquePointer?
        let found = git_tree_lookup(&treeHandle, raw, &treeOID)
        guard found >= 0, let treeHandle else { throw classify(GitError.last(code: found), id: tree) }
        defer { git_tree_free(treeHandle) }
        var parentHandles: [OpaquePointer?] = []
        defer { parentHandles.forEach { git_commit_free($0) } }
        for parent in parents {
            var oid = parent.oid
            var handle: OpaquePointer?
            let result = git_commit_lookup(&handle, raw, &oid)
            guard result >= 0 else { throw classify(GitError.last(code: result), id: parent) }
            parentHandles.append(handle)
        }
        return try author.withRaw { (authorSig) throws(RepositoryError) -> ObjectID in
            try committer.withRaw { (committerSig) throws(RepositoryError) -> ObjectID in
                var out = git_oid()
                let result = parentHandles.withUnsafeMutableBufferPointer { buffer in
                    git_commit_create(&out, raw, nil, authorSig, committerSig, nil, message, treeHandle,
                                      buffer.count, buffer.baseAddress)
                }
                guard result >= 0 else { throw .git(GitError.last(code: result)) }
                return ObjectID(out)
            }
        }
    }

    /// The commit a reference points at, or `nil` when it does not exist.
    ///
    /// Wraps `git_reference_name_to_id`.
    public func referenceTarget(_ name: String) throws(RepositoryError) -> ObjectID? {
        var oid = git_oid()
        let result = git_reference_name_to_id(&oid, raw, name)
        if result == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        guard result >= 0 else { throw .git(GitError.last(code: result)) }
        return ObjectID(oid)
    }

    /// Moves (or creates) a reference with compare-and-swap: it succeeds only when the
    /// reference still points at `expected` (`nil`: does not exist yet).
    ///
    /// Wraps `git_reference_create_matching`; the ref is written under its lock file and fsynced.
    /// - Throws: ``RepositoryError/referenceMoved(name:)`` when someone else moved it first.
    public func updateReference(_ name: String, to id: ObjectID, expected: ObjectID?, message: String) throws(RepositoryError) {
        var target = id.oid
        var ref: OpaquePointer?
        let result: Int32
        if var current = expected?.oid {
            result = git_reference_create_matching(&ref, raw, name, &target, 1, &current, message)
        } else {
            result = git_reference_create(&ref, raw, name, &target, 0, message)
        }
        if let ref { git_reference_free(ref) }
        guard result >= 0 else {
            let error = GitError.last(code: result)
            if error.code == .modified || error.code == .exists || error.code == .locked {
                throw .referenceMoved(name: name)
            }
            throw .git(error)
        }
    }

    /// The branch HEAD names (`refs/heads/…`), even when it has no commit yet.
    ///
    /// - Throws: ``RepositoryError/detachedHead`` when HEAD is detached.
    public func currentBranch() throws(RepositoryError) -> String {
        switch try head() {
        case .branch(let name, _), .unborn(let name): return name
        case .detached: throw .detachedHead
        }
    }

    /// Commits `changes` onto `branch` (the tip it had when `makeChanges` ran) and moves it with
    /// compare-and-swap, holding the ``withWriteLock(_:)`` lock so review writers take turns
    /// (the compare-and-swap still guards against other git programs). When `branch` is the checked-out branch of a work tree, the index and
    /// the changed files in the work tree follow (files the user modified are left alone).
    ///
    /// - Parameter makeChanges: given the branch tip (nil when unborn), returns the changes;
    ///   called again with the new tip when another writer moved the branch in between.
    /// - Returns: the new commit.
    @discardableResult
    public func commit(onto branch: String, author: Signature, committer: Signature, message: String,
                       attempts: Int = 8,
                       makeChanges: (ObjectID?) throws(RepositoryError) -> [FileChange]) throws(RepositoryError) -> ObjectID {
        try withWriteJournal(lockFiles: [branch + ".lock", "index.lock"]) { (journal) throws(RepositoryError) -> ObjectID in
            try commitLocked(onto: branch, author: author, committer: committer, message: message,
                             attempts: attempts, journal: journal, makeChanges: makeChanges)
        }
    }

    private func commitLocked(onto branch: String, author: Signature, committer: Signature, message: String,
                              attempts: Int, journal: WriteJournal,
                              makeChanges: (ObjectID?) throws(RepositoryError) -> [FileChange]) throws(RepositoryError) -> ObjectID {
        var attempt = 0
        while true {
            attempt += 1
            let tip = try referenceTarget(branch)
            let changes = try makeChanges(tip)
            // The user's own uncommitted work on a path this commit writes would leave HEAD,
            // index and work tree disagreeing: refuse instead, before anything is written.
            if !isBare, case .branch(let headBranch, _) = try head(), headBranch == branch {
                for change in changes where try hasUncommittedChange(change.path) {
                    throw .aborted("\(change.path) has uncommitted changes (staged or not); commit or stash them, then run the command again")
                }
            }
            let baseTree = try tip.map { (t) throws(RepositoryError) in try commit(t).tree }
            let tree = try buildTree(base: baseTree, changes: changes)
            let id = try createCommit(tree: tree, parents: tip.map { [$0] } ?? [], author: author, committer: committer, message: message)
            // If this process dies after the ref moves, the next writer finishes the work tree.
            journal.note("sync \(branch) \(baseTree?.hex ?? "-") \(id.hex)")
            do {
                try updateReference(branch, to: id, expected: tip, message: "review: " + message.prefix { $0 != "\n" })
            } catch .referenceMoved(let name) {
                if attempt >= attempts { throw .referenceMoved(name: name) }
                usleep(UInt32(1000 * attempt * attempt))
                continue
            }
            if !isBare, case .branch(let headBranch, _) = try head(), headBranch == branch {
                try syncWorkTree(changes: changes, oldTree: baseTree)
            }
            return id
        }
    }
}

extension Repository {
    /// Whether a path differs between HEAD, the index and the work tree (anything `git status`
    /// would list for it, untracked files included; ignored files are not the user's work).
    /// Wraps `git_status_file`.
    func hasUncommittedChange(_ path: GitPath) throws(RepositoryError) -> Bool {
        var flags: UInt32 = 0
        let result = path.withCString { git_status_file(&flags, raw, $0) }
        if result == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return false
        }
        guard result >= 0 else { throw .git(GitError.last(code: result)) }
        return flags != GIT_STATUS_CURRENT.rawValue && flags & GIT_STATUS_IGNORED.rawValue == 0
    }

    /// Points HEAD at a branch (which need not exist yet). Wraps `git_repository_set_head`
    /// for existing branches and `git_reference_symbolic_create` for unborn ones.
    public func setHead(branch: String) throws(RepositoryError) {
        var ref: OpaquePointer?
        let result = git_reference_symbolic_create(&ref, raw, "HEAD", branch, 1, "review: set HEAD")
        if let ref { git_reference_free(ref) }
        guard result >= 0 else { throw .git(GitError.last(code: result)) }
    }

    /// Detaches HEAD at a commit. Wraps `git_repository_set_head_detached`.
    public func detachHead(at id: ObjectID) throws(RepositoryError) {
        var oid = id.oid
        let result = git_repository_set_head_detached(raw, &oid)
        guard result >= 0 else { throw classify(GitError.last(code: result), id: id) }
    }
}

extension Repository {
    /// Builds a tree in memory from blobs that already exist: `base` (or the empty tree) with
    /// each path set to its blob, or removed when the blob is `nil`.
    ///
    /// Wraps `git_tree_create_updated`.
    public func buildTree(base: ObjectID?, blobs: [(path: GitPath, blob: ObjectID?)]) throws(RepositoryError) -> ObjectID {
        let baseID: ObjectID
        if let base { baseID = base } else { baseID = try emptyTree() }
        var baseOID = baseID.oid
        var tree: OpaquePointer?
        let found = git_tree_lookup(&tree, raw, &baseOID)
        guard found >= 0, let tree else { throw classify(GitError.last(code: found), id: baseID) }
        defer { git_tree_free(tree) }
        let paths = blobs.map { $0.path.withCString { strdup($0) } }
        defer { paths.forEach { free($0) } }
        var updates: [git_tree_update] = blobs.indices.map { i in
            git_tree_update(action: blobs[i].blob == nil ? GIT_TREE_UPDATE_REMOVE : GIT_TREE_UPDATE_UPSERT,
                            id: blobs[i].blob?.oid ?? git_oid(), filemode: GIT_FILEMODE_BLOB, path: UnsafePointer(paths[i]))
        }
        var out = git_oid()
        let result = git_tree_create_updated(&out, raw, tree, updates.count, &updates)
        guard result >= 0 else { throw .git(GitError.last(code: result)) }
        return ObjectID(out)
    }
}
