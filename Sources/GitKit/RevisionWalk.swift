import CGit2

/// The order in which ``Repository/history(from:order:limit:)`` lists commits.
public enum WalkOrder: Sendable {
    /// Every commit before its parents; among those, newer committer dates first.
    /// Robust to clock skew: a parent never comes before its child.
    case topological
    /// Newest committer date first, as `git log` does by default. With clock skew a parent
    /// can come before its child.
    case time

    var flags: UInt32 {
        switch self {
        case .topological: GIT_SORT_TOPOLOGICAL.rawValue | GIT_SORT_TIME.rawValue
        case .time: GIT_SORT_TIME.rawValue
        }
    }
}

/// A libgit2 revision walker with a single owner; freed exactly once when it goes away.
private struct RevisionWalker: ~Copyable {
    let raw: OpaquePointer

    init(_ repository: Repository) throws(RepositoryError) {
        var walk: OpaquePointer?
        let result = git_revwalk_new(&walk, repository.raw)
        guard result >= 0, let walk else { throw .git(GitError.last(code: result)) }
        raw = walk
    }

    deinit { git_revwalk_free(raw) }
}

extension Repository {
    /// Commit ids reachable from `tip`, in `order`, at most `limit` of them.
    ///
    /// Wraps `git_revwalk_new`, `git_revwalk_sorting`, `git_revwalk_push` and `git_revwalk_next`.
    /// - Parameter hiding: a commit whose ancestors (and itself) are left out, as in `git log base..tip`.
    public func history(from tip: ObjectID, order: WalkOrder, limit: Int = .max, hiding: ObjectID? = nil) throws(RepositoryError) -> [ObjectID] {
        let walker = try RevisionWalker(self)
        return try withExtendedLifetime(self) { () throws(RepositoryError) -> [ObjectID] in
            var result = git_revwalk_sorting(walker.raw, order.flags)
            guard result >= 0 else { throw .git(GitError.last(code: result)) }
            var start = tip.oid
            result = git_revwalk_push(walker.raw, &start)
            guard result >= 0 else { throw classify(GitError.last(code: result), id: tip) }
            if let hiding {
                var hidden = hiding.oid
                result = git_revwalk_hide(walker.raw, &hidden)
                guard result >= 0 else { throw classify(GitError.last(code: result), id: hiding) }
            }
            var ids: [ObjectID] = []
            var oid = git_oid()
            while ids.count < limit {
                let next = git_revwalk_next(&oid, walker.raw)
                if next == GIT_ITEROVER.rawValue { break }
                guard next >= 0 else { throw classify(GitError.last(code: next), id: nil) }
                ids.append(ObjectID(oid))
            }
            return ids
        }
    }
}

extension Repository {
    /// Whether `descendant` is `ancestor` or descends from it; `false` when either commit is
    /// not in the repository (history rewritten and the old commits gone). Wraps
    /// `git_graph_descendant_of`.
    public func contains(_ ancestor: ObjectID, in descendant: ObjectID) -> Bool {
        if ancestor == descendant { return true }
        var a = ancestor.oid, d = descendant.oid
        let result = git_graph_descendant_of(raw, &d, &a)
        if result < 0 { git_error_clear() }
        return result == 1
    }

    /// The best common ancestor of `commits` (`git merge-base --octopus`); `nil` when they share
    /// none or one is missing (a shallow clone's boundary). Wraps `git_merge_base_many`.
    public func mergeBase(of commits: [ObjectID]) -> ObjectID? {
        guard commits.count > 1 else { return commits.first }
        var oids = commits.map(\.oid)
        var out = git_oid()
        let result = oids.withUnsafeMutableBufferPointer { git_merge_base_octopus(&out, raw, $0.count, $0.baseAddress) }
        guard result == 0 else { git_error_clear(); return nil }
        return ObjectID(out)
    }
}
