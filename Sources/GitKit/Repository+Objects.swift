import CGit2
import Paths

/// What kind of object a tree entry names.
public enum EntryKind: Sendable, Hashable {
    case blob
    case executable
    case symlink
    case tree
    case submodule

    init(mode: UInt32) {
        switch mode & 0o170000 {
        case 0o040000: self = .tree
        case 0o120000: self = .symlink
        case 0o160000: self = .submodule
        default: self = (mode & 0o111) != 0 ? .executable : .blob
        }
    }
}

/// A file found in a tree: its path from the tree's root, its kind and its object id.
public struct TreeFile: Sendable, Hashable {
    public var path: GitPath
    public var id: ObjectID
    public var kind: EntryKind
}

extension Repository {
    /// Resolves a revision expression (`HEAD`, `main~3`, an id) to a commit id.
    ///
    /// Wraps `git_revparse_single` and `git_object_peel`.
    public func resolveCommit(_ revision: String) throws(RepositoryError) -> ObjectID {
        var object: OpaquePointer?
        let result = git_revparse_single(&object, raw, revision)
        guard result >= 0, let object else {
            let error = GitError.last(code: result)
            if error.code == .notFound || error.code == .invalidSpec || error.code == .ambiguous
                || error.errorClass == .invalid {
                throw .unknownRevision(revision, error)
            }
            throw classify(error, id: nil)
        }
        defer { git_object_free(object) }
        var commit: OpaquePointer?
        let peeled = git_object_peel(&commit, object, GIT_OBJECT_COMMIT)
        guard peeled >= 0, let commit else { throw .unknownRevision(revision, GitError.last(code: peeled)) }
        defer { git_object_free(commit) }
        return ObjectID(git_object_id(commit).pointee)
    }

    /// Reads a commit's metadata. Wraps `git_commit_lookup`.
    public func commit(_ id: ObjectID) throws(RepositoryError) -> CommitInfo {
        var oid = id.oid
        var commit: OpaquePointer?
        let result = git_commit_lookup(&commit, raw, &oid)
        guard result >= 0, let commit else { throw classify(GitError.last(code: result), id: id) }
        defer { git_commit_free(commit) }
        var parents: [ObjectID] = []
        for i in 0..<git_commit_parentcount(commit) {
            parents.append(ObjectID(git_commit_parent_id(commit, i).pointee))
        }
        return CommitInfo(
            id: id,
            tree: ObjectID(git_commit_tree_id(commit).pointee),
            parents: parents,
            author: Signature(git_commit_author(commit)),
            committer: Signature(git_commit_committer(commit)),
            message: git_commit_message(commit).map { String(cString: $0) } ?? ""
        )
    }

    /// Reads a blob's bytes: a packed one through the pack reader (libdeflate, no libgit2
    /// object made and cached: a cold parse reads every article's blob this way, on every core),
    /// anything else with `git_blob_lookup` and `git_blob_rawcontent`, which also gives the
    /// error for an object that is not there or not a blob.
    public func blob(_ id: ObjectID) throws(RepositoryError) -> [UInt8] {
        if let packed = packs.read(id), packed.type == GIT_OBJECT_BLOB { return packed.bytes }
        var oid = id.oid
        var blob: OpaquePointer?
        let result = git_blob_lookup(&blob, raw, &oid)
        guard result >= 0, let blob else { throw classify(GitError.last(code: result), id: id) }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        guard size > 0, let content = git_blob_rawcontent(blob) else { return [] }
        return Array(UnsafeRawBufferPointer(start: content, count: size))
    }

    /// The entry at `path` in a commit's tree, or `nil` when there is none.
    ///
    /// Wraps `git_tree_entry_bypath`.
    public func entry(at path: GitPath, inCommit commitID: ObjectID) throws(RepositoryError) -> TreeFile? {
        try entry(at: path, inTree: commit(commitID).tree)
    }

    /// The entry at `path` in a tree, or `nil` when there is none.
    public func entry(at path: GitPath, inTree treeID: ObjectID) throws(RepositoryError) -> TreeFile? {
        var oid = treeID.oid
        var tree: OpaquePointer?
        let result = git_tree_lookup(&tree, raw, &oid)
        guard result >= 0, let tree else { throw classify(GitError.last(code: result), id: treeID) }
        defer { git_tree_free(tree) }
        var entry: OpaquePointer?
        // A path with a NUL byte cannot be in a tree (git's names end at NUL).
        guard !path.bytes.contains(0) else { return nil }
        let found = path.withCString { git_tree_entry_bypath(&entry, tree, $0) }
        if found == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return nil
        }
        guard found >= 0, let entry else { throw .git(GitError.last(code: found)) }
        defer { git_tree_entry_free(entry) }
        return TreeFile(
            path: path,
            id: ObjectID(git_tree_entry_id(entry).pointee),
            kind: EntryKind(mode: git_tree_entry_filemode(entry).rawValue)
        )
    }

    /// The bytes of the blob at `path` in a commit, or `nil` when the path is absent or not a file.
    public func fileContents(at path: GitPath, inCommit commitID: ObjectID) throws(RepositoryError) -> (id: ObjectID, bytes: [UInt8])? {
        guard let entry = try entry(at: path, inCommit: commitID),
              entry.kind == .blob || entry.kind == .executable else { return nil }
        return (entry.id, try blob(entry.id))
    }

    /// Every entry below `prefix` (a directory path without trailing slash; empty for the root)
    /// in a tree, recursively, in git's tree order. Subtrees are listed by their files;
    /// submodules and symlinks are listed as entries of their kind.
    public func files(under prefix: GitPath, inTree treeID: ObjectID) throws(RepositoryError) -> [TreeFile] {
        let start: ObjectID
        if prefix.isEmpty {
            start = treeID
        } else {
            guard let dir = try entry(at: prefix, inTree: treeID), dir.kind == .tree else { return [] }
            start = dir.id
        }
        let odb = try ObjectDatabase(self)
        var out: [TreeFile] = []
        try odb.listFiles(tree: start, prefix: prefix.appendingSlash, into: &out)
        return out
    }

    /// Turns a libgit2 failure while reading `id` into the matching ``RepositoryError``.
    func classify(_ error: GitError, id: ObjectID?) -> RepositoryError {
        guard let id else { return .git(error) }
        if error.code == .notFound { return .missingObject(id, error) }
        switch error.errorClass {
        case .zlib, .odb, .object, .tree, .sha, .invalid: return .corruptObject(id, error.message)
        default: return .git(error)
        }
    }
}
