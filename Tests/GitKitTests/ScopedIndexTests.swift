import Paths
import Foundation
@testable import GitKit
import Testing
import TestSupport

/// The persistent history index compares only the folders asked about (its scope). It must
/// answer exactly as an index of the whole tree does, and never answer about a folder it does
/// not cover: such a question widens it first.
@Suite struct ScopedIndexTests {
    private static let never = ObjectID(hex: String(repeating: "f", count: 40))!

    /// An engine whose new index covers the whole tree (as every index did before scopes).
    private func wholeTree() -> HistoryEngine {
        var engine = HistoryEngine(usesCache: true)
        engine.expectedFolders = { [""] }
        return engine
    }

    private func indexPath(_ repo: Repository) -> String { HistoryCacheFile.path(in: repo, directory: "") }

    private func storedIndex(_ repo: Repository) throws -> HistoryIndex {
        try #require(HistoryCacheFile.load(from: indexPath(repo), directory: "", shallow: repo.shallowBoundary()))
    }

    private func forget(_ repo: Repository) throws {
        if FileManager.default.fileExists(atPath: indexPath(repo)) { try FileManager.default.removeItem(atPath: indexPath(repo)) }
    }

    /// Everything the last-change walk says about `directory`: each file's answer (commit,
    /// whether only moved) and the histories of the tracked ones.
    private func lastChanges(_ engine: HistoryEngine, _ repo: Repository, under directory: String,
                             tracking: [GitPath] = []) throws -> [String] {
        let report = try engine.lastChanges(in: repo, at: repo.headCommit(), under: directory,
                                            tracking: Dictionary(uniqueKeysWithValues: tracking.map { ($0, Set([Self.never])) }))
        return report.files.map { "\($0.path.text) \($0.commit?.id.hex ?? "-") \($0.onlyMoved)" }
            + report.histories.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.map { "\($0.commit.id.short)/\($0.blob?.short ?? "-")" })" }
    }

    /// Everything the directory history says about `directory` (and the watched files in it).
    private func directoryHistory(_ engine: HistoryEngine, _ repo: Repository, under directory: String,
                                  watching: [GitPath] = []) throws -> [String] {
        let history = try engine.directoryHistory(in: repo, at: repo.headCommit(), under: directory, watching: watching)
        let versions = try engine.directoryVersions(in: repo, at: repo.headCommit(), under: directory)
        return history.commits.ids.map(\.hex)
            + history.firstHeld.sorted { ($0.key.path, $0.key.blob) < ($1.key.path, $1.key.blob) }.map { "\($0.key) \($0.value)" }
            + history.introducedAt.sorted { ($0.key.path, $0.key.blob) < ($1.key.path, $1.key.blob) }.map { "\($0.key) \($0.value)" }
            + history.states.map { $0.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.short)" }.joined(separator: ",") }
            + history.stateAt.map(String.init)
            + ["\(history.reachedShallowBoundary)"]
            + versions.sorted { ($0.path, $0.blob) < ($1.path, $1.blob) }.map { "\($0)" }
    }

    /// What each question gets: Reviews' history, then the articles' last changes, then a
    /// folder elsewhere (`Other`), asked in that order of one engine.
    private func answers(_ engine: HistoryEngine, _ repo: Repository, tracking: [GitPath]) throws -> [[String]] {
        [try directoryHistory(engine, repo, under: "Reviews", watching: ["Reviews/policy.yml"]),
         try lastChanges(engine, repo, under: "Articles", tracking: tracking),
         try directoryHistory(engine, repo, under: "Other"),
         try lastChanges(engine, repo, under: "Other")]
    }

    /// A branchy random history across `Articles/`, `Other/`, `Reviews/` and the top folder:
    /// edits, deletes, renames inside a folder and across folders (pages moved into
    /// `Articles/` from outside and out of it), side branches and merges.
    private func grow(_ repo: RepoBuilder, steps: Range<Int>, rng: inout SplitMix, files: inout [GitPath]) throws {
        var sides: [ObjectID] = []
        let folders = ["Articles/", "Articles/deep/", "Other/", "Reviews/", "Reviews/records/", ""]
        for step in steps {
            let pick = files[rng.next(in: 0..<files.count)]
            switch rng.next(in: 0..<10) {
            case 0 where files.count > 4:
                files.removeAll { $0 == pick }
                try repo.commit("delete", [.remove(pick)])
            case 1, 2:
                // Moved (same bytes) to a random folder: often across the scope's boundary.
                let moved = GitPath(folders[rng.next(in: 0..<folders.count)] + "m\(step).md")
                let text = try repo.repository.fileContents(at: pick, inCommit: repo.repository.headCommit())?.bytes ?? []
                files.removeAll { $0 == pick }
                files.append(moved)
                try repo.commit("move", [.remove(pick), FileChange(path: moved, contents: text)])
            case 3:
                sides.append(try repo.commit("side", [.write(pick, "side \(step)")], parents: [repo.repository.headCommit()], moveBranch: false))
            case 4 where !sides.isEmpty:
                try repo.merge(sides.removeFirst(), [.write(pick, "merged \(step)")])
            case 5:
                // A new file whose bytes another path already holds (a copy, not a move).
                let copy = GitPath(folders[rng.next(in: 0..<folders.count)] + "c\(step).md")
                let text = try repo.repository.fileContents(at: pick, inCommit: repo.repository.headCommit())?.bytes ?? []
                files.append(copy)
                try repo.commit("copy", [FileChange(path: copy, contents: text)])
            default:
                try repo.commit("edit", [.write(pick, "edit \(step)")])
            }
        }
    }

    @Test(arguments: 1...8) func aScopedIndexAnswersAsAWholeTreeOneDoes(seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        let repo = try RepoBuilder()
        var files: [GitPath] = ["Articles/a.md", "Articles/deep/b.md", "Other/c.md", "Reviews/policy.yml", "Reviews/records/r.md", "top.md"]
        try repo.commit("import", files.map { .write($0, "v0 \($0)") })
        try grow(repo, steps: 0..<40, rng: &rng, files: &files)
        let r = repo.repository
        let tracking = files.filter { $0.hasPrefix("Articles/") }.prefix(2).map { $0 }

        let whole = try answers(wholeTree(), r, tracking: tracking)
        #expect(try storedIndex(r).scope == [""])
        try forget(r)
        // Without caches (the walk of the directory alone): the same last changes.
        #expect(try lastChanges(HistoryEngine(usesCache: false), r, under: "Articles", tracking: tracking) == whole[1])
        #expect(try lastChanges(HistoryEngine(usesCache: false), r, under: "Other") == whole[3])
        // Built for Reviews/ alone, then widened, question by question.
        #expect(try answers(HistoryEngine(usesCache: true), r, tracking: tracking) == whole)
        #expect(try storedIndex(r).scope == ["Articles/", "Other/", "Reviews/"])
        try forget(r)
        // Built for Reviews/ and Articles/ at once (a hint), as `status` builds it.
        var hinted = HistoryEngine(usesCache: true)
        hinted.expectedFolders = { ["Reviews", "Articles"] }
        #expect(try directoryHistory(hinted, r, under: "Reviews", watching: ["Reviews/policy.yml"]) == whole[0])
        #expect(try lastChanges(hinted, r, under: "Articles", tracking: tracking) == whole[1])
        #expect(try storedIndex(r).scope == ["Articles/", "Reviews/"])
        // Read back, then widened by the question about Other/.
        #expect(try answers(HistoryEngine(usesCache: true), r, tracking: tracking) == whole)
        #expect(try storedIndex(r).scope == ["Articles/", "Other/", "Reviews/"])

        // History grows: the scoped index is extended, in its scope only, and still agrees.
        try forget(r)
        _ = try lastChanges(HistoryEngine(usesCache: true), r, under: "Articles", tracking: tracking)
        try grow(repo, steps: 40..<70, rng: &rng, files: &files)
        let tracking2 = files.filter { $0.hasPrefix("Articles/") }.prefix(2).map { $0 }
        let scoped2 = try answers(HistoryEngine(usesCache: true), r, tracking: tracking2)
        try forget(r)
        #expect(scoped2 == (try answers(wholeTree(), r, tracking: tracking2)))
    }

    /// A merge's comparisons with its later parents are kept only for the paths its first-parent
    /// comparison changed; the directory history is still what git's trees say, read from
    /// `git ls-tree` of every commit: a version is first held at the first commit (in the
    /// history's order) whose tree holds it, introduced at each commit none of whose parents
    /// holds it, and listed if any commit held it. The random histories merge side branches
    /// whose later parents differ from the merge in much the first does not.
    @Test(arguments: 1...6) func theDirectoryHistoryIsWhatGitsTreesHold(seed: UInt64) throws {
        var rng = SplitMix(seed: seed &+ 100)
        let repo = try RepoBuilder()
        var files: [GitPath] = ["Articles/a.md", "Other/c.md", "Reviews/policy.yml", "Reviews/records/r.md", "Reviews/s.md", "top.md"]
        try repo.commit("import", files.map { .write($0, "v0 \($0)") })
        try grow(repo, steps: 0..<60, rng: &rng, files: &files)
        // At least one merge whose later parent differs in a path the first does not (left
        // out) and in one the merge wrote (kept).
        let side = try repo.commit("side", [.write("Reviews/s.md", "side")], parents: [repo.repository.headCommit()], moveBranch: false)
        try repo.commit("main", [.write("Reviews/policy.yml", "main")])
        try repo.merge(side, [.write("Reviews/s.md", "merged")])
        let r = repo.repository
        for engine in [HistoryEngine(usesCache: true), wholeTree()] {
            try forget(r)
            let history = try engine.directoryHistory(in: r, at: r.headCommit(), under: "Reviews", watching: [])
            let versions = try engine.directoryVersions(in: r, at: r.headCommit(), under: "Reviews")
            let name = { (v: DirectoryHistory.Version) in "\(v.path.text) \(v.blob.hex) \(v.kind)" }
            // Each commit's versions below Reviews/, as git lists them (regular files only here).
            let held: [Set<String>] = try history.commits.ids.map { id in
                Set(try Git.run(["ls-tree", "-r", id.hex, "--", "Reviews/"], in: repo.path).split(separator: "\n").map { line in
                    let fields = line.split(separator: "\t", maxSplits: 1)
                    let head = fields[0].split(separator: " ")
                    #expect(head[0] == "100644")
                    return "\(fields[1]) \(head[2]) blob"
                })
            }
            #expect(history.commits.count > 40)
            #expect(Set(versions.map(name)) == held.reduce(into: Set<String>()) { $0.formUnion($1) })
            var first: [String: Int] = [:]
            var introduced: [String: [Int]] = [:]
            for (i, versions) in held.enumerated() {
                let parents = history.commits.parents(i)
                for version in versions.sorted() {
                    if first[version] == nil { first[version] = i }
                    if !parents.contains(where: { held[Int($0)].contains(version) }) { introduced[version, default: []].append(i) }
                }
            }
            #expect(Dictionary(uniqueKeysWithValues: history.firstHeld.map { (name($0.key), $0.value) }) == first)
            #expect(Dictionary(uniqueKeysWithValues: history.introducedAt.map { (name($0.key), $0.value.sorted()) }) == introduced)
            // Some merge introduced a version (it differs from both parents), so the later
            // parents' comparisons were read.
            #expect(introduced.values.contains { $0.contains { history.commits.parents($0).count > 1 } })
        }
    }

    /// A merge's later parents asked about the first parent's changed paths alone (looked up in
    /// both trees) give the changes a whole comparison of the trees, then trimmed, gives: on
    /// random branchy histories, and where a side made a file a folder and a folder a file.
    @Test(arguments: 1...6) func laterParentsLookedUpAreLaterParentsCompared(seed: UInt64) throws {
        var rng = SplitMix(seed: seed &+ 200)
        let repo = try RepoBuilder()
        var files: [GitPath] = ["Articles/a.md", "Articles/deep/b.md", "Other/c.md", "Reviews/policy.yml", "top.md"]
        try repo.commit("import", files.map { .write($0, "v0 \($0)") } + [.write("shape", "a file"), .write("gone", "a file"), .write("folder/x.md", "x")])
        try grow(repo, steps: 0..<50, rng: &rng, files: &files)
        let base = try repo.repository.headCommit()
        let emptied = try repo.commit("side", [.remove("shape"), .remove("gone"), .remove("folder/x.md")], parents: [base], moveBranch: false)
        let side = try repo.commit("side", [.write("shape/inner.md", "now a folder"), .write("gone/inner.md", "now a folder"),
                                            .write("folder", "now a file")],
                                   parents: [emptied], moveBranch: false)
        try repo.commit("main", [.write("top.md", "main")])
        // The merge keeps `shape` a file (changed) where the side made it a folder, removes the
        // file `gone` the side made a folder, and removes `folder/x.md` where the side made
        // `folder` a file.
        try repo.merge(side, [.write("shape", "merged"), .remove("gone"), .remove("folder/x.md"), .write("Articles/a.md", "merged")])
        let r = repo.repository
        func changes(lookingUp limit: Int, directory: String = "") throws -> [String] {
            var index = HistoryIndex(directory: directory, shallow: [])
            index.pathsLookedUp = limit
            _ = try index.extend(to: r.headCommit(), database: ObjectDatabase(r))
            return (0..<index.count).map { c in
                index.ids[c].hex + ": " + index.changes[c].map { list in
                    list.map { "\(index.paths[$0.path].text) \(index.blob(of: $0)?.short ?? "-") \($0.kind) \($0.moved)" }.sorted().joined(separator: ", ")
                }.joined(separator: " | ")
            }
        }
        let compared = try changes(lookingUp: 0)
        #expect(try changes(lookingUp: 64) == compared)
        // An index of one folder (as a pull request's check builds for Reviews/ in memory).
        #expect(try changes(lookingUp: 64, directory: "Articles") == (try changes(lookingUp: 0, directory: "Articles")))
        #expect(compared.contains { $0.contains(" | ") && !$0.hasSuffix(" | ") }, "some merge's later parent holds a change")
    }

    /// The lookahead's subtree of a folder in each commit's tree is the one the index's own
    /// lookup gives, where its pack reader can tell; where it cannot (objects written since the
    /// last repack are loose) it says so. An index of a folder built with the lookahead from
    /// the first commit is the index built without it: on random branchy histories where the
    /// folder comes and goes and is for a while a file.
    @Test(arguments: 1...4) func theLookaheadsSubtreesAreTheIndexs(seed: UInt64) throws {
        var rng = SplitMix(seed: seed &+ 300)
        let repo = try RepoBuilder()
        var files: [GitPath] = ["Articles/a.md", "Articles/deep/b.md", "Other/c.md", "Reviews/policy.yml", "Reviews/records/r.md", "top.md"]
        try repo.commit("import", files.map { .write($0, "v0 \($0)") })
        try grow(repo, steps: 0..<30, rng: &rng, files: &files)
        // Articles/shape a folder, then a file for a while, then a folder again.
        try repo.commit("shape a folder", [.write("Articles/shape/x.md", "x")])
        try repo.commit("shape gone", [.remove("Articles/shape/x.md")])
        try repo.commit("shape a file", [.write("Articles/shape", "a file")])
        try repo.commit("shape gone again", [.remove("Articles/shape")])
        try repo.commit("shape a folder again", [.write("Articles/shape/y.md", "y")])
        try grow(repo, steps: 30..<50, rng: &rng, files: &files)
        try Git.run(["repack", "-a", "-d", "-q"], in: repo.path)
        try grow(repo, steps: 50..<60, rng: &rng, files: &files)
        let r = try Repository.open(at: repo.path)
        let database = try ObjectDatabase(r)
        var all = HistoryIndex(directory: "", shallow: [])
        _ = try all.extend(to: r.headCommit(), database: database)
        for folder in ["Articles", "Articles/deep", "Articles/shape", "Reviews/records"] {
            let lookahead = ScopeTreeLookahead(components: folder.split(separator: "/").map(String.init),
                                               objectsDirectory: r.commonDirectory + "objects")
            for tree in all.trees { lookahead.add(tree) }
            let answers = lookahead.finish()
            #expect(answers.count == all.trees.count)
            var differ = TreeDiffer(database: database, scope: PathScope(directory: "", files: []))
            for (tree, answer) in zip(all.trees, answers) {
                guard let answer else { continue }
                #expect(answer == (try differ.subtree(at: folder.split(separator: "/").map(String.init), of: tree)), "\(folder) in \(tree.hex)")
            }
            #expect(answers.contains { $0 == nil }, "loose trees are left to the index")
            #expect(answers.contains { $0 != nil && $0! != nil }, "packed trees are answered")

            func index(lookaheadFrom: Int) throws -> [String] {
                var index = HistoryIndex(directory: folder, shallow: [])
                _ = try index.extend(to: r.headCommit(), database: database, lookaheadFrom: lookaheadFrom)
                return (0..<index.count).map { c in
                    "\(index.ids[c].hex) \(index.scopeTrees[c]?.hex ?? "-"): " + index.changes[c].map { list in
                        list.map { "\(index.paths[$0.path].text) \(index.blob(of: $0)?.short ?? "-") \($0.kind) \($0.moved)" }.sorted().joined(separator: ", ")
                    }.joined(separator: " | ")
                }
            }
            #expect(try index(lookaheadFrom: 0) == index(lookaheadFrom: .max))
        }
    }

    /// A lookahead let go of without being finished (its owner threw) ends its thread.
    @Test func aLookaheadNotFinishedEndsItsThread() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Articles/a.md", "1")])
        let tree = try repo.repository.commit(repo.repository.headCommit()).tree
        for _ in 0..<20 {
            let lookahead = ScopeTreeLookahead(components: ["Articles"], objectsDirectory: repo.repository.commonDirectory + "objects")
            for _ in 0..<100 { lookahead.add(tree) }
        }
        let finished = ScopeTreeLookahead(components: ["Articles"], objectsDirectory: repo.repository.commonDirectory + "objects")
        #expect(finished.finish().isEmpty && finished.finish().isEmpty)
    }

    /// A tree whose entries are out of git's order or repeat a name (git fsck: treeNotSorted,
    /// duplicateEntries; a push is accepted with one unless the server checks objects) is
    /// refused as corrupt wherever it is read. Before, a merge whose later parent held one was
    /// answered one way by a whole comparison of the trees and another by looking paths up.
    @Test func aTreeOutOfOrderOrRepeatingANameIsCorrupt() throws {
        func entries(_ list: [(String, String, ObjectID)]) -> [UInt8] {
            list.flatMap { Array("\($0.0) \($0.1)".utf8) + [0] + $0.2.bytes }
        }
        let x = ObjectID(hex: String(repeating: "1", count: 40))!
        func read(_ bytes: [UInt8]) -> String {
            bytes.withUnsafeBytes { raw in
                var cursor = RawTreeCursor(bytes: raw, treeID: x)
                do {
                    var names: [String] = []
                    while let entry = try cursor.next() { names.append(String(decoding: entry.nameBytes, as: UTF8.self)) }
                    return names.joined(separator: ",")
                } catch { return "\(error)" }
            }
        }
        // git's order: a folder sorts as its name and a slash.
        #expect(read(entries([("100644", "a.b", x), ("40000", "a", x), ("100644", "a0", x)])) == "a.b,a,a0")
        #expect(read(entries([("100644", "b.md", x), ("100644", "a.md", x)])).contains("treeNotSorted"))
        #expect(read(entries([("100644", "a.md", x), ("100644", "a.md", x)])).contains("duplicateEntries"))
        #expect(read(entries([("100644", "a", x), ("40000", "a", x)])).contains("duplicateEntries"))
        #expect(read(entries([("100644", "a", x), ("100644", "a-b", x), ("100644", "a.c", x), ("40000", "a", x)])).contains("duplicateEntries"))
        #expect(read(entries([("40000", "a", x), ("100644", "a.b", x)])).contains("treeNotSorted"))
        // Around the eight bytes compared as one word.
        #expect(read(entries([("100644", "abcdefg", x), ("40000", "abcdefg", x)])).contains("duplicateEntries"))
        #expect(read(entries([("100644", "abcdefgh", x), ("40000", "abcdefgh", x)])).contains("duplicateEntries"))
        #expect(read(entries([("100644", "abcdefghij", x), ("100644", "abcdefghij", x)])).contains("duplicateEntries"))
        #expect(read(entries([("100644", "abcdefgh", x), ("100644", "abcdefgh.md", x), ("40000", "abcdefgh", x)])).contains("duplicateEntries"))
        #expect(read(entries([("100644", "abcdefghij.md", x), ("40000", "abcdefghij", x), ("100644", "abcdefghij0", x)])) == "abcdefghij.md,abcdefghij,abcdefghij0")
        #expect(read(entries([("40000", "abcdefghij", x), ("100644", "abcdefghij.md", x)])).contains("treeNotSorted"))
        #expect(read(entries([("100644", "abcdefgh", x), ("100644", "abcdefg", x)])).contains("treeNotSorted"))
        // Random names (a small alphabet, so prefixes and the boundary are common), each kind:
        // sorted as git sorts them they are read, any two adjacent swapped they are refused.
        var rng = SplitMix(seed: 18)
        let alphabet = Array("ab.-/0".utf8).filter { $0 != 0x2f }
        for _ in 0..<300 {
            var named: [String: Bool] = [:]
            for _ in 0..<rng.next(in: 2..<12) {
                let name = String(decoding: (0..<rng.next(in: 1..<12)).map { _ in alphabet[rng.next(in: 0..<alphabet.count)] }, as: UTF8.self)
                named[name] = rng.next(in: 0..<2) == 0
            }
            // git's order: a folder's name read with a '/' after it.
            func key(_ name: String, _ isTree: Bool) -> [UInt8] { Array(name.utf8) + (isTree ? [0x2f] : []) }
            let order: [(String, Bool)] = named.map { ($0.key, $0.value) }.sorted { key($0.0, $0.1).lexicographicallyPrecedes(key($1.0, $1.1)) }
            let sorted: [(String, String, ObjectID)] = order.map { ($0.1 ? "40000" : "100644", $0.0, x) }
            #expect(read(entries(sorted)) == order.map { $0.0 }.joined(separator: ","))
            guard sorted.count > 1 else { continue }
            var swapped = sorted
            let k = rng.next(in: 0..<(sorted.count - 1))
            swapped.swapAt(k, k + 1)
            #expect(read(entries(swapped)).contains("git fsck"))
        }

        // A merge whose later parent holds such a tree (found by a helper attacking the index).
        let repo = try RepoBuilder()
        let r = repo.repository
        let a = try repo.commit("A", [.write("Articles/a.md", "x"), .write("Articles/b.md", "x")])
        let p1 = try repo.commit("P1", [.write("Articles/a.md", "y")])
        let blob = try #require(try r.entry(at: "Articles/b.md", inCommit: a)).id
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tree-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        func write(_ bytes: [UInt8]) throws -> String {
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            return try Git.run(["hash-object", "-t", "tree", "-w", "--literally", file], in: repo.path).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let unsorted = try #require(ObjectID(hex: try write(entries([("100644", "b.md", blob), ("100644", "a.md", blob)]))))
        let root = try #require(ObjectID(hex: try write(entries([("40000", "Articles", unsorted)]))))
        func commitTree(_ tree: ObjectID, _ message: String, _ parents: [ObjectID]) throws -> ObjectID {
            try #require(ObjectID(hex: try Git.run(["-c", "user.name=a", "-c", "user.email=a@example.org", "commit-tree", tree.hex, "-m", message]
                                                   + parents.flatMap { ["-p", $0.hex] }, in: repo.path).trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        let p2 = try commitTree(root, "P2", [a])
        let merge = try commitTree(try r.commit(a).tree, "M", [p1, p2])
        _ = try Git.run(["update-ref", "refs/heads/main", merge.hex], in: repo.path)
        for engine in [HistoryEngine(usesCache: true), HistoryEngine(usesCache: false)] {
            #expect(throws: RepositoryError.self) { try engine.lastChanges(in: r, at: merge, under: "Articles") }
        }
    }

    /// A page moved (same bytes) into the content root from a folder the index does not cover
    /// is only moved, as a whole-tree index says: its removal is searched for outside the scope.
    /// So is one moved in from a folder covered before (left out when the index is widened).
    @Test func aPageMovedInFromOutsideTheScopeIsOnlyMoved() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Drafts/deep/x.md", "x"), .write("Other/y.md", "y"), .write("Articles/a.md", "a")])
        let two = try repo.commit("two", [.remove("Drafts/deep/x.md"), .write("Articles/x.md", "x"), .write("Articles/new.md", "new")])
        try repo.commit("three", [.remove("Other/y.md"), .write("Articles/sub/y.md", "y"), .write("Other/z.md", "a")])
        let r = repo.repository
        let whole = try lastChanges(wholeTree(), r, under: "Articles")
        try forget(r)
        let scoped = try lastChanges(HistoryEngine(usesCache: true), r, under: "Articles")
        #expect(scoped == whole)
        // Without caches, and for a walk since a commit (a pull request's check): the same.
        #expect(try lastChanges(HistoryEngine(usesCache: false), r, under: "Articles") == whole)
        let since = try HistoryEngine(usesCache: false).lastChanges(in: r, at: r.headCommit(), under: "Articles",
                                                                    since: two)
        #expect(since.files.first { $0.path == "Articles/sub/y.md" }?.onlyMoved == true)
        #expect(try storedIndex(r).scope == ["Articles/"])
        let report = try HistoryEngine(usesCache: true).lastChanges(in: r, at: r.headCommit(), under: "Articles")
        let moved = Dictionary(uniqueKeysWithValues: report.files.map { ($0.path, $0.onlyMoved) })
        #expect(moved == ["Articles/a.md": false, "Articles/new.md": false, "Articles/x.md": true, "Articles/sub/y.md": true])
        // Other/ covered first, Articles/ added later: the move from Other/ is still seen.
        try forget(r)
        _ = try lastChanges(HistoryEngine(usesCache: true), r, under: "Other")
        #expect(try lastChanges(HistoryEngine(usesCache: true), r, under: "Articles") == whole)
        #expect(try storedIndex(r).scope == ["Articles/", "Other/"])
    }

    /// A question about a folder the stored index does not cover is never answered from it:
    /// neither a sibling, nor a folder whose name only begins like a covered one, nor the
    /// folder holding a covered one.
    @Test func aFolderOutsideTheScopeIsNotAnsweredFromIt() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Articles/a.md", "1"), .write("Articles2/b.md", "1"), .write("top.md", "1")])
        try repo.commit("two", [.write("Articles2/b.md", "2"), .write("top.md", "2"), .write("Articles/a.md", "2")])
        let r = repo.repository
        _ = try lastChanges(HistoryEngine(usesCache: true), r, under: "Articles")
        let index = try storedIndex(r)
        #expect(index.scope == ["Articles/"])
        #expect(index.covers("Articles") && index.covers("Articles/") && index.covers("Articles/sub"))
        #expect(!index.covers("Articles2") && !index.covers("Art") && !index.covers("") && !index.covers("Reviews"))
        for folder in ["Articles2", ""] {
            let scoped = try lastChanges(HistoryEngine(usesCache: true), r, under: folder)
            let widened = try storedIndex(r)
            #expect(widened.covers(GitPath(folder)))
            try forget(r)
            #expect(scoped == (try lastChanges(wholeTree(), r, under: folder)))
            try forget(r)
            _ = try lastChanges(HistoryEngine(usesCache: true), r, under: "Articles")
        }
        // The whole tree asked about: the index becomes a whole-tree one.
        _ = try lastChanges(HistoryEngine(usesCache: true), r, under: "")
        #expect(try storedIndex(r).scope == [""])
    }

    /// A policy that moves its content root: the next question is about a folder the index
    /// does not cover, so it is added (and what the old one said stays right).
    @Test func aContentRootMovedLaterIsAddedWhenAsked() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Articles/a.md", "1"), .write("Docs/a.md", "0"), .write("Reviews/policy.yml", "roots: [Articles]")])
        try repo.commit("two", [.write("Articles/a.md", "2")])
        let r = repo.repository
        var engine = HistoryEngine(usesCache: true)
        engine.expectedFolders = { ["Reviews", "Articles"] }
        _ = try directoryHistory(engine, r, under: "Reviews", watching: ["Reviews/policy.yml"])
        #expect(try storedIndex(r).scope == ["Articles/", "Reviews/"])
        try repo.commit("move the root", [.remove("Articles/a.md"), .write("Docs/a.md", "2"), .write("Reviews/policy.yml", "roots: [Docs]")])
        try repo.commit("three", [.write("Docs/b.md", "b")])
        let scoped = try [directoryHistory(HistoryEngine(usesCache: true), r, under: "Reviews", watching: ["Reviews/policy.yml"]),
                          lastChanges(HistoryEngine(usesCache: true), r, under: "Docs")]
        #expect(try storedIndex(r).scope == ["Articles/", "Docs/", "Reviews/"])
        try forget(r)
        let whole = try [directoryHistory(wholeTree(), r, under: "Reviews", watching: ["Reviews/policy.yml"]),
                         lastChanges(wholeTree(), r, under: "Docs")]
        #expect(scoped == whole)
    }

    /// A stored index keeps the commits of a history since rewritten (a force-push); once git
    /// has pruned their objects, widening the index cannot compare them again. The question is
    /// answered all the same, as a fresh index answers it (not failed as a damaged repository,
    /// run after run, until someone removes the cache).
    @Test func aRewrittenHistoryWhoseOldCommitsArePrunedIsStillWidened() throws {
        let repo = try RepoBuilder()
        let first = try repo.commit("one", [.write("Articles/a.md", "1"), .write("Other/o.md", "1"), .write("Reviews/policy.yml", "1")])
        try repo.commit("two", [.write("Articles/a.md", "2"), .write("Other/o.md", "2"), .write("Other/gone.md", "2")])
        _ = try lastChanges(HistoryEngine(usesCache: true), repo.repository, under: "Articles")
        #expect(try storedIndex(repo.repository).scope == ["Articles/"])
        // Force-pushed: "two" is replaced, and git prunes what nothing reaches any more.
        try repo.commit("two, rewritten", [.write("Articles/a.md", "3"), .write("Other/o.md", "3")], parents: [first])
        _ = try Git.run(["reflog", "expire", "--expire=now", "--all"], in: repo.path)
        _ = try Git.run(["gc", "-q", "--prune=now"], in: repo.path)
        let r = try Repository.open(at: repo.path)
        let asked = try [lastChanges(HistoryEngine(usesCache: true), r, under: "Other"),
                         directoryHistory(HistoryEngine(usesCache: true), r, under: "Reviews", watching: ["Reviews/policy.yml"])]
        #expect(try storedIndex(r).covers("Other") && storedIndex(r).covers("Reviews"))
        try forget(r)
        #expect(asked == [try lastChanges(wholeTree(), r, under: "Other"),
                          try directoryHistory(wholeTree(), r, under: "Reviews", watching: ["Reviews/policy.yml"])])
    }

    /// The scope is part of the authenticated file: what is read back is what was written.
    @Test func theScopeIsStoredWithTheIndex() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Articles/a.md", "1"), .write("Reviews/p.yml", "1")])
        let r = repo.repository
        var index = HistoryIndex(directory: "", shallow: [], scope: [])
        let database = try ObjectDatabase(r)
        #expect(try index.widen(by: ["Reviews", "Articles/", "Articles/sub"], database: database))
        #expect(try !index.widen(by: ["Articles/x"], database: database))
        _ = try index.extend(to: r.headCommit(), database: database)
        HistoryCacheFile.save(index, to: indexPath(r))
        #expect(try storedIndex(r).scope == ["Articles/", "Reviews/"])
        #expect(HistoryIndex.normalized(["b", "a/", "a/c/", "", "a"]) == [""])
        #expect(HistoryIndex.normalized(["b", "a/", "a/c/", "ab"]) == ["a/", "ab/", "b/"])
    }
}
