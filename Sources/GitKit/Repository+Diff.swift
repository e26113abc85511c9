import CGit2
import Paths

/// A unified diff between two revisions of one file.
public struct FilePatch: Sendable, Equatable {
    /// The patch text (`diff --git …`, hunks), empty when the revisions are equal.
    public var text: String
    public var linesAdded: Int
    public var linesRemoved: Int
}

/// Owns a `git_patch` and frees it once.
private struct PatchHandle: ~Copyable {
    let raw: OpaquePointer
    deinit { git_patch_free(raw) }
}

/// Owns a `git_blob` (or nothing, for an absent side) and frees it once.
private struct BlobHandle: ~Copyable {
    let raw: OpaquePointer?
    deinit { if let raw { git_blob_free(raw) } }
}

extension Repository {
    /// The unified diff of `path` from blob `old` to blob `new` (`nil`: absent), with
    /// three lines of context.
    ///
    /// Wraps `git_patch_from_blobs`, `git_patch_line_stats` and `git_patch_to_buf`.
    public func patch(from old: ObjectID?, to new: ObjectID?, path: GitPath) throws(RepositoryError) -> FilePatch {
        let oldBlob = try lookupBlob(old)
        let newBlob = try lookupBlob(new)
        var options = git_diff_options()
        git_diff_options_init(&options, UInt32(GIT_DIFF_OPTIONS_VERSION))
        options.context_lines = 3
        var raw: OpaquePointer?
        let made = path.withCString { git_patch_from_blobs(&raw, oldBlob.raw, $0, newBlob.raw, $0, &options) }
        guard made >= 0, let raw else { throw .git(GitError.last(code: made)) }
        let patch = PatchHandle(raw: raw)
        var context = 0, added = 0, removed = 0
        try check(git_patch_line_stats(&context, &added, &removed, patch.raw))
        var buffer = git_buf()
        defer { git_buf_dispose(&buffer) }
        try check(git_patch_to_buf(&buffer, patch.raw))
        let text = buffer.ptr.map { String(cString: $0) } ?? ""
        return FilePatch(text: text, linesAdded: added, linesRemoved: removed)
    }

    private func lookupBlob(_ id: ObjectID?) throws(RepositoryError) -> BlobHandle {
        guard let id else { return BlobHandle(raw: nil) }
        var oid = id.oid
        var blob: OpaquePointer?
        let result = git_blob_lookup(&blob, raw, &oid)
        guard result >= 0, let blob else { throw classify(GitError.last(code: result), id: id) }
        return BlobHandle(raw: blob)
    }

    private func check(_ result: Int32) throws(RepositoryError) {
        guard result >= 0 else { throw .git(GitError.last(code: result)) }
    }

    /// Paths below `directory` whose entries differ between the trees of two commits (`nil`:
    /// none), compared entry by entry with equal subtrees skipped by id.
    public func changedFiles(from old: ObjectID?, to new: ObjectID?, under directory: String) throws(RepositoryError) -> [GitPath] {
        let database = try ObjectDatabase(self)
        let components = directory.split(separator: "/").map(String.init)
        var differ = TreeDiffer(database: database, scope: PathScope(directory: directory, files: []))
        let oldTree = try old.flatMap { (c) throws(RepositoryError) in try differ.subtree(at: components, of: commit(c).tree) }
        let newTree = try new.flatMap { (c) throws(RepositoryError) in try differ.subtree(at: components, of: commit(c).tree) }
        var changed: [GitPath] = []
        try database.diff(oldTree, newTree, prefix: GitPath(components.joined(separator: "/")).appendingSlash, into: &changed)
        return changed.sorted()
    }
}

extension ObjectDatabase {
    /// Appends the paths whose entries differ between two trees, descending only into
    /// subtrees whose ids differ.
    func diff(_ old: ObjectID?, _ new: ObjectID?, prefix: GitPath, into out: inout [GitPath]) throws(RepositoryError) {
        guard old != new else { return }
        func entries(_ id: ObjectID?) throws(RepositoryError) -> [GitPath: TreeFile] {
            guard let id else { return [:] }
            return try read(id, expected: GIT_OBJECT_TREE).withTree(id) { (cursor: inout RawTreeCursor) throws(RepositoryError) -> [GitPath: TreeFile] in
                var map: [GitPath: TreeFile] = [:]
                while let entry = try cursor.next() {
                    let name = entry.path(under: "")
                    map[name] = TreeFile(path: name, id: entry.id, kind: entry.kind)
                }
                return map
            }
        }
        let before = try entries(old), after = try entries(new)
        for name in Set(before.keys).union(after.keys) {
            let a = before[name], b = after[name]
            guard a != b else { continue }
            let aTree = a?.kind == .tree ? a?.id : nil, bTree = b?.kind == .tree ? b?.id : nil
            if (a != nil && aTree == nil) || (b != nil && bTree == nil) { out.append(prefix + name) }
            if aTree != nil || bTree != nil { try diff(aTree, bTree, prefix: prefix + name + "/", into: &out) }
        }
    }
}
