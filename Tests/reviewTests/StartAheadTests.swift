import Foundation
import GitKit
import ReviewKit
import Testing
@testable import review

/// What `main` guesses from the raw command line before parsing it, to start ahead.
@Suite struct StartAheadTests {
    @Test func theRepositoryIsTheLastRepoOptionInEitherSpelling() {
        #expect(Review.repositoryOption(["status"]) == nil)
        #expect(Review.repositoryOption(["status", "--repo", "/a"]) == "/a")
        #expect(Review.repositoryOption(["--repo=/a", "check", "--repo", "/b"]) == "/b")
        #expect(Review.repositoryOption(["check", "--repo"]) == nil, "a --repo with no value names nothing")
        #expect(Review.repositoryOption(["--repo", "/a", "status", "--repo=b"]) == "b")
    }

    @Test func helpVersionAndKeyGenerationReadNoRepository() {
        #expect(Review.readsARepository(["status", "--format", "json"]))
        #expect(Review.readsARepository(["--repo", "x", "check"]))
        for arguments in [[], ["help"], ["help", "status"], ["--help"], ["status", "-h"], ["--version"], ["keygen", "--name", "a"]] {
            #expect(!Review.readsARepository(arguments), "\(arguments)")
        }
    }

    /// Starting ahead returns once libgit2's set-up has begun on a thread of its own (so that it
    /// runs there, not on the caller's thread), and ends; also in a process that set libgit2 up
    /// already, as this one may have.
    @Test(.timeLimit(.minutes(1))) func startingAheadReturnsOnceLibgit2sSetUpHasBegun() {
        let ahead = StartAhead.begin(repositoryPath: FileManager.default.temporaryDirectory.path)
        #expect(Repository.waitForLibgit2SetUpToBegin(milliseconds: 10_000), "the set-up says when it begins")
        ahead.finish()
    }
}
