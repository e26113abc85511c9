import Paths
import Foundation
import GitKit
@testable import BinaryStore
import ReviewCore
@testable import ReviewKit
import Testing
import TestSupport

/// The body cache of a cold read is written a segment at a time as pages are parsed
/// (``BodyCacheBuffer``): no answer changes, the next run reads the file, and nothing read back
/// during the run is taken from the temporary file without being authenticated again.
@Suite struct StreamedBodyCacheTests {
    private func statusJSON(_ content: ContentRepository, caches: Bool = true) throws -> String {
        ReviewSession.finishCacheWrites()
        defer { ReviewSession.finishCacheWrites() }
        return StatusJSONReporter.render(try content.session(usesCaches: caches).reading.status(asOf: Day("2026-11-25")!))
    }

    /// How many segments the cache file at `path` has.
    private func segmentCount(_ path: String) throws -> Int {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var (offset, count) = (0, 0)
        while offset + 4 <= bytes.count {
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            offset += 4 + length + CacheFile.trailerSize
            count += 1
        }
        return count
    }

    @Test func aColdRunInSmallSegmentsAnswersAsWithoutCachesAndTheWarmRunReadsItsFiles() throws {
        // The fixture policy requires disclaimers: evaluating reads every body, warm runs too.
        let content = try ContentRepository(articles: ["pml": .neurology, "flu": .general, "rsv": .general],
                                            reviewers: [.medical("ann"), .editorial("ed")])
        let path = CacheFile.path(inGitDirectory: content.repository.gitDirectory, name: BodyCache.name)
        let uncached = try statusJSON(content, caches: false)
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try CacheSegments.$size.withValue(64) { try statusJSON(content) } == uncached)
        #expect(try segmentCount(path) >= 3, "each body past 64 bytes ends a segment")
        #expect(BodyCache.load(content.repository).entries.count == 3)
        let articles = CacheFile.path(inGitDirectory: content.repository.gitDirectory, name: ArticleCache.name)
        #expect(try segmentCount(articles) >= 3)
        #expect(ArticleCache.load(content.repository).entries.count == 3)
        let written = try [path, articles].map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        #expect(try statusJSON(content) == uncached)
        // Read and trusted: a file that failed its check would have been parsed again and rewritten.
        #expect(try [path, articles].map { try Data(contentsOf: URL(fileURLWithPath: $0)) } == written)
        #expect(try FileManager.default.contentsOfDirectory(atPath: content.repository.gitDirectory + "review").allSatisfy { !$0.contains(".tmp-") })
    }

    private let bodies = (0..<20).map { "body \($0) " + String(repeating: "é", count: $0 * 3) }
    private let blobs = (0..<20).map { ObjectID(hex: String(repeating: "0", count: 38) + String(format: "%02x", $0 + 1))! }

    private func filled(_ gitDirectory: String) -> BodyCacheBuffer {
        let buffer = BodyCacheBuffer(gitDirectory: gitDirectory, segmentSize: 64)
        for (body, blob) in zip(bodies, blobs) { buffer.append(body, for: blob) }
        buffer.append("not the body", for: blobs[0])  // a blob's body is kept once
        return buffer
    }

    @Test func bodiesComeBackFromWrittenSegmentsOnlyWhileTheyVerify() throws {
        let repo = try RepoBuilder()
        let buffer = filled(repo.repository.gitDirectory)
        for i in bodies.indices { #expect(buffer.body(for: blobs[i]) == bodies[i]) }
        for i in bodies.indices.reversed() { #expect(buffer.body(for: blobs[i]) == bodies[i]) }
        #expect(buffer.body(for: ObjectID(hex: String(repeating: "e", count: 40))!) == nil)

        // Someone who can write the git directory changes the first segment (its header) in the
        // temporary file: none of its bodies is given any more, and no wrong body ever is.
        for i in bodies.indices.dropFirst() { _ = buffer.body(for: blobs[i]) }  // the last segment read is not the first
        let descriptor = try #require(openTemporaryFile(in: repo.repository.gitDirectory))
        var byte: UInt8 = 0x55
        #expect(pwrite(descriptor, &byte, 1, 10) == 1)
        close(descriptor)
        #expect(buffer.body(for: blobs[0]) == nil)
        for i in bodies.indices { #expect(buffer.body(for: blobs[i]).map { $0 == bodies[i] } ?? true) }
        // Nor is the file it becomes trusted.
        buffer.save(repo.repository, keeping: nil)
        CacheWrites.wait()
        #expect(BodyCache.load(repo.repository).entries.isEmpty)
    }

    @Test func theSavedFileHoldsTheBodiesKept() throws {
        let repo = try RepoBuilder()
        let path = CacheFile.path(inGitDirectory: repo.repository.gitDirectory, name: BodyCache.name)
        filled(repo.repository.gitDirectory).save(repo.repository, keeping: nil)
        CacheWrites.wait()
        #expect(try segmentCount(path) > 5)
        #expect(BodyCache.load(repo.repository).entries == Dictionary(uniqueKeysWithValues: zip(blobs, bodies)))
        // Some bodies are not used at the tip: the others are copied into a new file.
        let kept = Set(blobs.indices.filter { $0 % 3 != 1 })
        filled(repo.repository.gitDirectory).save(repo.repository, keeping: Set(kept.map { blobs[$0] } + [ObjectID(hex: String(repeating: "e", count: 40))!]))
        CacheWrites.wait()
        #expect(try segmentCount(path) > 3)
        #expect(BodyCache.load(repo.repository).entries == Dictionary(uniqueKeysWithValues: kept.map { (blobs[$0], bodies[$0]) }))
        #expect(try FileManager.default.contentsOfDirectory(atPath: repo.repository.gitDirectory + "review") == [BodyCache.name])
    }

    /// The copy of the kept bodies is authenticated with the buffer's key, as its first file was.
    @Test func theCopyOfTheKeptBodiesUsesTheBuffersKey() throws {
        let repo = try RepoBuilder()
        let key = CacheKey(bytes: Array(repeating: 7, count: 32))
        let buffer = BodyCacheBuffer(gitDirectory: repo.repository.gitDirectory, segmentSize: 64, key: key)
        for (body, blob) in zip(bodies, blobs) { buffer.append(body, for: blob) }
        buffer.save(repo.repository, keeping: [blobs[0], blobs[2]])
        CacheWrites.wait()
        #expect(BodyCache.load(gitDirectory: repo.repository.gitDirectory, key: key).entries == [blobs[0]: bodies[0], blobs[2]: bodies[2]])
    }

    /// Without a key no file can be written, so nothing is held for one: a body asked for
    /// again is parsed again.
    @Test func withoutAKeyNothingIsKept() throws {
        let repo = try RepoBuilder()
        let buffer = BodyCacheBuffer(gitDirectory: repo.repository.gitDirectory, segmentSize: 64, key: nil)
        for (body, blob) in zip(bodies, blobs) { buffer.append(body, for: blob) }
        for blob in blobs { #expect(buffer.body(for: blob) == nil) }
        buffer.save(repo.repository, keeping: nil)
        CacheWrites.wait()
        #expect(!FileManager.default.fileExists(atPath: CacheFile.path(inGitDirectory: repo.repository.gitDirectory, name: BodyCache.name)))
    }

    /// The buffer's temporary file, opened for writing as anyone with access to it could.
    private func openTemporaryFile(in gitDirectory: String) -> Int32? {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name)) ?? ""
            if link.hasPrefix(gitDirectory + "review/") { return open("/proc/self/fd/" + name, O_RDWR) }
        }
        return nil
    }
}
