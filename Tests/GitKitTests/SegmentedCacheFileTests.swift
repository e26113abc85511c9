import Foundation
@testable import BinaryStore
import Testing
import TestSupport

/// A cache file in several authenticated segments (``CacheFile``): it reads back whole, and
/// every way of making a file from the pieces of authentic ones is refused.
@Suite struct SegmentedCacheFileTests {
    let directory = TemporaryDirectory()
    let key = CacheKey(bytes: [UInt8](repeating: 7, count: 32))
    /// 1,000 numbers after the header: 4,000 bytes, in segments of 512.
    let words: [UInt32] = (0..<1000).map { UInt32(truncatingIfNeeded: $0 &* 2_654_435_761) }

    private func write(_ name: String, key: CacheKey? = nil, segmentSize: Int = 512) -> String {
        let path = directory.path + "/review/" + name
        var w = CacheFile.writer(magic: "test")
        for word in words { w.u32(word) }
        CacheFile.store(w, to: path, key: key ?? self.key, segmentSize: segmentSize)
        return path
    }

    private func read(_ path: String, key: CacheKey? = nil) -> [UInt32]? {
        guard var r = CacheFile.read(path, magic: "test", key: key ?? self.key) else { return nil }
        var read: [UInt32] = []
        while let word = r.u32() { read.append(word) }
        return read
    }

    /// The segments of a file as written: each its length, payload, nonce, description and tag.
    private func segments(_ bytes: [UInt8]) -> [[UInt8]] {
        var list: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
            let end = offset + 4 + length + CacheFile.trailerSize
            list.append(Array(bytes[offset..<end]))
            offset = end
        }
        return list
    }

    private func bytes(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
    private func put(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    /// A string is read back as written, and bytes that are not UTF-8 are refused (not
    /// repaired): every way of cutting valid UTF-8 short, and bytes no UTF-8 has.
    @Test func stringsReadBackAndBytesThatAreNotUTF8AreRefused() {
        func read(_ bytes: [UInt8]) -> String? {
            var reader = BinaryReader(withUnsafeBytes(of: UInt32(bytes.count).littleEndian, Array.init) + bytes)
            return reader.string()
        }
        for text in ["", "a", "Été", "ǅ𝄞\u{0}x", String(repeating: "ü", count: 3000)] { #expect(read(Array(text.utf8)) == text) }
        let four = Array("𝄞".utf8), three = Array("€".utf8), two = Array("é".utf8)
        var invalid: [[UInt8]] = [[0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80]]
        for cut in 1..<4 { invalid.append(Array(four.prefix(cut))); invalid.append(Array(four.prefix(cut)) + [0x41]) }
        for cut in 1..<3 { invalid.append(Array(three.prefix(cut)) + [0x41, 0x42]) }
        invalid.append([two[0]] + [0x41, 0x42, 0x43])
        for bytes in invalid { #expect(read(Array("ok".utf8) + bytes) == nil, "\(bytes)") }
    }

    @Test func aFileInSeveralSegmentsReadsBackWhole() throws {
        let path = write("a.cache")
        #expect(read(path) == words)
        let file = try bytes(path)
        let parts = segments(file)
        #expect(parts.count == (CacheFile.writer(magic: "test").data.count + 4000 + 511) / 512, "the header and 4,000 bytes in segments of 512")
        #expect(CacheFile.hasHeader(path, magic: "test"))
        #expect(!CacheFile.hasHeader(path, magic: "other"))
        // One segment (the default size) reads the same.
        #expect(read(write("b.cache", segmentSize: CacheFile.segmentSize)) == words)
        #expect(segments(try bytes(directory.path + "/review/b.cache")).count == 1)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/review").sorted() == ["a.cache", "b.cache"])
    }

    @Test func aChangedByteAnywhereVoidsTheFile() throws {
        let path = write("a.cache")
        let good = try bytes(path)
        for offset in good.indices {
            var broken = good
            broken[offset] ^= 0x20
            try put(broken, path)
            #expect(read(path) == nil, "byte \(offset) changed")
        }
    }

    @Test func aFileCutAnywhereIsRefused() throws {
        let path = write("a.cache")
        let good = try bytes(path)
        let parts = segments(good)
        // Without its last segment (every earlier one authentic), and cut inside any segment.
        for length in 0..<good.count {
            try put(Array(good.prefix(length)), path)
            #expect(read(path) == nil, "cut to \(length) of \(good.count) bytes")
        }
        try put(parts.dropLast().flatMap { $0 }, path)
        #expect(read(path) == nil)
        // Nor may anything follow the last segment: not even a copy of it.
        try put(good + parts[parts.count - 1], path)
        #expect(read(path) == nil)
        try put(good + [0], path)
        #expect(read(path) == nil)
    }

    @Test func segmentsCannotBeReorderedDroppedOrRepeated() throws {
        let path = write("a.cache")
        let parts = segments(try bytes(path))
        var swapped = parts
        swapped.swapAt(1, 2)
        try put(swapped.flatMap { $0 }, path)
        #expect(read(path) == nil, "two segments swapped")
        swapped = parts
        swapped.swapAt(0, 1)
        try put(swapped.flatMap { $0 }, path)
        #expect(read(path) == nil, "the first segment moved")
        var dropped = parts
        dropped.remove(at: 3)
        try put(dropped.flatMap { $0 }, path)
        #expect(read(path) == nil, "a middle segment dropped")
        var repeated = parts
        repeated.insert(parts[3], at: 4)
        try put(repeated.flatMap { $0 }, path)
        #expect(read(path) == nil, "a segment repeated")
        try put(parts.flatMap { $0 }, path)
        #expect(read(path) == words)
    }

    @Test func aSegmentOfAnotherFileWithTheSameKeyIsRefused() throws {
        // The same content under the same key: only the files' ids tell their segments apart.
        let a = write("a.cache")
        let b = write("b.cache")
        let first = segments(try bytes(a))
        let second = segments(try bytes(b))
        #expect(first != second, "fresh nonces and file ids")
        for index in first.indices {
            var spliced = first
            spliced[index] = second[index]
            try put(spliced.flatMap { $0 }, a)
            #expect(read(a) == nil, "segment \(index) from the other file")
        }
        #expect(read(b) == words)
    }

    @Test func aFileWrittenWithAnotherKeyIsRefused() throws {
        let path = write("a.cache", key: CacheKey(bytes: [UInt8](repeating: 8, count: 32)))
        #expect(read(path) == nil)
        #expect(read(path, key: CacheKey(bytes: [UInt8](repeating: 8, count: 32))) == words)
        #expect(CacheFile.read(path, magic: "test", key: nil) == nil)
    }

    /// What a streaming writer wrote is read back authenticated, as long as the temporary file
    /// holds what was written; a run killed before the end leaves no file at all.
    @Test(arguments: [false, true]) func writtenSegmentsReadBackOnlyWhileTheyAreAuthentic(named: Bool) throws {
        let path = directory.path + "/review/s.cache"
        let writer = try #require(CacheFileWriter(path: path, key: key, named: named))
        let payloads: [[UInt8]] = [CacheFile.writer(magic: "test").data + [1, 2, 3], [4, 5], []]
        for (i, payload) in payloads.enumerated() {
            #expect(payload.withUnsafeBytes { writer.write(segment: $0, final: i == payloads.count - 1) })
        }
        #expect(writer.segments == 3)
        #expect(!([9] as [UInt8]).withUnsafeBytes { writer.write(segment: $0, final: true) }, "nothing after the last segment")
        for i in payloads.indices { #expect(writer.segment(i) == payloads[i]) }
        #expect(writer.segment(3) == nil)
        // Someone who can write the git directory changes the temporary file.
        let descriptor = try #require(openTemporaryFile(of: writer, named: named))
        defer { close(descriptor) }
        var byte: UInt8 = 9
        #expect(pwrite(descriptor, &byte, 1, off_t(4 + payloads[0].count + CacheFile.trailerSize + 4)) == 1)
        #expect(writer.segment(1) == nil)
        #expect(writer.segment(0) == payloads[0])
        #expect(writer.commit())
        #expect(CacheFile.read(path, magic: "test", key: key) == nil)

        // Not committed: nothing is left, named or not.
        var dropped = CacheFileWriter(path: directory.path + "/review/t.cache", key: key, named: named)
        #expect(payloads[0].withUnsafeBytes { dropped?.write(segment: $0, final: true) } == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/review").count == (named ? 2 : 1))
        dropped = nil
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/review") == ["s.cache"])
    }

    /// The writer's temporary file, opened for writing as anyone with access to it could.
    private func openTemporaryFile(of writer: CacheFileWriter, named: Bool) -> Int32? {
        if named { return open(writer.temporaryPath, O_RDWR) }
        // Unnamed: reachable through the process's descriptors.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? [] {
            let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name)) ?? ""
            if link.hasPrefix(directory.path + "/review/") { return open("/proc/self/fd/" + name, O_RDWR) }
        }
        return nil
    }
}
