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
}
