import Paths
import Foundation
import GitKit
import Testing
import TestSupport

@Suite struct RepositoryTests {
    @Test func objectIDRoundTripsThroughHex() throws {
        let hex = "0123456789abcdef0123456789abcdef01234567"
        let id = try #require(ObjectID(hex: hex))
        #expect(id.hex == hex)
        #expect(id.short == "0123456")
        #expect(ObjectID(hex: "xyz") == nil)
        #expect(ObjectID(hex: String(hex.dropLast())) == nil)
    }

    @Test func hexSpellsEveryByteAsPrintfDoes() throws {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<200 {
            // Every byte value appears in the first rounds (0x00...0xff over 13 ids), then random ones.
            let bytes = (0..<20).map { round < 13 ? UInt8(truncatingIfNeeded: round * 20 + $0) : UInt8.random(in: 0...255, using: &generator) }
            let expected = bytes.map { String(format: "%02x", $0) }.joined()
            let id = try #require(ObjectID(hex: expected))
            #expect(id.hex == expected)
            #expect(id.bytes == bytes)
        }
    }

    @Test func aDirectoryThatIsNoRepositoryIsReportedAsSuch() throws {
        let dir = TemporaryDirectory()
        #expect(throws: RepositoryError.notARepository(path: dir.path)) { try Repository.open(at: dir.path) }
    }

    @Test func discoveryFindsTheRepositoryFromASubdirectory() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Articles/a.md", "a")])
        try FileManager.default.createDirectory(atPath: repo.path + "/Articles/deep", withIntermediateDirectories: true)
        let found = try Repository.discover(startingAt: repo.path + "/Articles/deep")
        #expect(try found.headCommit() == repo.repository.headCommit())
    }

    @Test func anEmptyRepositoryHasNoHeadCommit() throws {
        let repo = try RepoBuilder()
        #expect(try repo.repository.head() == .unborn(branch: "refs/heads/main"))
        #expect(throws: RepositoryError.self) { try repo.repository.headCommit() }
    }

    @Test func detachedHeadIsReported() throws {
        let repo = try RepoBuilder()
        let first = try repo.commit("one", [.write("a", "1")])
        try repo.commit("two", [.write("a", "2")])
        try repo.repository.detachHead(at: first)
        #expect(try repo.repository.head() == .detached(first))
        #expect(throws: RepositoryError.detachedHead) { try repo.repository.currentBranch() }
    }

    @Test func bareRepositoriesOpenByPath() throws {
        let repo = try RepoBuilder(bare: true)
        let id = try repo.commit("one", [.write("Articles/a.md", "a")])
        let opened = try Repository.open(at: repo.path)
        #expect(opened.isBare)
        #expect(opened.workingDirectory == nil)
        #expect(try opened.headCommit() == id)
    }

    @Test func revisionsResolveAndUnknownOnesAreNamed() throws {
        let repo = try RepoBuilder()
        let one = try repo.commit("one", [.write("a", "1")])
        try repo.commit("two", [.write("a", "2")])
        #expect(try repo.repository.resolveCommit("HEAD~1") == one)
        #expect(try repo.repository.resolveCommit(one.hex) == one)
        #expect {
            try repo.repository.resolveCommit("no-such-branch")
        } throws: { error in
            guard case RepositoryError.unknownRevision("no-such-branch", _) = error else { return false }
            return true
        }
    }

    @Test func walksListChildrenBeforeParentsDespiteClockSkew() throws {
        let repo = try RepoBuilder()
        let a = try repo.commit("a", [.write("f", "1")], time: 2_000_000_000)
        let b = try repo.commit("b", [.write("f", "2")], time: 1_000_000_000)
        let c = try repo.commit("c", [.write("f", "3")], time: 1_500_000_000)
        #expect(try repo.repository.history(from: c, order: .topological) == [c, b, a])
        #expect(try repo.repository.history(from: c, order: .time) == [a, c, b])
        #expect(try repo.repository.history(from: c, order: .topological, limit: 1) == [c])
    }

    @Test func compareAndSwapRefusesAConcurrentMove() throws {
        let repo = try RepoBuilder()
        let one = try repo.commit("one", [.write("a", "1")])
        let two = try repo.commit("two", [.write("a", "2")])
        let three = try repo.commit("three", [.write("a", "3")], parents: [one], moveBranch: false)
        // The branch is at `two`; a writer that still believes it is at `one` must fail.
        #expect(throws: RepositoryError.referenceMoved(name: RepoBuilder.main)) {
            try repo.repository.updateReference(RepoBuilder.main, to: three, expected: one, message: "stale")
        }
        #expect(try repo.repository.referenceTarget(RepoBuilder.main) == two)
        #expect(throws: RepositoryError.referenceMoved(name: "refs/heads/new")) {
            try repo.repository.updateReference("refs/heads/new", to: three, expected: nil, message: "create")
            try repo.repository.updateReference("refs/heads/new", to: three, expected: nil, message: "create again")
        }
    }

    @Test func committingOntoTheCheckedOutBranchKeepsIndexAndWorkTreeClean() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Articles/a.md", "a"), .write("Reviews/x", "x")])
        try repo.checkoutHead()
        let me = RepoBuilder.signature("Rita Reviewer", time: 1_800_000_000)
        let id = try repo.repository.commit(onto: RepoBuilder.main, author: me, committer: me, message: "Approve a") { _ in
            [.write("Reviews/signoffs/a/1.yml", "decision: approve\n"), .remove("Reviews/x")]
        }
        #expect(try repo.repository.headCommit() == id)
        #expect(try Git.run(["status", "--porcelain"], in: repo.path) == "")
        #expect(try String(contentsOfFile: repo.path + "/Reviews/signoffs/a/1.yml", encoding: .utf8) == "decision: approve\n")
        #expect(!FileManager.default.fileExists(atPath: repo.path + "/Reviews/x"))
        try Git.run(["fsck", "--strict"], in: repo.path)
    }

    @Test func aUsersUncommittedEditSurvivesACommitOnTheSamePath() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("notes.txt", "committed\n")])
        try repo.checkoutHead()
        try "mine\n".write(toFile: repo.path + "/notes.txt", atomically: true, encoding: .utf8)
        let me = RepoBuilder.signature("Rita Reviewer", time: 1_800_000_000)
        // The writer refuses rather than commit over it (issue 21): the user's edit and HEAD stay.
        let head = try repo.repository.headCommit()
        #expect(throws: RepositoryError.self) {
            try repo.repository.commit(onto: RepoBuilder.main, author: me, committer: me, message: "tool edit") { _ in
                [.write("notes.txt", "tool\n")]
            }
        }
        #expect(try repo.repository.headCommit() == head)
        #expect(try String(contentsOfFile: repo.path + "/notes.txt", encoding: .utf8) == "mine\n")
        #expect(try Git.run(["status", "--porcelain"], in: repo.path) == " M notes.txt\n")
    }

    @Test func aMissingObjectIsNamed() throws {
        let repo = try RepoBuilder()
        let id = try repo.commit("one", [.write("Articles/a.md", "a")])
        let blob = try #require(try repo.repository.entry(at: "Articles/a.md", inCommit: id)).id
        try FileManager.default.removeItem(atPath: repo.path + "/.git/objects/\(blob.hex.prefix(2))/\(blob.hex.dropFirst(2))")
        let fresh = try Repository.open(at: repo.path)
        #expect {
            try fresh.blob(blob)
        } throws: { error in
            guard case RepositoryError.missingObject(let named, _) = error else { return false }
            return named == blob && (error as! RepositoryError).explanation.contains(blob.hex)
        }
    }

    @Test func aCorruptObjectIsNamed() throws {
        let repo = try RepoBuilder()
        let id = try repo.commit("one", [.write("Articles/a.md", "a")])
        let tree = try repo.repository.commit(id).tree
        let path = repo.path + "/.git/objects/\(tree.hex.prefix(2))/\(tree.hex.dropFirst(2))"
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try Data("not zlib at all".utf8).write(to: URL(fileURLWithPath: path))
        let fresh = try Repository.open(at: repo.path)
        #expect {
            try HistoryEngine().lastChanges(in: fresh, at: id, under: "Articles")
        } throws: { error in
            guard case RepositoryError.corruptObject(let named, _) = error else { return false }
            return named == tree
        }
    }
}

@Suite struct WriteLockTests {
    @Test func locksLeftByAKilledWriterAreRemovedByTheNext() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("a", "1")])
        try repo.checkoutHead()
        let git = repo.repository.gitDirectory
        // What a writer killed between taking git's locks and renaming them leaves behind.
        try "refs/heads/main.lock\nindex.lock".write(toFile: git + "review.lock", atomically: false, encoding: .utf8)
        try "junk".write(toFile: git + "refs/heads/main.lock", atomically: false, encoding: .utf8)
        try "junk".write(toFile: git + "index.lock", atomically: false, encoding: .utf8)
        let me = RepoBuilder.signature("Rita Reviewer", time: 1_800_000_000)
        try repo.repository.commit(onto: RepoBuilder.main, author: me, committer: me, message: "after a crash") { _ in [.write("b", "2")] }
        #expect(!FileManager.default.fileExists(atPath: git + "refs/heads/main.lock"))
        #expect(!FileManager.default.fileExists(atPath: git + "index.lock"))
        #expect(try String(contentsOfFile: git + "review.lock", encoding: .utf8) == "")
        #expect(try Git.run(["status", "--porcelain"], in: repo.path) == "")
    }

    @Test func aWorkTreeUpdateAKilledWriterLeftUndoneIsFinishedByTheNext() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("a", "1")])
        try repo.checkoutHead()
        let oldTree = try repo.repository.commit(repo.repository.headCommit()).tree
        // The branch moved to a new commit, then the writer died before the work tree followed.
        let moved = try repo.commit("record", [.write("Reviews/signoffs/a/1.yml", "decision: approve\n")])
        let git = repo.repository.gitDirectory
        try "refs/heads/main.lock\nindex.lock\nsync refs/heads/main \(oldTree.hex) \(moved.hex)\n"
            .write(toFile: git + "review.lock", atomically: false, encoding: .utf8)
        #expect(try Git.run(["status", "--porcelain"], in: repo.path) != "")
        let me = RepoBuilder.signature("Rita Reviewer", time: 1_800_000_000)
        try repo.repository.commit(onto: RepoBuilder.main, author: me, committer: me, message: "next") { _ in [.write("b", "2")] }
        #expect(try Git.run(["status", "--porcelain"], in: repo.path) == "")
        #expect(FileManager.default.fileExists(atPath: repo.path + "/Reviews/signoffs/a/1.yml"))
    }

    /// Issue 21: a writer died after listing index.lock; then a `git commit` took index.lock.
    /// The lock is newer than the list, but a living process holds it open: it stays.
    @Test func aLockALivingProcessHoldsOpenStays() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("a", "1")])
        try repo.checkoutHead()
        let git = repo.repository.gitDirectory
        try "index.lock".write(toFile: git + "review.lock", atomically: false, encoding: .utf8)
        let old = Date(timeIntervalSinceNow: -60)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: git + "review.lock")
        // This test process plays the living git: it creates the lock and keeps it open.
        let fd = open(git + "index.lock", O_WRONLY | O_CREAT | O_EXCL, 0o644)
        #expect(fd >= 0)
        defer { unlink(git + "index.lock") }
        try repo.repository.withWriteLock {}
        #expect(FileManager.default.fileExists(atPath: git + "index.lock"))
        // Closed (its owner gone), the same lock is the dead writer's and goes. (Closed once:
        // a second close could close another thread's descriptor in a parallel test run.)
        try "index.lock".write(toFile: git + "review.lock", atomically: false, encoding: .utf8)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: git + "review.lock")
        close(fd)
        try repo.repository.withWriteLock {}
        #expect(!FileManager.default.fileExists(atPath: git + "index.lock"))
    }

    /// Issue 21: writers never leave HEAD, index and work tree disagreeing with the user's
    /// own uncommitted work on a path they write: they refuse, and write nothing.
    @Test(arguments: ["unstaged", "staged", "staged removal"])
    func aWriterRefusesAPathWithUncommittedChanges(_ kind: String) throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("Reviews/reviewers.yml", "reviewers: []\n")])
        try repo.checkoutHead()
        let file = repo.path + "/Reviews/reviewers.yml"
        switch kind {
        case "unstaged": try "reviewers: [] # mine\n".write(toFile: file, atomically: false, encoding: .utf8)
        case "staged":
            try "reviewers: [] # mine\n".write(toFile: file, atomically: false, encoding: .utf8)
            try Git.run(["add", "Reviews/reviewers.yml"], in: repo.path)
        default: try Git.run(["rm", "-q", "-r", "Reviews"], in: repo.path)
        }
        let before = try repo.repository.headCommit()
        let status = try Git.run(["status", "--porcelain"], in: repo.path)
        let me = RepoBuilder.signature("Rita Reviewer", time: 1_800_000_000)
        #expect {
            try repo.repository.commit(onto: RepoBuilder.main, author: me, committer: me, message: "edit") { _ in
                [.write("Reviews/reviewers.yml", "reviewers: [] # review's\n")]
            }
        } throws: { error in
            "\(error)".contains("uncommitted changes")
        }
        #expect(try repo.repository.headCommit() == before)
        #expect(try Git.run(["status", "--porcelain"], in: repo.path) == status)
    }

    @Test func aLockOlderThanTheListIsSomeoneElsesAndStays() throws {
        let repo = try RepoBuilder()
        try repo.commit("one", [.write("a", "1")])
        let git = repo.repository.gitDirectory
        try "junk".write(toFile: git + "refs/heads/main.lock", atomically: false, encoding: .utf8)
        let old = Date(timeIntervalSinceNow: -3600)
        try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: git + "refs/heads/main.lock")
        try "refs/heads/main.lock".write(toFile: git + "review.lock", atomically: false, encoding: .utf8)
        let me = RepoBuilder.signature("Rita Reviewer", time: 1_800_000_000)
        #expect(throws: RepositoryError.self) {
            try repo.repository.commit(onto: RepoBuilder.main, author: me, committer: me, message: "blocked", attempts: 2) { _ in [.write("b", "2")] }
        }
        #expect(FileManager.default.fileExists(atPath: git + "refs/heads/main.lock"))
    }
}
