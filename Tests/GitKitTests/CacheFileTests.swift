import BinaryStore
import Dispatch
import Foundation
import Synchronization
import Testing
import TestSupport

/// Cache files written by several threads of one process at once: each write has its own
/// temporary file, so the file left is always one whole write, never a mix of several.
@Suite struct CacheFileTests {
    @Test func everyWriteGetsItsOwnTemporaryFileEvenOnManyThreads() {
        let names = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 1000) { _ in
            let name = CacheFile.temporaryPath(for: "/x/review/articles.cache")
            names.withLock { $0.append(name) }
        }
        let all = names.withLock { $0 }
        #expect(Set(all).count == 1000)
        #expect(all.allSatisfy { $0.hasPrefix("/x/review/articles.cache.tmp-") })
    }

    @Test func concurrentWritesInOneProcessLeaveOneWholeFile() throws {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path + "/git", withIntermediateDirectories: true)
        let path = directory.path + "/git/review/test.cache"
        // Different sizes: with a shared temporary file, a short write over a long one leaves a mix.
        let bodies: [[UInt32]] = (0..<8).map { (n: Int) -> [UInt32] in
            (0..<(5_000 * (n + 1))).map { (i: Int) -> UInt32 in UInt32(truncatingIfNeeded: i &* 2_654_435_761) ^ UInt32(n) }
        }
        for round in 0..<20 {
            DispatchQueue.concurrentPerform(iterations: bodies.count) { n in
                var w = CacheFile.writer(magic: "test \(round)")
                for word in bodies[n] { w.u32(word) }
                CacheFile.store(w, to: path)
            }
            var reader = try #require(CacheFile.read(path, magic: "test \(round)"), "round \(round): no whole file left")
            var words: [UInt32] = []
            while let word = reader.u32() { words.append(word) }
            #expect(bodies.contains(words), "round \(round): the file mixes several writes")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/git/review")
        #expect(left == ["test.cache"], "temporary files left: \(left)")
    }
}
