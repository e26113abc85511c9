#if canImport(Glibc)
import Glibc
#endif

/// A gate that opens once and stays open: ``wait()`` sleeps (on a condition variable, not
/// spinning) until ``open()`` has been called, then returns at once ever after.
///
/// Owns its mutex and condition variable and destroys and frees each once, in `deinit`.
final class Latch: @unchecked Sendable {
    // `isOpen` is guarded by `mutex`; the two pointers never change.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var isOpen = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Opens the gate and wakes every waiter.
    func open() {
        pthread_mutex_lock(mutex)
        isOpen = true
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Returns once the gate is open.
    func wait() {
        pthread_mutex_lock(mutex)
        while !isOpen { pthread_cond_wait(condition, mutex) }
        pthread_mutex_unlock(mutex)
    }

    /// Returns once the gate is open or `milliseconds` have passed; whether it is open.
    func wait(milliseconds: Int) -> Bool {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let nanoseconds = Int(deadline.tv_nsec) + milliseconds % 1000 * 1_000_000
        deadline.tv_sec += milliseconds / 1000 + nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        pthread_mutex_lock(mutex)
        while !isOpen, pthread_cond_timedwait(condition, mutex, &deadline) != ETIMEDOUT {}
        let open = isOpen
        pthread_mutex_unlock(mutex)
        return open
    }
}
