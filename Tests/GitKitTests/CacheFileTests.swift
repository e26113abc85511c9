import Paths
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

/// The cache key lives outside repositories, private to its user; anything else is no key.
@Suite struct CacheKeyTests {
    @Test func theKeyIsCreatedPrivateAndRefusedWhenOthersCouldReadOrSwapIt() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/new/review/cache-key"
        let key = try #require(CacheKey.load(from: path, creating: true))
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((attributes[.size] as? Int) == 32)
        // The same key on the next run: a file written under it reads back.
        let file = directory.path + "/x.cache"
        var w = CacheFile.writer(magic: "m")
        w.u32(42)
        let again: CacheKey = try #require(CacheKey.load(from: path, creating: false))
        CacheFile.store(w, to: file, key: again)
        var r = try #require(CacheFile.read(file, magic: "m", key: key))
        #expect(r.u32() == 42)
        #expect(CacheFile.read(file, magic: "m", key: CacheKey(bytes: [UInt8](repeating: 1, count: 32))) == nil)
        #expect(CacheFile.read(file, magic: "m", key: nil) == nil)

        // Readable by others, or a symlink to someone's file: not a key, and not replaced.
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(CacheKey.load(from: path, creating: true) == nil)
        let link = directory.path + "/link-key"
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(CacheKey.load(from: link, creating: true) == nil)
    }

    /// What the command line says when there is no key: each reason with the file and what to do.
    @Test func aKeyThatCannotBeUsedIsNamedWithWhatToDo() throws {
        let directory = TemporaryDirectory()
        let path = directory.path + "/cache-key"
        _ = try #require(CacheKey.load(from: path, creating: true))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(CacheKey.problem(at: path) == "caches are off: the cache key \(path) can be read or changed by other users (mode 644); remove it and the next run makes a new private one")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(CacheKey.load(from: path, creating: true) == nil)
        #expect(CacheKey.problem(at: path)?.contains("is not 32 bytes; remove it") == true)
        let link = directory.path + "/link-key"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: path)
        #expect(CacheKey.problem(at: link)?.contains("\(link) is not a regular file") == true)
        let unmakeable = directory.path + "/no-such-folder-file/cache-key"
        #expect(FileManager.default.createFile(atPath: directory.path + "/no-such-folder-file", contents: Data()))
        #expect(CacheKey.load(from: unmakeable, creating: true) == nil)
        // No file and no place for one (a read-only home): nothing to say, no caches, as before.
        #expect(CacheKey.problem(at: unmakeable) == nil)
    }
}
