import Foundation
import Paths
@testable import ReviewCore
import Testing
import TestSupport

/// The `paths` fuzz target's invariants (``PathFuzzing``) on its corpus and on random sets of
/// paths with normalization, case and byte twins: nothing traps, no two paths merge.
@Suite struct PathFuzzingTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus/paths")

    @Test func theCorpusKeepsItsInvariants() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
        #expect(files.count >= 4)
        for file in files { PathFuzzing.paths(Array(try Data(contentsOf: Self.corpus.appendingPathComponent(file)))) }
    }

    /// Names built from pieces that collide as text but not as bytes.
    @Test(arguments: 1...40) func randomTwinSetsKeepTheirInvariants(seed: UInt64) {
        var random = SplitMix(seed: seed)
        let pieces: [[UInt8]] = [Array("caf\u{E9}".utf8), Array("cafe\u{301}".utf8), Array("Caf\u{E9}".utf8), Array("flu".utf8), Array("Flu".utf8),
                                 Array("fever".utf8), [0x61, 0xFF], [0x61, 0xFE], Array("index".utf8), Array("a-b".utf8)]
        var input: [UInt8] = [UInt8(random.next(in: 0..<3))]
        for _ in 0..<random.next(in: 1..<20) {
            var path: [UInt8] = []
            for level in 0..<random.next(in: 1..<4) {
                if level > 0 { path.append(0x2F) }
                path += pieces[random.next(in: 0..<pieces.count)]
            }
            input += path + Array(".md\n".utf8)
        }
        PathFuzzing.paths(input)
    }
}
