import CMimalloc
import Glibc

/// The allocator's settings for this process, made before anything else allocates much.
enum Allocator {
    /// Whether a command line's process asks mimalloc for large (2 MiB) pages: every command
    /// but `serve`, unless `MIMALLOC_LARGE_OS_PAGES` in the environment already says.
    ///
    /// A one-command process allocates a few hundred megabytes and then exits: in 4 KiB pages
    /// each first touch is a fault (20,700 in a cold `status` of nodejs.org, 8,300 with large
    /// pages), and a warm `status` of windows-powershell-docs ran 3-5% faster with them
    /// (docs/performance.md, session 26). The price is memory: large pages are committed whole
    /// (a cold run's peak grew by 10-15 MB). `serve` stays on small pages, which it can give
    /// back to the system between reads.
    static func usesLargePages(for arguments: [String], environmentSays: Bool) -> Bool {
        guard !environmentSays else { return false }
        return Review.hoistingGlobalOptions(arguments).first != "serve"
    }

    /// Tells mimalloc to use large pages from now on (``usesLargePages(for:environmentSays:)``).
    static func useLargePages() {
        mi_option_set(mi_option_large_os_pages, 1)
    }

    /// Whether the environment sets mimalloc's own `MIMALLOC_LARGE_OS_PAGES`, which then decides.
    static var environmentSays: Bool { getenv("MIMALLOC_LARGE_OS_PAGES") != nil }
}
