import Paths
import Foundation

/// Large values a command-line process lets go of by exiting instead of freeing them one by one.
///
/// A `review` command reads a whole site into memory, answers, and exits. Freeing what it read
/// (a large site's tens of thousands of articles, their findings, the history index) object by
/// object took a tenth of a warm `status` on windows-powershell-docs, and the operating system
/// takes it all back at exit anyway. So a process that runs one command and exits (`review`'s
/// `main`) calls ``keepUntilExit()`` first, and the loaders hand their large values to
/// ``release(_:)``, which then keeps them. Everything else (tests, which run many commands in one
/// process, and the dashboard server, which reads again and again) never turns this on, and
/// ``release(_:)`` lets the value go as usual.
public enum Teardown {
    static let process = Keeper()

    /// From now on, ``release(_:)`` keeps what it is given until the process exits. For a
    /// process that ends after one command; never undone.
    public static func keepUntilExit() { process.enable() }

    /// Lets go of `value`: at once, or at exit in a process that asked for it. The value is
    /// only held, never used again, so it need not be `Sendable`.
    public static func release(_ value: Any) { process.keep(value) }

    /// Holds values once enabled.
    final class Keeper: @unchecked Sendable {
        // Guarded by `lock`.
        private let lock = NSLock()
        private var enabled = false
        private var values: [Any] = []

        func enable() { lock.withLock { enabled = true } }

        func keep(_ value: Any) {
            lock.withLock { if enabled { values.append(value) } }
        }
    }
}
