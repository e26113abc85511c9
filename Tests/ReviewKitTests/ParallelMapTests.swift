import Foundation
@testable import ReviewKit
import Testing

/// `parallelMap` (the loader's placing, evaluating, writing JSON, decoding caches): `map`'s
/// result in order, whatever the count and however it divides into chunks (eight per core).
@Suite struct ParallelMapTests {
    @Test(arguments: [0, 1, 255, 256, 257, 1000, 4097, 14_142])
    func itIsMapInOrder(count: Int) {
        let values = (0..<count).map { $0 &* 2_654_435_761 }
        #expect(values.parallelMap { $0 &+ 1 } == values.map { $0 &+ 1 })
    }

    /// The states each chunk makes, with the elements each mapped.
    private final class States: @unchecked Sendable {
        final class State: Sendable {}
        private let lock = NSLock()
        /// Every state made, kept so that no two share an address.
        private var all: [State] = []
        var made: Int { lock.withLock { all.count } }
        func make() -> State {
            let state = State()
            lock.withLock { all.append(state) }
            return state
        }
    }

    /// `parallelMap(state:)` is `map` in order, and each chunk (a run of neighbouring elements,
    /// never one element alone where there are many) makes one state of its own, which its
    /// elements share; one state for arrays mapped on the calling thread.
    @Test(arguments: [0, 1, 255, 256, 257, 1000, 4097, 14_142])
    func eachChunkMapsWithAStateOfItsOwn(count: Int) {
        let values = (0..<count).map { $0 &* 2_654_435_761 }
        let states = States()
        let mapped = values.parallelMap(state: states.make) { state, value in (value &+ 1, ObjectIdentifier(state)) }
        #expect(mapped.map(\.0) == values.map { $0 &+ 1 })
        // Each state's elements are one run, and no two runs share a state.
        var runs: [ObjectIdentifier] = []
        for (i, (_, state)) in mapped.enumerated() where i == 0 || mapped[i - 1].1 != state { runs.append(state) }
        #expect(Set(runs).count == runs.count)
        #expect(states.made == Swift.max(runs.count, 1))
        if count >= 256, ProcessInfo.processInfo.activeProcessorCount > 1 {
            let cores = ProcessInfo.processInfo.activeProcessorCount
            #expect(states.made > 1 && states.made <= Swift.max(cores * 8, count / 64))
        } else {
            #expect(states.made == 1)
        }
    }
}
