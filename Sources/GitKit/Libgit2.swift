import CGit2

/// Process-wide libgit2 setup, done once and never undone.
///
/// Every GitKit entry point that touches libgit2 calls ``Libgit2/ensureInitialized()`` first.
/// libgit2 is never shut down: other threads may still hold handles when the process exits.
enum Libgit2 {
    /// Opens when a thread begins setting libgit2 up (``Repository/waitForLibgit2SetUpToBegin()``).
    static let begun = Latch()

    private static let initialized: Void = {
        begun.open()
        git_libgit2_init()
        // Durability: fsync objects, refs and the index when written.
        _ = review_git_enable_fsync_gitdir(1)
        // Like git itself, do not re-hash every object read: at 50k commits of 600 KB trees
        // that is most of the run. Corruption still fails inflation or parsing, `review verify`
        // checks signed content by its own SHA-256, and `git fsck` checks ids.
        _ = review_git_enable_strict_hash_verification(0)
        // Keep memory bounded on large repositories: pack files mapped in 32 MiB windows (the
        // 64-bit default maps up to 1 GiB at once), at most 128 MiB of them at a time (libgit2
        // unmaps the least recently used), and 64 MiB of cached objects.
        _ = review_git_set_mwindow_size(32 << 20)
        _ = review_git_set_mwindow_mapped_limit(128 << 20)
        _ = review_git_set_cache_max_size(64 << 20)
    }()

    static func ensureInitialized() {
        _ = initialized
    }
}
