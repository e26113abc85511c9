import Dispatch
import Foundation
import GitKit

/// What a process that runs one command can start before it has parsed its arguments: on
/// threads of their own, libgit2's one-time setup (with mbedTLS it loads the system's
/// certificates, about 3 ms) and the verification of the pack indexes of the repository the
/// command will most likely open (SHA-1 over each index: 3-5 ms on the real histories). Both
/// sat in a cold start's serial head, before the first page could be parsed; here they run
/// beside the argument parsing and the opening of the repository.
///
/// Nothing here decides anything: libgit2 is set up once either way, and a pack reader uses an
/// index verified here only where its file is still the one verified
/// (``Repository/verifyPackIndexesAhead(near:)``). A wrong guess costs the hashing.
public struct StartAhead: Sendable {
    private let group: DispatchGroup

    /// Starts both. `repositoryPath`: `--repo`, or the current directory.
    public static func begin(repositoryPath: String) -> StartAhead {
        let group = DispatchGroup()
        // Threads of their own, started at once (a global queue's first workers started
        // milliseconds later, after the main thread had done both itself).
        for work in [{ Repository.setUpLibgit2() }, { Repository.verifyPackIndexesAhead(near: repositoryPath) }] as [@Sendable () -> Void] {
            group.enter()
            Thread.detachNewThread {
                work()
                group.leave()
            }
        }
        // The caller goes on once libgit2's set-up has begun over there: going on at once, it
        // reached libgit2 before that thread ran, in most runs, and set libgit2 up itself
        // (mbedTLS reading the system's certificates: 2-3 ms on the main thread).
        Repository.waitForLibgit2SetUpToBegin()
        return StartAhead(group: group)
    }

    /// Waits until both are done: the process must not exit while they still run.
    public func finish() {
        group.wait()
    }
}
