import CMimalloc
import Glibc

/// The allocator's settings for this process, made before anything else allocates much.
enum Allocator {
    /// A mimalloc option this process sets, unless the environment sets it already (mimalloc
    /// reads `MIMALLOC_<NAME>` when the process starts; that then decides).
    enum Option: CaseIterable {
        /// Large (2 MiB) pages: in 4 KiB pages each first touch is a fault.
        case largePages
        /// Every thread's first segment committed at once like the rest, so that it is in large
        /// pages too (mimalloc puts off committing each thread's first segment, for processes
        /// with many threads that each allocate little; this one has a few that allocate much).
        case eagerFirstSegment

        var environmentVariable: String {
            switch self {
            case .largePages: "MIMALLOC_LARGE_OS_PAGES"
            case .eagerFirstSegment: "MIMALLOC_EAGER_COMMIT_DELAY"
            }
        }

        fileprivate func set() {
            switch self {
            case .largePages: mi_option_set(mi_option_large_os_pages, 1)
            case .eagerFirstSegment: mi_option_set(mi_option_eager_commit_delay, 0)
            }
        }
    }

    /// The options a command line's process sets: both, for every command but `serve`.
    ///
    /// A one-command process allocates a few hundred megabytes and then exits. A cold `status`
    /// of nodejs.org faulted 20,400 pages in 4 KiB pages and 9,400 with both options; a warm
    /// `status` of windows-powershell-docs ran 8% faster (docs/performance.md, session 26). The
    /// price is memory: large pages are committed whole (a cold run's peak grew by 10-20 MB).
    /// `serve` stays on mimalloc's defaults, under which it gives memory back between reads.
    static func options(for arguments: [String], inEnvironment: (String) -> Bool) -> [Option] {
        guard Review.hoistingGlobalOptions(arguments).first != "serve" else { return [] }
        return Option.allCases.filter { !inEnvironment($0.environmentVariable) }
    }

    /// Sets ``options(for:inEnvironment:)`` for this process's command line.
    static func configure(for arguments: [String]) {
        for option in options(for: arguments, inEnvironment: { getenv($0) != nil }) { option.set() }
    }
}
