import Paths
import ReviewCore
import Dispatch
import Foundation

extension Array where Element: Sendable {
    /// `map`, spread over the machine's cores in contiguous chunks; the same result, in order.
    ///
    /// `transform` must be pure: it runs on several threads at once. Arrays of fewer than
    /// `spreadFrom` elements are mapped on the calling thread (where each element is quick,
    /// spreading a few costs more than it saves; parsing pages is spread from two). At least
    /// eight chunks per core, and at most 64 elements in one (at most one chunk per element),
    /// taken by whichever thread is free: with one chunk per core, the thread whose half held
    /// the slower elements finished alone (a warm `status` on windows-powershell-docs: the
    /// placing and the evaluating each ended with one core idle for 20-25 ms), and with eight,
    /// writing its 14,142 articles' JSON still ended with one core idle for about 10 ms.
    func parallelMap<T: Sendable>(spreadFrom: Int = 256, _ transform: @Sendable (Element) -> T) -> [T] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard count >= Swift.max(spreadFrom, 2), cores > 1 else { return map(transform) }
        let chunks = Swift.min(Swift.max(cores * 8, count / 64), count)
        let chunkSize = (count + chunks - 1) / chunks
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each chunk initialises a disjoint range of the buffer.
            nonisolated(unsafe) let slots = buffer
            withoutActuallyEscaping(transform) { transform in
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    let start = chunk * chunkSize
                    let end = Swift.min(start + chunkSize, count)
                    guard start < end else { return }
                    for i in start..<end { (slots.baseAddress! + i).initialize(to: transform(self[i])) }
                }
            }
            initialized = count
        }
    }
}

/// A value computed on another thread while the caller goes on; ``value`` waits for it.
final class Eventually<Value: Sendable>: @unchecked Sendable {
    private let done = DispatchGroup()
    /// Written once, by the computing thread, before `done` is left; read only after waiting.
    private var result: Value?

    init(_ compute: @escaping @Sendable () -> Value) {
        done.enter()
        DispatchQueue.global(qos: .userInitiated).async { [self] in
            result = compute()
            done.leave()
        }
    }

    var value: Value {
        done.wait()
        return result!
    }
}
