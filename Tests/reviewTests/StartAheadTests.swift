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
}
