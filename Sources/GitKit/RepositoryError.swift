/// A repository problem a person can act on, each with the libgit2 error behind it where there is one.
public enum RepositoryError: Error, Sendable, Equatable {
    /// Neither the path nor any directory above it (when discovering) is a git repository.
    case notARepository(path: String)
    /// libgit2 refuses a repository owned by another user (libgit2 reports this as "not found").
    case notOwnedByCurrentUser(path: String, GitError)
    /// The repository has no commits yet.
    case empty(path: String)
    /// An object that history or a tree names is absent from the object database.
    case missingObject(ObjectID, GitError)
    /// An object exists but cannot be read or parsed.
    case corruptObject(ObjectID, String)
    /// A revision expression that names no commit.
    case unknownRevision(String, GitError)
    /// A compare-and-swap on a reference failed because someone else moved it.
    case referenceMoved(name: String)
    /// The operation needs a branch, and HEAD is detached.
    case detachedHead
    /// The caller stopped a write because what it depended on changed (the reason says what).
    case aborted(String)
    /// Any other libgit2 failure.
    case git(GitError)

    /// A one-line explanation with what to do, for people.
    public var explanation: String {
        switch self {
        case .notARepository(let path):
            "'\(path)' is not inside a git repository; run from a content repository or pass --repo PATH"
        case .notOwnedByCurrentUser(let path, _):
            "the repository at '\(path)' is owned by another user, so libgit2 refuses it as unsafe; "
                + "run as its owner, or trust it with: git config --global --add safe.directory '\(path)'"
        case .empty(let path):
            "the repository at '\(path)' has no commits yet; commit the articles first"
        case .missingObject(let id, _):
            "object \(id.hex) is missing from the repository; it is damaged or a partial clone: "
                + "run 'git fsck' and fetch or restore the object"
        case .corruptObject(let id, let detail):
            "object \(id.hex) is corrupt (\(detail)); run 'git fsck' and restore it from another clone"
        case .unknownRevision(let revision, _):
            "'\(revision)' names no commit in this repository; check the spelling or fetch it"
        case .referenceMoved(let name):
            "\(name) was moved by someone else while this ran; run the command again"
        case .detachedHead:
            "HEAD is detached; check out a branch first (git switch BRANCH)"
        case .aborted(let reason):
            reason
        case .git(let error) where error.message.contains("No space left on device"):
            "the disk is full (\(error.message)); free some space and run the command again"
        case .git(let error) where error.message.contains("Permission denied") || error.message.contains("Read-only file system"):
            "cannot write to the repository (\(error.message)); run as a user who may write to it"
        case .git(let error):
            "git error: \(error.message)"
        }
    }
}

extension RepositoryError: CustomStringConvertible {
    public var description: String { explanation }
}
