import Paths
import Foundation
import GitKit
import Testing
import TestSupport

/// Every answer of the history engine is checked against `git log -1 -- <path>`.
@Suite struct HistoryEngineTests {
    private func crossCheck(_ repo: RepoBuilder, at revision: String = "HEAD", usesCache: Bool = true, histories: Bool = true,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
        let head = try repo.repository.resolveCommit(revision)
        let report = try HistoryEngine(usesCache: usesCache).lastChanges(in: repo.repository, at: head, under: "Articles")
        let listed = try Git.run(["-c", "core.quotePath=false", "ls-tree", "-r", "--name-only", head.hex, "--", "Articles/"], in: repo.path)
            .split(separator: "\n").map { GitPath(String($0)) }
        #expect(report.files.map(\.path) == listed, sourceLocation: sourceLocation)
        for file in report.files {
            let expected = try Git.lastChange(of: file.path.text, at: head.hex, in: repo.path)
            #expect(file.commit?.id.hex == expected, "\(file.path)", sourceLocation: sourceLocation)
            // Read in place, the same commit.
            #expect(file.commitID == file.commit?.id && file.withCommit { $0.id } == file.commit?.id, sourceLocation: sourceLocation)
            #expect(file.withCommit { $0.author } == file.commit?.author && file.withCommit { $0.message } == file.commit?.message,
                    sourceLocation: sourceLocation)
        }
        guard histories else { return }
        // Tracking a blob that never existed follows every path's whole history: the commits
        // must be exactly those `git log -- <path>` lists, each with the blob it produced.
        let never = try #require(ObjectID(hex: String(repeating: "f", count: 40)))
        let tracked = try HistoryEngine(usesCache: usesCache).lastChanges(in: repo.repository, at: head, under: "Articles",
                                                      tracking: Dictionary(uniqueKeysWithValues: listed.map { ($0, [never]) }))
        for path in listed {
            let expected = try Git.run(["log", "--format=%H", head.hex, "--", path.text], in: repo.path).split(separator: "\n").map(String.init)
            let history = tracked.histories[path] ?? []
            #expect(Set(history.map(\.commit.id.hex)) == Set(expected), "\(path)", sourceLocation: sourceLocation)
            #expect(history.count == expected.count, "\(path)", sourceLocation: sourceLocation)
            for step in history {
                let blob = try repo.repository.entry(at: path, inCommit: step.commit.id)?.id
                #expect(step.blob == blob, sourceLocation: sourceLocation)
            }
        }
    }

    @Test func aPureRenameIsMarkedAsOnlyMoved() throws {
        let repo = try RepoBuilder()
        try repo.commit("import", [.write("Articles/a.md", "same"), .write("Articles/b.md", "b")])
        try repo.commit("rename a, rename and edit b", [.remove("Articles/a.md"), .write("Articles/c.md", "same"),
                                                        .remove("Articles/b.md"), .write("Articles/d.md", "b edited")])
        let report = try HistoryEngine().lastChanges(in: repo.repository, at: repo.repository.headCommit(), under: "Articles")
        let moved = Dictionary(uniqueKeysWithValues: report.files.map { ($0.path, $0.onlyMoved) })
        #expect(moved == ["Articles/c.md": true, "Articles/d.md": false])
    }

    @Test func trackingStopsAtTheWantedRevision() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Articles/a.md", "1")])
        let two = try repo.commit("two", [.write("Articles/a.md", "2")])
        let three = try repo.commit("three", [.write("Articles/a.md", "3")])
        let four = try repo.commit("four", [.write("Articles/a.md", "4")])
        let approved = try #require(try repo.repository.entry(at: "Articles/a.md", inCommit: two)).id
        let report = try HistoryEngine().lastChanges(in: repo.repository, at: four, under: "Articles",
                                                     tracking: ["Articles/a.md": [approved]])
        #expect(report.histories["Articles/a.md"]?.map(\.commit.id) == [four, three, two])
    }

    @Test func linearHistoryWithEditsDeletesAndReAdds() throws {
        let repo = try RepoBuilder()
        try repo.commit("import", [.write("Articles/a.md", "a1"), .write("Articles/b.md", "b1"), .write("README", "r")])
        try repo.commit("edit a", [.write("Articles/a.md", "a2")])
        try repo.commit("outside", [.write("README", "r2")])
        try repo.commit("delete b", [.remove("Articles/b.md")])
        try repo.commit("re-add b with the same text", [.write("Articles/b.md", "b1")])
        try repo.commit("rename a", [.remove("Articles/a.md"), .write("Articles/c.md", "a2")])
        try crossCheck(repo)
    }

    @Test func mergesWhereBothSidesEditTheSameArticle() throws {
        let repo = try RepoBuilder()
        let base = try repo.commit("import", [.write("Articles/x.md", "x1"), .write("Articles/y.md", "y1"), .write("Articles/z.md", "z1")])
        let side1 = try repo.commit("side edits x", [.write("Articles/x.md", "x-side")], parents: [base], moveBranch: false)
        let side2 = try repo.commit("side edits y", [.write("Articles/y.md", "y-side")], parents: [side1], moveBranch: false)
        try repo.commit("main edits x", [.write("Articles/x.md", "x-main")])
        try repo.commit("main edits z", [.write("Articles/z.md", "z-main")])
        // Resolve x with a new text (the merge itself changes it), take y from the side.
        try repo.merge(side2, [.write("Articles/x.md", "x-merged"), .write("Articles/y.md", "y-side")])
        try crossCheck(repo)
    }

    @Test func mergeResolvedAsTheirsCreditsTheSideBranch() throws {
        let repo = try RepoBuilder()
        let base = try repo.commit("import", [.write("Articles/x.md", "x1")])
        let side = try repo.commit("side", [.write("Articles/x.md", "x-side")], parents: [base], moveBranch: false)
        try repo.commit("main", [.write("Articles/x.md", "x-main")])
        try repo.merge(side, [.write("Articles/x.md", "x-side")])
        try crossCheck(repo)
        let report = try HistoryEngine().lastChanges(in: repo.repository, at: repo.repository.headCommit(), under: "Articles")
        #expect(report.files.first?.commit?.id == side)
    }

    @Test func clockSkewDoesNotReorderHistory() throws {
        let repo = try RepoBuilder()
        try repo.commit("import", [.write("Articles/a.md", "1"), .write("Articles/b.md", "1")], time: 1_800_000_000)
        // Dated years before its parent.
        let side = try repo.commit("skewed side", [.write("Articles/a.md", "2")], time: 1_600_000_000, moveBranch: false)
        try repo.commit("skewed", [.write("Articles/b.md", "2")], time: 1_500_000_000)
        try repo.merge(side, [.write("Articles/a.md", "2")], time: 1_400_000_000)
        try crossCheck(repo)
    }

    @Test func nestedSectionsAndFilesOutsideArticles() throws {
        let repo = try RepoBuilder()
        try repo.commit("import", [.write("Articles/neuro/pml.md", "1"), .write("Articles/heart/af.md", "1"),
                                   .write("Articles/top.md", "1"), .write("Reviews/policy.yml", "p")])
        try repo.commit("edit nested", [.write("Articles/neuro/pml.md", "2")])
        try repo.commit("move section", [.remove("Articles/heart/af.md"), .write("Articles/cardio/af.md", "1")])
        try repo.commit("policy", [.write("Reviews/policy.yml", "q")])
        try crossCheck(repo)
    }

    /// A name that is a file, then a folder of files, then a file again, on two branches, and a
    /// file that becomes a folder of its own name deeper down: the walk numbers paths by folder
    /// and name, and must keep a file and a folder of one name apart, with the history index and
    /// without it (the revision's files only). (`git log -- x` also lists changes below a folder
    /// `x/`, so the file's whole history is checked by hand.)
    @Test func aNameThatIsAFileThenAFolderThenAFileAgain() throws {
        let repo = try RepoBuilder()
        let created = try repo.commit("import", [.write("Articles/x", "file 1"), .write("Articles/s/x.md", "1"), .write("Articles/a.md", "a")])
        // (The builder cannot swap a file and a folder in one commit; the merge below does, against its side.)
        let deleted = try repo.commit("x goes", [.remove("Articles/x")])
        try repo.commit("x comes back as a folder", [.write("Articles/x/a.md", "in x 1"), .write("Articles/x/b.md", "b")])
        try repo.commit("edit in x", [.write("Articles/x/a.md", "in x 2")])
        let side = try repo.commit("side edits the folder", [.write("Articles/x/b.md", "b side")], moveBranch: false)
        try repo.commit("the folder goes", [.remove("Articles/x/a.md"), .remove("Articles/x/b.md")])
        let again = try repo.commit("x is a file again", [.write("Articles/x", "file 2")])
        try repo.commit("edit a", [.write("Articles/a.md", "a2")])
        try repo.merge(side)
        try repo.commit("s/x.md goes", [.remove("Articles/s/x.md")])
        try repo.commit("s/x.md comes back as a folder", [.write("Articles/s/x.md/inner.md", "i")])
        try repo.commit("edit inner", [.write("Articles/s/x.md/inner.md", "i2")])
        let never = try #require(ObjectID(hex: String(repeating: "f", count: 40)))
        let head = try repo.repository.headCommit()
        for usesCache in [false, true] {
            try crossCheck(repo, usesCache: usesCache, histories: false)
            try crossCheck(repo, at: side.hex, usesCache: usesCache)
            let report = try HistoryEngine(usesCache: usesCache).lastChanges(in: repo.repository, at: head, under: "Articles",
                                                                             tracking: ["Articles/x": [never]])
            #expect(report.histories["Articles/x"]?.map(\.commit.id) == [again, deleted, created], "usesCache: \(usesCache)")
        }
    }

    @Test func octopusAndCrissCrossMerges() throws {
        let repo = try RepoBuilder()
        let base = try repo.commit("import", [.write("Articles/a.md", "1"), .write("Articles/b.md", "1"), .write("Articles/c.md", "1")])
        let s1 = try repo.commit("s1", [.write("Articles/a.md", "s1")], parents: [base], moveBranch: false)
        let s2 = try repo.commit("s2", [.write("Articles/b.md", "s2")], parents: [base], moveBranch: false)
        let m = try repo.commit("main", [.write("Articles/c.md", "m")])
        let tip = try repo.commit("octopus", [.write("Articles/a.md", "s1"), .write("Articles/b.md", "s2")], parents: [m, s1, s2])
        let other = try repo.commit("criss", [.write("Articles/c.md", "m")], parents: [s1, m], moveBranch: false)
        try repo.commit("cross", [], parents: [tip, other])
        try crossCheck(repo)
    }

    /// Random histories: edits, adds, deletes, renames, merges with conflicts, skewed dates.
    @Test(arguments: 1...12) func randomHistoriesMatchGit(seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        let repo = try RepoBuilder()
        var files = (0..<8).map { GitPath("Articles/\($0 % 2 == 0 ? "" : "s\($0 % 3)/")f\($0).md") }
        try repo.commit("import", files.map { .write($0, "v0 \($0)") })
        var sides: [ObjectID] = []
        for step in 0..<40 {
            // Half the histories get a first pack midway, so they end in a pack plus loose objects.
            if step == 20, seed % 2 == 0 { try Git.run(["repack", "-d", "-q"], in: repo.path) }
            let time = repo.clock + Int64(rng.next(in: 0..<7200)) - (rng.next(in: 0..<10) == 0 ? 200_000 : 0)
            repo.clock += 3600
            let pick = files[rng.next(in: 0..<files.count)]
            switch rng.next(in: 0..<10) {
            case 0 where files.count > 3:
                files.removeAll { $0 == pick }
                try repo.commit("delete", [.remove(pick)], time: time)
            case 1:
                let renamed = GitPath("Articles/r\(step).md")
                let text = try repo.repository.fileContents(at: pick, inCommit: repo.repository.headCommit())?.bytes ?? []
                files.removeAll { $0 == pick }
                files.append(renamed)
                try repo.commit("rename", [.remove(pick), FileChange(path: renamed, contents: text)], time: time)
            case 2:
                let fork = try repo.repository.headCommit()
                let side = try repo.commit("side", [.write(pick, "side \(step)")], parents: [fork], time: time, moveBranch: false)
                sides.append(side)
            case 3 where !sides.isEmpty:
                let side = sides.removeFirst()
                let sideText = try repo.repository.fileContents(at: pick, inCommit: side)?.bytes
                let resolution: [FileChange] = switch rng.next(in: 0..<3) {
                case 0: sideText.map { [FileChange(path: pick, contents: $0)] } ?? []
                case 1: [.write(pick, "merged \(step)")]
                default: []
                }
                try repo.merge(side, resolution, time: time)
            case 4:
                files.append(GitPath("Articles/new\(step).md"))
                try repo.commit("add", [.write(files.last!, "new \(step)")], time: time)
            default:
                try repo.commit("edit", [.write(pick, "edit \(step) \(rng.next(in: 0..<3))")], time: time)
            }
        }
        try crossCheck(repo)
        // Packed (one or two packs, deep delta chains), without the index the first check built:
        // the same answers through the pack reader.
        try Git.run(["repack", "-d", "-q", "--depth=50", "--window=50"], in: repo.path)
        try FileManager.default.removeItem(atPath: repo.repository.gitDirectory + "review")
        try crossCheck(repo)
    }

    /// Random histories over names that are equal as Swift strings but not as bytes (NFC and
    /// NFD spellings, letter case, bytes that are not UTF-8): adds, edits, deletes, renames
    /// between twins and merges. Every answer is `git log -1 -- <exact bytes>` (issue 30).
    @Test(arguments: 1...10) func randomHistoriesOfLookAlikeNamesMatchGit(seed: UInt64) throws {
        var rng = SplitMix(seed: seed)
        let repo = try RepoBuilder()
        let stems: [[UInt8]] = [Array("caf\u{E9}".utf8), Array("cafe\u{301}".utf8), Array("Caf\u{E9}".utf8), Array("CAFE\u{301}".utf8),
                                Array("flu".utf8), Array("Flu".utf8), [0x66, 0xFF], [0x66, 0xFE]]
        let folders: [[UInt8]] = [[], Array("\u{C5}se/".utf8), Array("A\u{30A}se/".utf8)]
        func name() -> GitPath {
            GitPath(bytes: Array("Articles/".utf8) + folders[rng.next(in: 0..<folders.count)] + stems[rng.next(in: 0..<stems.count)] + Array(".md".utf8))
        }
        var files = Set((0..<4).map { _ in name() })
        try repo.commit("import", files.map { .write($0, "v0 \($0.escaped)") })
        var sides: [ObjectID] = []
        for step in 0..<30 {
            let pick = files.sorted()[rng.next(in: 0..<files.count)]
            switch rng.next(in: 0..<6) {
            case 0 where files.count > 2:
                files.remove(pick)
                try repo.commit("delete", [.remove(pick)])
            case 1:
                // A rename, often to the file's own look-alike.
                let twin = name()
                guard !files.contains(twin) else { fallthrough }
                let text = try repo.repository.fileContents(at: pick, inCommit: repo.repository.headCommit())?.bytes ?? []
                files.remove(pick)
                files.insert(twin)
                try repo.commit("rename", [.remove(pick), FileChange(path: twin, contents: text)])
            case 2:
                sides.append(try repo.commit("side", [.write(pick, "side \(step)")], parents: [repo.repository.headCommit()], moveBranch: false))
            case 3 where !sides.isEmpty:
                try repo.merge(sides.removeFirst(), [.write(pick, "merged \(step)")])
            case 4:
                let new = name()
                files.insert(new)
                try repo.commit("add", [.write(new, "new \(step)")])
            default:
                try repo.commit("edit", [.write(pick, "edit \(step) \(rng.next(in: 0..<3))")])
            }
        }
        try crossCheckBytes(repo)
        try Git.run(["repack", "-d", "-q"], in: repo.path)
        try FileManager.default.removeItem(atPath: repo.repository.gitDirectory + "review")
        try crossCheckBytes(repo)
    }

    /// ``crossCheck(_:at:sourceLocation:)`` for paths of any bytes: git lists them NUL-separated
    /// and is asked about each as a literal pathspec.
    private func crossCheckBytes(_ repo: RepoBuilder, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let head = try repo.repository.headCommit()
        let report = try HistoryEngine().lastChanges(in: repo.repository, at: head, under: "Articles")
        let listed = try Git.runBytes(["ls-tree", "-r", "-z", "--name-only", head.hex, "--", "Articles/"], in: repo.path)
            .split(separator: 0).map { GitPath(bytes: $0) }
        #expect(report.files.map(\.path) == listed, sourceLocation: sourceLocation)
        for file in report.files {
            let expected = try Git.runBytes(["log", "-1", "--format=%H", head.hex, "--"], pathspec: file.path.bytes, in: repo.path)
            #expect(file.commit?.id.hex == String(decoding: expected, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
                    "\(file.path.escaped)", sourceLocation: sourceLocation)
        }
    }

    /// A clone sharing its objects through `objects/info/alternates`: those are libgit2's to read.
    @Test func aCloneUsingAlternatesAnswersLikeItsSource() throws {
        let repo = try RepoBuilder()
        for i in 0..<12 { try repo.commit("edit \(i)", [.write(GitPath("Articles/f\(i % 4).md"), "v\(i)")]) }
        try Git.run(["repack", "-a", "-d", "-q"], in: repo.path)
        let clone = TemporaryDirectory()
        try Git.run(["clone", "-q", "--shared", repo.path, clone.path + "/c"], in: clone.path)
        #expect(FileManager.default.fileExists(atPath: clone.path + "/c/.git/objects/info/alternates"))
        let shared = try Repository.open(at: clone.path + "/c")
        let answers = { (r: Repository) throws -> [String] in
            try HistoryEngine(usesCache: false).lastChanges(in: r, at: r.headCommit(), under: "Articles").files
                .map { "\($0.path) \($0.commit?.id.hex ?? "-")" }
        }
        #expect(try answers(shared) == answers(repo.repository))
    }

    @Test func emptyDirectoryGivesNoFiles() throws {
        let repo = try RepoBuilder()
        try repo.commit("no articles", [.write("README", "r")])
        let report = try HistoryEngine().lastChanges(in: repo.repository, at: repo.repository.headCommit(), under: "Articles")
        #expect(report.files.isEmpty)
    }

    @Test func shallowCloneAnswersUnknownPastTheBoundary() throws {
        let repo = try RepoBuilder()
        try repo.commit("import", [.write("Articles/old.md", "1"), .write("Articles/new.md", "1")])
        try repo.commit("two", [.write("README", "r")])
        try repo.commit("three", [.write("Articles/new.md", "2")])
        let clone = TemporaryDirectory()
        try Git.run(["clone", "-q", "--depth", "2", "file://" + repo.path, clone.path + "/c"], in: clone.path)
        let shallow = try Repository.open(at: clone.path + "/c")
        #expect(shallow.isShallow)
        let report = try HistoryEngine().lastChanges(in: shallow, at: shallow.headCommit(), under: "Articles")
        let byPath = Dictionary(uniqueKeysWithValues: report.files.map { ($0.path, $0) })
        #expect(byPath["Articles/new.md"]?.commit?.summary == "three")
        // Unchanged in both commits the clone has: its last change lies beyond the boundary.
        #expect(byPath["Articles/old.md"]?.commit == nil)
        #expect(report.reachedShallowBoundary)
    }
}

/// Which main-line commit brought each commit (``MainLine``), against git: the commits a
/// first-parent commit `M` brought are `git rev-list M ^M^1` (all of them, for the root).
@Suite struct MainLineTests {
    @Test func eachCommitArrivesWithTheMainLineCommitGitSaysBroughtIt() throws {
        let repo = try RepoBuilder()
        let root = try repo.commit("import", [.write("Articles/a.md", "1")])
        // A branch with a branch of its own, merged into it, then into main; main merged into
        // another branch, which main then merges (so main's own commits come back through it).
        let b1 = try repo.commit("b1", [.write("Articles/b.md", "1")], on: "refs/heads/b", parents: [root])
        let c1 = try repo.commit("c1", [.write("Articles/c.md", "1")], on: "refs/heads/c", parents: [b1])
        let b2 = try repo.commit("b2", [.write("Articles/b.md", "2")], on: "refs/heads/b")
        let bMerge = try repo.commit("merge c into b", [.write("Articles/c.md", "1")], on: "refs/heads/b", parents: [b2, c1])
        let m1 = try repo.commit("m1", [.write("Articles/a.md", "2")])
        let mainMerge = try repo.merge(bMerge, [.write("Articles/b.md", "2"), .write("Articles/c.md", "1")])
        let d1 = try repo.commit("d1", [.write("Articles/d.md", "1")], on: "refs/heads/d", parents: [m1])
        let dMerge = try repo.commit("merge main into d", [.write("Articles/b.md", "2"), .write("Articles/c.md", "1")],
                                     on: "refs/heads/d", parents: [d1, mainMerge])
        let m2 = try repo.commit("m2", [.write("Articles/a.md", "3")])
        let last = try repo.merge(dMerge, [.write("Articles/d.md", "1")])
        let report = try HistoryEngine().lastChanges(in: repo.repository, at: last, under: "Articles")
        let chain = try Git.run(["rev-list", "--first-parent", "--reverse", last.hex], in: repo.path).split(separator: "\n").map(String.init)
        var expected: [String: String] = [:]
        for (n, m) in chain.enumerated() {
            let brought = try Git.run(n == 0 ? ["rev-list", m] : ["rev-list", m, "^\(m)^1"], in: repo.path).split(separator: "\n")
            for commit in brought where expected[String(commit)] == nil { expected[String(commit)] = m }
        }
        let all = try Git.run(["rev-list", last.hex], in: repo.path).split(separator: "\n").map(String.init)
        #expect(all.count == 11)
        for commit in all {
            #expect(report.mainLine.arrival(of: ObjectID(hex: commit)!)?.hex == expected[commit], "\(commit)")
        }
        // Spelled out: a commit of a branch's branch arrives with main's merge of the branch; main's
        // own commits arrive as themselves, also when a branch merged them first.
        #expect(report.mainLine.arrival(of: c1) == mainMerge && report.mainLine.arrival(of: b1) == mainMerge)
        #expect(report.mainLine.arrival(of: m1) == m1 && report.mainLine.arrival(of: d1) == last && report.mainLine.arrival(of: m2) == m2)
        // A commit the revision does not reach has no arrival.
        let elsewhere = try repo.commit("elsewhere", [.write("Articles/e.md", "1")], on: "refs/heads/e", parents: [root])
        #expect(report.mainLine.arrival(of: elsewhere) == nil)
    }
}
