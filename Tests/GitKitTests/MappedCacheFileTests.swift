import Foundation
@testable import BinaryStore
import Testing
import TestSupport

/// Cache files are verified and read where their segments lie (``FileBytes``, ``BinaryReader``
/// over runs): in a read-only mapping only where no one without the key can change the file,
/// else in a copy; either way every value reads back as written, wherever segments cut it.
@Suite struct MappedCacheFileTests {
    let directory = TemporaryDirectory()
    let key = CacheKey(bytes: [UInt8](repeating: 9, count: 32))
    let words: [String] = (0..<300).map { "word \($0) " + String(repeating: "é", count: $0 % 17) }

    private func write(_ name: String, segmentSize: Int) -> String {
        let path = directory.path + "/review/" + name
        var w = CacheFile.writer(magic: "mapped")
        for (i, word) in words.enumerated() {
            w.u8(UInt8(i % 256))
            w.u32(UInt32(i) &* 2_654_435_761)
            w.u64(UInt64(i) &* 0x9E37_79B9_7F4A_7C15)
            w.string(word)
            // A value of its own length, read through a sub-reader.
            w.u32(UInt32(word.utf8.count + 8))
            w.i64(Int64(-i))
            w.raw(word.utf8)
            w.optionalString(i % 3 == 0 ? nil : word)
        }
        CacheFile.store(w, to: path, key: key, segmentSize: segmentSize)
        return path
    }

    private func read(_ path: String, mapping: Bool) -> [String]? {
        guard var r = CacheFile.read(path, magic: "mapped", key: key, mapping: mapping) else { return nil }
        var read: [String] = []
        for i in words.indices {
            guard r.u8() == UInt8(i % 256), r.u32() == UInt32(i) &* 2_654_435_761, r.u64() == UInt64(i) &* 0x9E37_79B9_7F4A_7C15,
                  let word = r.string(), let length = r.u32(), var value = r.reader(Int(length)), value.remaining == Int(length),
                  value.i64() == Int64(-i), let raw = value.raw(value.remaining), value.remaining == 0, value.u8() == nil,
                  let optional = r.optionalString(), optional == (i % 3 == 0 ? nil : word), Array(raw) == Array(word.utf8) else { return nil }
            read.append(word)
        }
        return r.remaining == 0 && r.u8() == nil ? read : nil
    }

    @Test(arguments: [1, 3, 7, 64, 1000, CacheFile.segmentSize])
    func everyValueReadsBackWhereverSegmentsCutIt(segmentSize: Int) throws {
        let path = write("a.cache", segmentSize: segmentSize)
        #expect(read(path, mapping: true) == words)
        #expect(read(path, mapping: false) == words)
    }

    /// Whether `path` is on a local file system (by `/proc/self/mountinfo`).
    private func isLocal(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && FileBytes.fileSystemType(of: info.st_dev).map(FileBytes.localFileSystems.contains) == true
    }

    @Test func onlyAFileNoOneElseCanChangeIsMapped() throws {
        let path = write("a.cache", segmentSize: 64)
        #expect(chmod(path, 0o644) == 0)
        #expect(FileBytes.read(path)?.mapped == isLocal(path), "this user's file, written by no one else, on a local file system")
        #expect(FileBytes.read(path, mapping: false)?.mapped == false)
        // Group- or world-writable (or an ACL's mask allowing a group's write): copied, and read the same.
        for mode: mode_t in [0o664, 0o646, 0o666, 0o620] {
            #expect(chmod(path, mode) == 0)
            #expect(FileBytes.read(path)?.mapped == false, "mode \(String(mode, radix: 8))")
            #expect(read(path, mapping: true) == words)
        }
        // Not a regular file: never mapped (a directory reads as nothing).
        #expect(FileBytes.read(directory.path)?.mapped != true)
        #expect(CacheFile.read(directory.path, magic: "mapped", key: key) == nil)
    }

    @Test func anEmptyOrMissingFileReadsAsNothing() throws {
        let path = directory.path + "/review/empty.cache"
        try FileManager.default.createDirectory(atPath: directory.path + "/review", withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: path))
        #expect(FileBytes.read(path)?.count == 0)
        #expect(CacheFile.read(path, magic: "mapped", key: key) == nil)
        #expect(CacheFile.read(directory.path + "/review/missing.cache", magic: "mapped", key: key) == nil)
    }
}
