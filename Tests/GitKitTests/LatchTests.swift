import Foundation
@testable import GitKit
import Testing

/// ``Latch``'s bounded wait (StartAhead waits for libgit2's set-up to begin, never for long).
@Suite struct LatchTests {
    @Test(.timeLimit(.minutes(1))) func aBoundedWaitEndsClosedOrReturnsOnceOpened() {
        let closed = Latch()
        #expect(!closed.wait(milliseconds: 30), "no one opens it: it ends closed")
        let open = Latch()
        open.open()
        #expect(open.wait(milliseconds: 0) && open.wait(milliseconds: 1_000))
        let later = Latch()
        Thread.detachNewThread {
            usleep(20_000)
            later.open()
        }
        #expect(later.wait(milliseconds: 10_000), "opened by another thread before its time")
        later.wait()
    }
}
