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
        parallelMap(spreadFrom: spreadFrom, state: {}) { _, element in transform(element) }
    }

    /// ``parallelMap(spreadFrom:_:)`` where each chunk first makes a `state` of its own, on the
    /// thread that maps it, and `transform` reads it: for values every element reads, which the
    /// threads would otherwise share (see ``WorkflowConfiguration/unshared()``).
    func parallelMap<State, T: Sendable>(spreadFrom: Int = 256, state: @Sendable () -> State,
                                         _ transform: @Sendable (State, Element) -> T) -> [T] {
        guard let chunks = Self.chunks(count, spreadFrom: spreadFrom) else {
            let state = state()
            return map { transform(state, $0) }
        }
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            // Each chunk initialises a disjoint range of the buffer.
            nonisolated(unsafe) let slots = buffer
            withoutActuallyEscaping(transform) { transform in
                withoutActuallyEscaping(state) { makeState in
                    DispatchQueue.concurrentPerform(iterations: chunks.count) { chunk in
                        let range = chunks.range(chunk)
                        guard !range.isEmpty else { return }
                        let state = makeState()
                        for i in range { (slots.baseAddress! + i).initialize(to: transform(state, self[i])) }
                    }
                }
            }
            initialized = count
        }
    }

    /// How `count` elements are cut into chunks, or `nil` to map them on the calling thread.
    private static func chunks(_ count: Int, spreadFrom: Int) -> Chunks? {
        guard count >= Swift.max(spreadFrom, 2) else { return nil }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard cores > 1 else { return nil }
        let chunks = Swift.min(Swift.max(cores * 8, count / 64), count)
        return Chunks(count: chunks, size: (count + chunks - 1) / chunks, total: count)
    }
}

/// ``Array/parallelMap(spreadFrom:_:)``'s chunks: `count` of `size` elements (the last ones
/// shorter or empty).
private struct Chunks {
    let count: Int
    let size: Int
    let total: Int

    func range(_ chunk: Int) -> Range<Int> {
        let start = Swift.min(chunk * size, total)
        return start..<Swift.min(start + size, total)
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
