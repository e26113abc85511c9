import Paths
import Foundation
import Dispatch
@testable import GitKit
@testable import BinaryStore
import Testing
import TestSupport

/// The persistent history index must never change an answer: cached, uncached, extended,
/// rebuilt from a damaged file — all identical.
@Suite struct HistoryCacheTests {
    /// `concurrent`: the index's projection in two parts at once (on Dispatch's threads, as
    /// ReviewKit runs it), each writing its own commits' changes and tracked blobs.
    private func answers(_ repo: Repository, cache: Bool, concurrent: Bool = false,
                         tracking: [GitPath: Set<ObjectID>] = [:]) throws -> [String] {
        var engine = HistoryEngine(usesCache: cache)
        if concurrent { engine.concurrently = { count, body in DispatchQueue.concurrentPerform(iterations: count, execute: body) } }
        let report = try engine.lastChanges(in: repo, at: repo.headCommit(), under: "Articles", tracking: tracking)
        return report.files.map { "\($0.path.text) \($0.commit?.id.hex ?? "-") \($0.commit?.author.name ?? "") \($0.onlyMoved)" }
            + report.histories.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.map { "\($0.commit.id.short)/\($0.blob?.short ?? "-")" })" }
    }

    /// A random history like HistoryEngineTests', grown in two halves.
    private func grow(_ repo: RepoBuilder, steps: Range<Int>, rng: inout SplitMix, files: inout [GitPath]) throws {
        var sides: [ObjectID] = []
        for step in steps {
            let pick = files[rng.next(in: 0..<files.count)]
            switch rng.next(in: 0..<8) {
            case 0 where files.count > 3:
                files.removeAll { $0 == pick }
                try repo.commit("delete", [.remove(pick)])
            case 1:
                let renamed = GitPath("Articles/r\(step).md")
                let text = try repo.repository.fileContents(at: pick, inCommit: repo.repository.headCommit())?.bytes ?? []
                files.removeAll { $0 == pick }
                files.append(renamed)
                try repo.commit("rename", [.remove(pick), FileChange(path: renamed, contents: text)])
            case 2:
                sides.append(try repo.commit("side", [.write(pick, "side \(step)")], parents: [repo.repository.headCommit()], moveBranch: false))
            case 3 where !sides.isEmpty:
                try repo.merge(sides.removeFirst(), [.write(pick, "merged \(step)")])
            default:
                try repo.commit("edit", [.write(pick, "edit \(step)")], time: repo.clock - (rng.next(in: 0..<6) == 0 ? 90_000 : 0))
            }
        }
    }

    /// A random history of `steps` steps from `seed`, its answers without the index, and the
    /// index it then builds and saves (read back from its file).
    private func savedIndex(seed: UInt64, steps: Int) throws -> (repo: RepoBuilder, expected: [String], path: String, index: HistoryIndex) {
        var rng = SplitMix(seed: seed)
        let repo = try RepoBuilder()
        var files = (0..<6).map { GitPath("Articles/f\($0).md") }
        try repo.commit("import", files.map { .write($0, "v0 \($0)") })
        try grow(repo, steps: 0..<steps, rng: &rng, files: &files)
        let expected = try answers(repo.repository, cache: false)
        #expect(try answers(repo.repository, cache: true) == expected)  // builds and saves the index
        let path = HistoryCacheFile.path(in: repo.repository, directory: "")
        return (repo, expected, path, try #require(HistoryCacheFile.load(from: path, directory: "", shallow: [])))
    }

    @Test(arguments: 1...6) func cachedAnswersEqualUncachedOnesAsHistoryGrows(seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        let repo = try RepoBuilder()
        var files = (0..<6).map { GitPath("Articles/\($0 % 2 == 0 ? "" : "s/")f\($0).md") }
        try repo.commit("import", files.map { .write($0, "v0 \($0)") })
        try grow(repo, steps: 0..<25, rng: &rng, files: &files)
        let never = ObjectID(hex: String(repeating: "f", count: 40))!
        let tracked = Dictionary(uniqueKeysWithValues: files.prefix(2).map { ($0, Set([never])) })
        let cold = try answers(repo.repository, cache: false, tracking: tracked)
        #expect(try answers(repo.repository, cache: true, tracking: tracked) == cold)   // builds the index
        #expect(try answers(repo.repository, cache: true, tracking: tracked) == cold)   // reads it
        #expect(try answers(repo.repository, cache: true, concurrent: true, tracking: tracked) == cold)
        try grow(repo, steps: 25..<40, rng: &rng, files: &files)                          // extends it
        let tracked2 = Dictionary(uniqueKeysWithValues: files.prefix(2).map { ($0, Set([never])) })
        #expect(try answers(repo.repository, cache: true, tracking: tracked2) == answers(repo.repository, cache: false, tracking: tracked2))
        #expect(try answers(repo.repository, cache: true, concurrent: true, tracking: tracked2) == answers(repo.repository, cache: false, tracking: tracked2))
    }

    /// The index is written a segment at a time: in many small ones it reads back the same.
    @Test func anIndexSavedInSmallSegmentsIsReadBack() throws {
        let (repo, expected, path, index) = try savedIndex(seed: 11, steps: 30)
        HistoryCacheFile.save(index, to: path, segmentSize: 64)
        let written = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var (offset, segments) = (0, 0)
        while offset + 4 <= written.count {
            offset += 4 + (Int(written[offset]) | Int(written[offset + 1]) << 8 | Int(written[offset + 2]) << 16) + CacheFile.trailerSize
            segments += 1
        }
        #expect(segments > 10)
        #expect(try answers(repo.repository, cache: true) == expected)
        // Read, not rebuilt: an index that failed its check would have been written again.
        #expect([UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) == written)
    }

    /// Numbers in a file whose check passes are still checked before use (another process with
    /// the cache key could have written it): a parent or a path past the index's counts makes
    /// the file unreadable, so the index is rebuilt, never read out of range.
    @Test func anIndexFileWithNumbersOutOfRangeIsNotRead() throws {
        let (repo, expected, path, index) = try savedIndex(seed: 11, steps: 30)
        #expect(index.parents.count == index.count && index.changes.count == index.count)
        // With merges: a commit's lists, one per parent, go through the file too.
        #expect(index.parents.indices.contains { index.parents[$0].count > 1 && index.changes[$0].count > 1 })

        var farParent = index
        var parents = farParent.parents.arrays
        parents[0] = [Int32(index.count)]
        farParent.parents = FlatLists(parents)
        var farPath = index
        farPath.changes.modifyEach { $0.path = Int32(index.paths.count) }
        for damaged in [farParent, farPath] {
            HistoryCacheFile.save(damaged, to: path)
            #expect(HistoryCacheFile.load(from: path, directory: "", shallow: []) == nil)
            #expect(try answers(repo.repository, cache: true) == expected)
            #expect(HistoryCacheFile.load(from: path, directory: "", shallow: []) != nil)
        }
        // Saved and read back unchanged, it loads as it was.
        HistoryCacheFile.save(index, to: path)
        let again = try #require(HistoryCacheFile.load(from: path, directory: "", shallow: []))
        #expect(again.parents == index.parents && again.changes.arrays == index.changes.arrays)
    }

    /// Lists kept flat read as the nested arrays they replace, whatever order a commit's lists
    /// were set in, and a layout that does not add up is refused.
    @Test func flatListsReadAsNestedArrays() {
        let nested: [[[Int32]]] = [[[1, 2], []], [], [[3]], [[4, 5, 6], [7], [8]]]
        var lists = CommitLists<Int32>()
        for _ in nested { lists.appendCommit() }
        for c in [2, 0, 3, 1] { lists.set(commit: c, nested[c]) }
        #expect(lists.arrays == nested)
        #expect(lists[3][1].first == 7 && lists[0][1].isEmpty && lists[1].isEmpty)
        #expect(Set(lists.allValues) == Set(nested.flatMap { $0.flatMap { $0 } }))
        #expect(CommitLists(nested).arrays == nested)
        #expect(lists.indices.map { lists.valueRange(of: $0).map { lists.allValues[$0] } } == nested.map { $0.flatMap { $0 } })
        let change = { (path: Int32) in HistoryIndex.Change(path: path, blob: nil, moved: false) }
        let changes = CommitLists([[[change(0)], [change(2)]], [], [[change(1)]]])
        #expect(changes.commits(changing: [false, false, true]) == [true, false, false])
        #expect(changes.commits(changing: [false, true, false]) == [false, false, true])
        let flat = FlatLists<Int32>([[1, 2], [], [3]])
        #expect(flat.arrays == [[1, 2], [], [3]] && flat[2].first == 3 && flat[1].isEmpty)
        #expect(FlatLists(values: [1, 2, 3], ends: [2, 2, 3]) == flat)
        #expect(FlatLists<Int32>(values: [1, 2, 3], ends: [2, 1, 3]) == nil)
        #expect(FlatLists<Int32>(values: [1, 2, 3], ends: [2, 2]) == nil)
        #expect(CommitLists(lists: flat, counts: [2, 1])?.arrays == [[[1, 2], []], [[3]]])
        #expect(lists.listCounts == [2, 0, 1, 3])
        var joined = FlatLists<Int32>([[1], []])
        joined.append(contentsOf: FlatLists([[2, 3], [4]]))
        joined.appendList { $0 += [5, 6] }
        #expect(joined.arrays == [[1], [], [2, 3], [4], [5, 6]])
        #expect(CommitLists(lists: flat, counts: [2, 2]) == nil)
        #expect(CommitLists(lists: flat, counts: [1, 1]) == nil)
        #expect(CommitLists(lists: flat, counts: [4, -1]) == nil)
    }

    @Test func theIndexLivesInTheGitDirectoryAndADamagedOneIsRebuilt() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Articles/a.md", "1"), .write("Articles/b.md", "1")])
        try repo.commit("two", [.write("Articles/a.md", "2")])
        try repo.checkoutHead()
        let expected = try answers(repo.repository, cache: false)
        #expect(try answers(repo.repository, cache: true) == expected)
        let path = HistoryCacheFile.path(in: repo.repository, directory: "")
        #expect(path.hasPrefix(repo.repository.gitDirectory))
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try Git.run(["status", "--porcelain"], in: repo.path) == "")

        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for damage in [{ (d: inout Data) in d[d.count / 2] ^= 0xFF }, { d in d = d.prefix(d.count / 3) }, { d in d = Data("junk".utf8) }] {
            var broken = bytes
            damage(&broken)
            try broken.write(to: URL(fileURLWithPath: path))
            #expect(HistoryCacheFile.load(from: path, directory: "", shallow: []) == nil)
            #expect(try answers(repo.repository, cache: true) == expected)
            bytes = try Data(contentsOf: URL(fileURLWithPath: path))
            #expect(HistoryCacheFile.load(from: path, directory: "", shallow: []) != nil)
        }
        // Written for another directory or another shallow boundary: not trusted.
        #expect(HistoryCacheFile.load(from: path, directory: "Other", shallow: []) == nil)
        #expect(HistoryCacheFile.load(from: path, directory: "", shallow: [try repo.repository.headCommit()]) == nil)
    }

    @Test func aReadOnlyGitDirectoryStillAnswers() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Articles/a.md", "1")])
        let expected = try answers(repo.repository, cache: false)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: repo.repository.gitDirectory)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: repo.repository.gitDirectory) }
        #expect(try answers(repo.repository, cache: true) == expected)
    }

    /// The history index's blob numbers are what a dictionary would give: each id its number
    /// in the order first met, the same number every time, across the table's growth and after
    /// being loaded from a list; ids alike in their first word (the word the table hashes) keep
    /// apart.
    @Test func blobNumbersAreThoseADictionaryGives() throws {
        var rng = SplitMix(seed: 36)
        func id(_ first: UInt64? = nil) -> ObjectID {
            var bytes: [UInt8] = []
            for word in [first ?? rng.next(), rng.next(), rng.next()] { withUnsafeBytes(of: word) { bytes += $0 } }
            return ObjectID(bytes: bytes[0..<20])!
        }
        let shared = rng.next()
        let ids = (0..<5000).map { _ in id() } + (0..<50).map { _ in id(shared) }
        var numbering = BlobNumbering()
        var oracle: [ObjectID: Int32] = [:]
        for _ in 0..<40_000 {
            let pick = ids[rng.next(in: 0..<ids.count)]
            let expected = oracle[pick] ?? Int32(oracle.count)
            oracle[pick] = expected
            #expect(numbering.intern(pick) == expected)
        }
        #expect(numbering.count == oracle.count)
        for (id, n) in oracle { #expect(numbering[n] == id) }
        var loaded = BlobNumbering(numbering.values)
        for (id, n) in oracle { #expect(loaded.intern(id) == n) }
        let fresh = id()
        #expect(loaded.intern(fresh) == Int32(oracle.count))
        #expect(loaded.count == oracle.count + 1)
    }
}
