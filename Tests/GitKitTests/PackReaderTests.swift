import Paths
import CGit2
import Foundation
@testable import GitKit
import Synchronization
import Testing
import TestSupport

/// The pack reader must give exactly libgit2's bytes for every packed object, whatever the
/// delta kind, cache size or read order, and never more than `nil` for a damaged pack.
@Suite struct PackReaderTests {
    /// A history with many versions of one growing tree and of a few files, packed by git.
    private func packedRepository(_ configuration: [String]) throws -> RepoBuilder {
        let repo = try RepoBuilder()
        for i in 0..<60 {
            var changes: [FileChange] = [.write(GitPath("Articles/a\(i).md"), "article \(i)\n" + String(repeating: "line \(i)\n", count: i))]
            if i % 3 == 0 { changes.append(.write("Articles/shared.md", "version \(i)\n" + String(repeating: "text\n", count: 200))) }
            if i % 7 == 0 { changes.append(.write("Reviews/policy.yml", "roles: [r\(i)]\n")) }
            try repo.commit("commit \(i)", changes)
        }
        try Git.run(configuration + ["repack", "-a", "-d", "-f", "--depth=50", "--window=50"], in: repo.path)
        return repo
    }

    /// Every object in the pack (loose leftovers, like an unreachable empty tree, excluded).
    private func allObjects(_ repo: RepoBuilder) throws -> [ObjectID] {
        let objects = repo.repository.commonDirectory + "objects/"
        return try Git.run(["cat-file", "--batch-all-objects", "--batch-check=%(objectname)"], in: repo.path)
            .split(separator: "\n").map { try #require(ObjectID(hex: String($0))) }
            .filter { !FileManager.default.fileExists(atPath: objects + $0.hex.prefix(2) + "/" + $0.hex.dropFirst(2)) }
    }

    private func libgit2Bytes(_ database: ObjectDatabase, _ id: ObjectID) throws -> (git_object_t, [UInt8]) {
        let object = try database.readWithLibgit2(id)
        return (object.type, object.withBytes { Array($0) })
    }

    /// Offset deltas (git's default) and reference deltas.
    @Test(arguments: [[], ["-c", "repack.useDeltaBaseOffset=false"]])
    func everyObjectEqualsLibgit2s(_ configuration: [String]) throws {
        let repo = try packedRepository(configuration)
        let ids = try allObjects(repo)
        let deltas = try Git.run(["cat-file", "--batch-all-objects", "--batch-check=%(deltabase)"], in: repo.path)
            .split(separator: "\n").filter { !$0.allSatisfy { $0 == "0" } }
        #expect(deltas.count > 20, "the repository should hold delta chains")
        let database = try ObjectDatabase(repo.repository)
        // A roomy cache, then one so small it evicts constantly; reads in two orders. What the
        // cache keeps never passes its limit.
        for (limit, order) in [(96 << 20, ids), (2048, ids.reversed()), (64 << 10, ids.shuffled())] {
            let reader = PackReader(objectsDirectory: repo.repository.commonDirectory + "objects", cacheLimit: limit)
            for id in order {
                let read = try #require(reader.read(id), "\(id.hex) not read")
                let expected = try libgit2Bytes(database, id)
                #expect(read.type == expected.0 && read.bytes == expected.1, "\(id.hex)")
                #expect(reader.cachedBytes <= limit, "\(reader.cachedBytes) cached, limit \(limit)")
            }
        }
    }

    /// Readers of one repository that are alive together (a load's handles, one per thread) use
    /// one mapping of its verified index; a reader made after the file at that path changed
    /// maps and verifies it afresh (here a damaged copy, refused, while the first readers still
    /// hold the old mapping), and so does one made after every reader let go.
    @Test func readersShareAVerifiedIndexOnlyWhileItIsTheSameFile() throws {
        let repo = try packedRepository([])
        let objects = repo.repository.commonDirectory + "objects"
        let first = PackReader(objectsDirectory: objects)
        let second = PackReader(objectsDirectory: objects)
        #expect(first.indexes.count == 1 && second.indexes.count == 1)
        #expect(first.indexes[0] === second.indexes[0])
        let packDirectory = objects + "/pack/"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: packDirectory).first { $0.hasSuffix(".idx") })
        let path = packDirectory + name
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var damaged = original
        damaged[original.count / 2] ^= 0x5A
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        // Each write with a modification time of its own (a coarse clock could give the file
        // its old one).
        try damaged.write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_001)], ofItemAtPath: path)
        #expect(PackReader(objectsDirectory: objects).indexes.isEmpty, "the damaged index at the same path is verified, and refused")
        try original.write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_000_002)], ofItemAtPath: path)
        let again = PackReader(objectsDirectory: objects)
        #expect(again.indexes.count == 1 && again.indexes[0] !== first.indexes[0])
        let database = try ObjectDatabase(repo.repository)
        for id in try allObjects(repo) {
            let read = try #require(again.read(id), "\(id.hex) not read")
            #expect(read.bytes == (try libgit2Bytes(database, id)).1)
        }
    }

    /// The one pack index of a repository built by ``packedRepository(_:)``.
    private func indexPath(_ repo: RepoBuilder) throws -> String {
        let packDirectory = repo.repository.commonDirectory + "objects/pack/"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: packDirectory).first { $0.hasSuffix(".idx") })
        return packDirectory + name
    }

    /// An index verified ahead (at a process's start) is the mapping the first reader takes,
    /// and is then let go of with the readers; a damaged one verified ahead is refused by
    /// readers too, and one replaced after it was verified ahead is verified afresh.
    @Test func anIndexVerifiedAheadIsUsedOnlyWhileItIsTheSameFile() throws {
        let repo = try packedRepository([])
        let objects = repo.repository.commonDirectory + "objects"
        let path = try indexPath(repo)
        PackReader.verifyAhead(objectsDirectory: objects)
        #expect(PackReader.heldAhead(path) != nil)
        weak var verifiedAhead: PackReader.IndexBytes?
        do {
            let first = PackReader(objectsDirectory: objects)
            #expect(PackReader.heldAhead(path) == nil, "the first reader takes it")
            let second = PackReader(objectsDirectory: objects)
            #expect(first.indexes.count == 1 && second.indexes.count == 1 && first.indexes[0] === second.indexes[0])
            verifiedAhead = first.indexes[0]
            #expect(verifiedAhead != nil)
        }
        #expect(verifiedAhead == nil, "nothing keeps the mapping once its readers are gone")

        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var damaged = original
        damaged[original.count / 2] ^= 0x5A
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        // Each write with a modification time of its own: a file system whose clock ticks
        // coarsely could give two quick writes the same one.
        var stamp = 1_000_000
        func write(_ data: Data) throws {
            try data.write(to: URL(fileURLWithPath: path))
            stamp += 1
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: TimeInterval(stamp))], ofItemAtPath: path)
        }
        try write(damaged)
        PackReader.verifyAhead(objectsDirectory: objects)
        #expect(PackReader.heldAhead(path) == nil, "a damaged index is not kept")
        #expect(PackReader(objectsDirectory: objects).indexes.isEmpty, "and readers refuse it")

        try write(original)
        PackReader.verifyAhead(objectsDirectory: objects)
        #expect(PackReader.heldAhead(path) != nil)
        try write(damaged)
        #expect(PackReader(objectsDirectory: objects).indexes.isEmpty, "the file changed after it was verified ahead: verified again, and refused")
        try write(original)
        let reader = PackReader(objectsDirectory: objects)
        let database = try ObjectDatabase(repo.repository)
        for id in try allObjects(repo) {
            let read = try #require(reader.read(id), "\(id.hex) not read")
            #expect(read.bytes == (try libgit2Bytes(database, id)).1)
        }
    }

    /// Readers made on other threads while an index is being verified ahead wait for it and
    /// share its one mapping; made before it began, they verify the file themselves, and the
    /// first mapping recorded is the one every reader and the verification ahead end up with.
    @Test func readersMadeWhileAnIndexIsVerifiedAheadShareOneMapping() throws {
        let repo = try packedRepository([])
        let objects = repo.repository.commonDirectory + "objects"
        for round in 0..<100 {
            let readers = Mutex<[PackReader.IndexBytes]>([])
            // The verification ahead is handed out first in some rounds, last in others.
            DispatchQueue.concurrentPerform(iterations: 5) { i in
                if i == round % 5 {
                    PackReader.verifyAhead(objectsDirectory: objects)
                } else {
                    let reader = PackReader(objectsDirectory: objects)
                    readers.withLock { $0 += reader.indexes }
                }
            }
            let indexes = readers.withLock { $0 }
            #expect(indexes.count == 4 && indexes.allSatisfy { $0 === indexes[0] })
        }
    }

    /// A reader that verified the file itself while a verification ahead finished takes the
    /// mapping recorded first, so readers never hold two mappings of one file.
    @Test func theFirstMappingRecordedIsTheOneUsed() throws {
        let repo = try packedRepository([])
        let objects = repo.repository.commonDirectory + "objects"
        let path = try indexPath(repo)
        var ahead: PackReader.IndexBytes?
        let read = try #require(PackReader.shared(path) {
            PackReader.verifyAhead(objectsDirectory: objects)
            ahead = PackReader.heldAhead(path)
        })
        #expect(ahead != nil && read.index === ahead, "the reader took the one verified ahead")
        #expect(PackReader.heldAhead(path) == nil)
        let later = PackReader(objectsDirectory: objects)
        #expect(later.indexes.count == 1 && later.indexes[0] === read.index)
    }

    /// The repository is found from a folder of its work tree as opening it would find it;
    /// nothing is verified from a folder outside any repository, or for a linked work tree.
    @Test func indexesAreVerifiedAheadForTheRepositoryAPathIsIn() throws {
        let repo = try packedRepository([])
        let path = try indexPath(repo)
        #expect(PackReader.heldAhead(path) == nil)
        Repository.verifyPackIndexesAhead(near: repo.path + "/Articles")
        #expect(PackReader.heldAhead(path) != nil)
        _ = PackReader(objectsDirectory: repo.repository.commonDirectory + "objects")
        #expect(PackReader.heldAhead(path) == nil)
        let outside = TemporaryDirectory()
        Repository.verifyPackIndexesAhead(near: outside.path)
        let linked = outside.path + "/linked"
        try Git.run(["worktree", "add", "-q", linked], in: repo.path)
        Repository.verifyPackIndexesAhead(near: linked)
        #expect(PackReader.heldAhead(path) == nil, "a linked work tree's objects are elsewhere: left alone")
    }

    /// Objects read through mapped parts of the pack (so small that every read replaces one, and
    /// many objects straddle two) and through `pread` windows (mappings off) are libgit2's bytes.
    @Test(arguments: [0, 4096, 8192])
    func everyObjectReadsTheSameMappedOrNot(_ mappingSize: Int) throws {
        let repo = try packedRepository([])
        let ids = try allObjects(repo)
        let database = try ObjectDatabase(repo.repository)
        let reader = PackReader(objectsDirectory: repo.repository.commonDirectory + "objects", mappingSize: mappingSize)
        for id in ids.shuffled() {
            let read = try #require(reader.read(id), "\(id.hex) not read")
            let expected = try libgit2Bytes(database, id)
            #expect(read.type == expected.0 && read.bytes == expected.1, "\(id.hex)")
        }
    }

    /// An object is decompressed in one call (libdeflate) when its zlib stream lies within the
    /// bytes read for it, as almost every object's does; one that does not goes through zlib's
    /// streaming inflate. Read through `pread` windows (mappings off), two large random blobs do
    /// not (random bytes do not compress: the stream is longer than the object, and past the
    /// most read at once); through a mapped pack, whose part reaches far past an object, none is
    /// streamed. Every way gives libgit2's bytes.
    @Test(arguments: [0, 16 << 20])
    func objectsPastOneReadAreStreamedAndTheRestDecompressedAtOnce(_ mappingSize: Int) throws {
        let repo = try packedRepository([])
        var random = SplitMix(seed: 36)
        func noise(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next(in: 0..<256)) } }
        try repo.commit("noise", [FileChange(path: "Assets/noise-800k.bin", contents: noise(800 << 10)),
                                  FileChange(path: "Assets/noise-3m.bin", contents: noise(3 << 20)),
                                  FileChange(path: "Assets/noise-1k.bin", contents: noise(1 << 10))])
        try Git.run(["repack", "-a", "-d"], in: repo.path)
        let ids = try allObjects(repo)
        let database = try ObjectDatabase(repo.repository)
        let reader = PackReader(objectsDirectory: repo.repository.commonDirectory + "objects", mappingSize: mappingSize)
        // Every object but the two large ones first: none streamed; then those.
        let expected = try ids.map { try libgit2Bytes(database, $0) }
        let order = ids.indices.sorted { expected[$0].1.count < expected[$1].1.count }
        #expect(order.suffix(2).map { expected[$0].1.count } == [800 << 10, 3 << 20])
        for (k, i) in order.enumerated() {
            if k == order.count - 2 { #expect(reader.streamedInflations == 0) }
            let read = try #require(reader.read(ids[i]), "\(ids[i].hex) not read")
            #expect(read.type == expected[i].0 && read.bytes == expected[i].1, "\(ids[i].hex)")
        }
        if mappingSize == 0 {
            #expect((1...2).contains(reader.streamedInflations))
        } else {
            #expect(reader.streamedInflations == 0)
        }
    }

    /// An index large enough that lookups interpolate (more than 16 names share a first byte):
    /// every packed object is found, and a name beside each (its last byte changed) is not.
    @Test func lookupsInALargeIndexFindEveryObjectAndNoOther() throws {
        let repo = try RepoBuilder()
        try FileManager.default.createDirectory(atPath: repo.path + "/many", withIntermediateDirectories: true)
        for i in 0..<12_000 { try Data("object \(i)\n".utf8).write(to: URL(fileURLWithPath: repo.path + "/many/f\(i).txt")) }
        try Git.run(["add", "many"], in: repo.path)
        try Git.run(["commit", "-q", "-m", "many objects"], in: repo.path)
        try Git.run(["repack", "-a", "-d", "-q"], in: repo.path)
        let ids = try allObjects(repo)
        #expect(ids.count > 12_000)
        let reader = PackReader(objectsDirectory: repo.repository.commonDirectory + "objects")
        let missed = ids.filter { reader.read($0) == nil }
        #expect(missed.count == 0, "not found: \(missed.prefix(5).map(\.hex))")
        let known = Set(ids)
        var found: [ObjectID] = []
        for id in ids {
            for flip: UInt8 in [0x01, 0x80] {
                var bytes = id.bytes
                bytes[19] ^= flip
                let neighbour = try #require(ObjectID(bytes: bytes[...]))
                if !known.contains(neighbour), reader.read(neighbour) != nil { found.append(neighbour) }
            }
        }
        #expect(found.count == 0, "found objects that are not there: \(found.prefix(5).map(\.hex))")
    }

    @Test func looseObjectsAreLeftToLibgit2() throws {
        let repo = try packedRepository([])
        let loose = try repo.commit("after the pack", [.write("Articles/new.md", "new\n")])
        let reader = PackReader(objectsDirectory: repo.repository.commonDirectory + "objects")
        #expect(reader.read(loose) == nil)
        let database = try ObjectDatabase(repo.repository)
        #expect(try database.read(loose, expected: GIT_OBJECT_COMMIT).type == GIT_OBJECT_COMMIT)
    }

    @Test func aDamagedPackGivesNilOrTheRightBytes() throws {
        let repo = try packedRepository([])
        let ids = try allObjects(repo)
        let database = try ObjectDatabase(repo.repository)
        let expected = try Dictionary(uniqueKeysWithValues: ids.map { ($0, try libgit2Bytes(database, $0).1) })
        let packDirectory = repo.repository.commonDirectory + "objects/pack/"
        let pack = try #require(try FileManager.default.contentsOfDirectory(atPath: packDirectory).first { $0.hasSuffix(".pack") })
        let path = packDirectory + pack
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var sawNil = false
        for position in stride(from: 12, to: original.count - 20, by: max(1, original.count / 40)) {
            var damaged = original
            damaged[position] ^= 0x5A
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            try damaged.write(to: URL(fileURLWithPath: path))
            let reader = PackReader(objectsDirectory: repo.repository.commonDirectory + "objects")
            for id in ids {
                if let read = reader.read(id) { #expect(read.bytes == expected[id], "byte \(position), \(id.hex)") } else { sawNil = true }
            }
        }
        #expect(sawNil)
    }

    /// Issue 21: one offset in the `.idx` set to 0x80000001 (a large offset past the table)
    /// trapped converting a checksum's bytes to an offset. Every byte of the index damaged in
    /// turn: the reader answers `nil` or the right bytes, and the damaged index itself (its
    /// checksum failing) is never used; nor is one cut short.
    @Test func aDamagedIndexNeverTraps() throws {
        let repo = try packedRepository([])
        let ids = try allObjects(repo)
        let database = try ObjectDatabase(repo.repository)
        let expected = try Dictionary(uniqueKeysWithValues: ids.map { ($0, try libgit2Bytes(database, $0).1) })
        let packDirectory = repo.repository.commonDirectory + "objects/pack/"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: packDirectory).first { $0.hasSuffix(".idx") })
        let path = packDirectory + name
        let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let count = Int(UInt32(bigEndian: original.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8 + 255 * 4, as: UInt32.self) }))
        let offsets = 8 + 1024 + count * 24
        var variants: [[UInt8]] = []
        var large = original
        large.replaceSubrange(offsets..<(offsets + 4), with: [0x80, 0, 0, 1])
        variants.append(large)
        for position in stride(from: 0, to: original.count, by: max(1, original.count / 30)) {
            var damaged = original
            damaged[position] ^= 0x5A
            variants.append(damaged)
        }
        // Cut short, down to nothing: the index is mapped, and a mapping of nothing is refused.
        for length in [0, 1, 8 + 1024, original.count - 21, original.count - 1] { variants.append(Array(original.prefix(length))) }
        for damaged in variants {
            // Without the checksum (as the fuzzer reads it) the lookups stay in bounds…
            FormatFuzzing.packIndex(damaged)
            // …and with it, the damaged index is not used.
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            try Data(damaged).write(to: URL(fileURLWithPath: path))
            let reader = PackReader(objectsDirectory: repo.repository.commonDirectory + "objects")
            for id in ids {
                if let read = reader.read(id) { #expect(read.bytes == expected[id]) }
            }
            #expect(reader.read(ids[0]) == nil || damaged == original)
        }
    }

    /// A commit date no arithmetic can hold is held to year 9999, never a trap.
    @Test func aCommitDateThatWouldOverflowIsHeld() throws {
        let tree = [UInt8](repeating: 0, count: 20).map { String(format: "%02x", $0) }.joined()
        let text = "tree \(tree)\nauthor A <a@x> 9223372036854775807 +9959\ncommitter C <c@x> -9223372036854775808 -9959\n\nm\n"
        let commit = try Array(text.utf8).withUnsafeBytes { try RawCommit.parse($0, id: ObjectID(hex: tree)!) }
        #expect(commit.author.time == Signature.validTimes.upperBound)
        #expect(commit.committer.time == Signature.validTimes.lowerBound)
        #expect(Signature.validOffsets.contains(commit.author.offsetMinutes))
        FormatFuzzing.commit(Array(text.utf8))
    }

    /// The commit parser reads dates from the bytes as Swift's integer initialisers read a
    /// string (it did, through `String` and `split`): the same answer for every token.
    @Test func datesAreReadAsTheIntegerInitialisersReadThem() {
        let alphabet = Array("0123456789+- x".utf8)
        var generator = SystemRandomNumberGenerator()
        var tokens = ["9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "+5", "-", "+",
                      "", "007", "1-2", "2147483647", "2147483648", "-2147483648", "+0200", "-0930"]
        for _ in 0..<2000 {
            tokens.append(String(decoding: (0..<Int.random(in: 0...21, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }, as: UTF8.self))
        }
        for token in tokens {
            Array(token.utf8).withUnsafeBytes { bytes in
                #expect(RawCommit.integer(Int64.self, bytes[...]) == Int64(token), "\(token)")
                #expect(RawCommit.integer(Int32.self, bytes[...]) == Int32(token), "\(token)")
            }
        }
        // And whole signatures: time and zone as before, a message's co-authors found or not.
        let tree = String(repeating: "0", count: 40)
        for (line, time, offset) in [("A <a@x> 1700000000 +0200", Int64(1_700_000_000), Int32(120)), ("A <a@x>   1700000000   -0130", 1_700_000_000, -90),
                                     ("A <a@x> 17x 0200", 0, 0), ("A <a@x> 1700000000 x0200", 1_700_000_000, 120), ("A <a@x> 5", 5, 0)] {
            let text = "tree \(tree)\nauthor \(line)\ncommitter \(line)\n\nm\n\nCo-Authored-By: B <B@Y>\n"
            let commit = try? Array(text.utf8).withUnsafeBytes { try RawCommit.parse($0, id: ObjectID(hex: tree)!) }
            #expect(commit?.author.time == time && commit?.author.offsetMinutes == offset, "\(line)")
            #expect(commit?.coAuthors == ["b@y"])
        }
        let plain = "tree \(tree)\nauthor A <a@x> 1 +0000\ncommitter A <a@x> 1 +0000\n\nFix: co-authored by nobody\n"
        #expect((try? Array(plain.utf8).withUnsafeBytes { try RawCommit.parse($0, id: ObjectID(hex: tree)!) })?.coAuthors == [])
    }

    /// The object cache's table holds what a `Dictionary` would, through any sequence of
    /// inserts, replacements, removals and clearing: places crowded into few packs and nearby
    /// offsets (many share a slot in a small table, and removals shift runs that wrap around its
    /// end), and growth past half full.
    @Test func theObjectCachesTableIsADictionary() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<100 {
            var table = PlaceTable<Int>()
            var model: [Int: Int] = [:]
            let spread = [4, 16, 64, 1 << 20][round % 4]
            func place(_ n: Int) -> PackPlace { PackPlace(pack: n % 3, offset: n / 3) }
            for step in 0..<3000 {
                let n = Int.random(in: 0..<spread, using: &generator)
                switch Int.random(in: 0..<10, using: &generator) {
                case 0..<5:
                    #expect(table.updateValue(step, forKey: place(n)) == model.updateValue(step, forKey: n))
                case 5..<8:
                    #expect(table.removeValue(forKey: place(n)) == model.removeValue(forKey: n))
                case 8:
                    #expect(table[place(n)] == model[n])
                default:
                    if Int.random(in: 0..<50, using: &generator) == 0 { table.removeAll(); model.removeAll() }
                }
                #expect(table.count == model.count)
            }
            for n in 0..<min(spread, 4096) { #expect(table[place(n)] == model[n], "round \(round), place \(n)") }
            #expect(table.allValues.sorted() == model.values.sorted())
        }
    }

    /// A commit read with its lines found by `memchr` and its headers told by their first byte
    /// is the commit read a byte and a prefix at a time (as it was), on commits made of header
    /// lines, signed-commit continuation lines, near-misses and trailers; and a message is
    /// thought to hold a trailer exactly where a colon after the key's letters is.
    @Test func aCommitReadByItsLinesFirstBytesIsTheCommitReadByteByByte() {
        func referenceHasTrailer(_ message: [UInt8]) -> Bool {
            let key = Array("co-authored-by".utf8)
            var i = key.count
            while i < message.count {
                if message[i] == UInt8(ascii: ":") {
                    var k = 0
                    while k < key.count, message[i - key.count + k] | 0x20 == key[k] { k += 1 }
                    if k == key.count { return true }
                }
                i += 1
            }
            return false
        }
        func reference(_ bytes: [UInt8]) -> (tree: String?, parents: [String], author: String?, committer: String?, summary: String, bad: Bool) {
            var tree: String?, parents: [String] = [], author: String?, committer: String?, summary = ""
            var inHeaders = true
            for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
                let text = String(decoding: line, as: UTF8.self)
                if inHeaders {
                    if line.isEmpty { inHeaders = false; continue }
                    if text.hasPrefix("tree "), line.count == 45 { tree = ObjectID(hex: text.dropFirst(5))?.hex }
                    else if text.hasPrefix("parent ") {
                        guard line.count == 47, let id = ObjectID(hex: text.dropFirst(7)) else { return (nil, [], nil, nil, "", true) }
                        parents.append(id.hex)
                    } else if text.hasPrefix("author ") { if author == nil { author = String(text.dropFirst(7)) } }
                    else if text.hasPrefix("committer ") { if committer == nil { committer = String(text.dropFirst(10)) } }
                } else if !line.isEmpty { summary = text; break }
            }
            return (tree, parents, author, committer, summary, false)
        }
        let id = String(repeating: "ab", count: 20)
        let pieces = ["tree \(id)\n", "tree \(id)x\n", "parent \(id)\n", "parent \(id.prefix(39))\n", "author A <a@x> 1 +0000\n",
                      "author B <b@y> 2 +0100\n", "committer C <c@x> 3 -0200\n", "gpgsig -----BEGIN PGP SIGNATURE-----\n",
                      " tree \(id)\n", " author Z <z@z> 9 +0000\n", " \n", "encoding latin1\n", "trees \(id)\n", "pa\n", "t\n", "\n",
                      "Summary: line\n", "Co-authored-by: D <D@Z>\n", "co-authored-by:\n", "\r", ":", "x"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<4000 {
            let bytes = Array((0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined().utf8)
            let expected = reference(bytes)
            let read = bytes.withUnsafeBytes { try? RawCommit.parse($0, id: ObjectID(hex: id)!) }
            let label = String(decoding: bytes, as: UTF8.self).debugDescription
            if expected.bad || expected.tree == nil {
                #expect(read == nil, "\(label)")
                continue
            }
            #expect(read?.tree.hex == expected.tree, "\(label)")
            #expect(read?.parents.map(\.hex) == expected.parents, "\(label)")
            #expect(read?.summary == expected.summary, "\(label)")
            let signature = { (text: String?) in text.map { String($0.prefix { $0 != "<" }).trimmingCharacters(in: .whitespaces) } }
            #expect(read?.author.name == signature(expected.author ?? expected.committer) ?? "", "\(label)")
            #expect(read?.committer.name == signature(expected.committer ?? expected.author) ?? "", "\(label)")
            bytes.withUnsafeBytes { raw in
                for start in [0, bytes.count / 2, bytes.count] {
                    #expect(CoAuthors.mayHaveTrailer(raw[start...]) == referenceHasTrailer(Array(bytes[start...])), "\(label) from \(start)")
                }
            }
        }
    }

    /// Co-authors read a line at a time from the commit's bytes are the ones the definition
    /// names (each line split out, blanks dropped, `co-authored-by:` in any case, the last
    /// `<…>`), and a commit's ids read from their bytes are the ones read from text.
    @Test func coAuthorsAndIdsReadInPlaceAreTheDefinitions() {
        func reference(_ message: [UInt8]) -> [String] {
            var out: [String] = []
            let key = Array("co-authored-by:".utf8)
            for line in message.split(separator: 0x0A, omittingEmptySubsequences: true) {
                var rest = line.drop { $0 == 0x20 || $0 == 0x09 }
                guard rest.count > key.count, zip(rest.prefix(key.count), key).allSatisfy({ $0 | 0x20 == $1 }) else { continue }
                rest = rest.dropFirst(key.count)
                guard let open = rest.lastIndex(of: UInt8(ascii: "<")), let close = rest.lastIndex(of: UInt8(ascii: ">")), open < close else { continue }
                let email = String(decoding: rest[(open + 1)..<close].filter { $0 != 0x20 && $0 != 0x09 }, as: UTF8.self).lowercased()
                if !email.isEmpty, !out.contains(email) { out.append(email) }
            }
            return out
        }
        let pieces = ["Co-authored-by:", "co-AUTHORED-by:", " ", "\t", "\n", "\n\n", "<", ">", "A@B", "x", "é", "\r", ":"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<3000 {
            let message = Array((0..<Int.random(in: 0...14, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined().utf8)
            #expect(CoAuthors.emails(in: message[...]) == reference(message), "\(String(decoding: message, as: UTF8.self).debugDescription)")
            message.withUnsafeBytes { #expect(CoAuthors.emails(in: $0[...]) == reference(message)) }
        }
        let digits = Array("0123456789abcdefABCDEFgx/".utf8)
        for _ in 0..<3000 {
            let count = Int.random(in: 0...10, using: &generator) == 0 ? Int.random(in: 38...42, using: &generator) : 40
            let hex = (0..<count).map { _ in Int.random(in: 0...30, using: &generator) == 0 ? digits.randomElement(using: &generator)! : digits[Int.random(in: 0..<22, using: &generator)] }
            let text = String(decoding: hex, as: UTF8.self)
            hex.withUnsafeBytes { #expect(ObjectID(hexBytes: $0[...]) == ObjectID(hex: text), "\(text)") }
            #expect(ObjectID(hex: text)?.hex == (text.count == 40 && text.allSatisfy(\.isHexDigit) ? text.lowercased() : nil))
        }
    }

    @Test func malformedDeltasAreRefused() {
        let base = Array("hello world".utf8)
        // source size 11, target size 5, copy offset 0 size 5
        #expect(PackReader.apply([11, 5, 0x90, 5], to: base) == Array("hello".utf8))
        #expect(PackReader.apply([11, 5, 0x90, 5, 1, 0x21], to: base) == nil)         // writes past the target
        #expect(PackReader.apply([10, 5, 0x90, 5], to: base) == nil)                  // wrong source size
        #expect(PackReader.apply([11, 6, 0x90, 5], to: base) == nil)                  // target too short
        #expect(PackReader.apply([11, 5, 0x91, 8, 5], to: base) == nil)               // copies past the source
        #expect(PackReader.apply([11, 5, 0x00], to: base) == nil)                     // reserved instruction
        #expect(PackReader.apply([11, 5, 0x91], to: base) == nil)                     // truncated instruction
        #expect(PackReader.apply([11, 2, 2, 0x41, 0x42], to: base) == Array("AB".utf8)) // insert
        #expect(PackReader.apply([11], to: base) == nil)
        #expect(PackReader.apply([11, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x90, 5], to: base) == nil)  // claims 4 GiB
    }
}
