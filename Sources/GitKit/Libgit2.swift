import CGit2

/// Process-wide libgit2 setup, done once and never undone.
///
/// Every GitKit entry point that touches libgit2 calls ``Libgit2/ensureInitialized()`` first.
/// libgit2 is never shut down: other threads may still hold handles when the process exits.
enum Libgit2 {
    private static let initialized: Void = {
        git_libgit2_init()
        // Durability: fsync objects, refs and the index when written.
        _ = review_git_enable_fsync_gitdir(1)
        // Like git itself, do not re-hash every object read: at 50k commits of 600 KB trees
        // that is most of the run. Corruption still fails inflation or parsing, `review verify`
        // checks signed content by its own SHA-256, and `git fsck` checks ids.
        _ = review_git_enable_strict_hash_verification(0)
    }()

    static func ensureInitialized() {
        _ = initialized
    }
}
