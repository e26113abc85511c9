import Paths
import Foundation
import ReviewCore
import Testing
import TestSupport

/// The README's governance walkthrough, command by command, as a new team would run it.
@Suite struct GovernanceCommandTests {
    @Test func theDocumentedWalkthroughWorks() throws {
        let keys = TemporaryDirectory(), work = TemporaryDirectory()
        let repo = work.path + "/content"
        let env = ["REVIEW_KEY_DIR": keys.path + "/keys"]
        func run(_ arguments: [String], _ extra: [String: String] = [:]) throws -> ReviewRun {
            try ReviewRun(arguments, in: FileManager.default.fileExists(atPath: repo) ? repo : work.path, environment: env.merging(extra) { $1 })
        }
        var publicKeys: [String: String] = [:]
        for id in ["gov-a", "gov-b", "gov-c", "ann"] {
            let made = try run(["keygen", id])
            #expect(made.status == 0, "\(made.stderr)")
            publicKeys[id] = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let initialised = try run(["init", repo] + ["gov-a", "gov-b", "gov-c"].flatMap { ["--governance", "\($0)=\(publicKeys[$0]!)"] })
        #expect(initialised.status == 0, "\(initialised.stderr)")
        // Three keys default to 2 of 3, which survives a lost key: no warning.
        #expect(initialised.stdout.contains("2 of 3") && !initialised.stderr.contains("warning"), "\(initialised.stdout) \(initialised.stderr)")
        let fingerprint = try #require(initialised.stdout.split(separator: "\n").first { $0.hasPrefix("sha256:") }.map(String.init))
        // On main, the branch publish uses by default (libgit2 alone would have made master).
        #expect(try Git.run(["symbolic-ref", "HEAD"], in: repo).trimmingCharacters(in: .whitespacesAndNewlines) == "refs/heads/main")
        // Until two of the three sign, the root is pending and changes nothing.
        let pending = try run(["governance", "status"])
        #expect(pending.stdout.contains("signed by 0 of the 2 governance keys it needs"), "\(pending.stdout)")
        #expect(try run(["governance", "sign", "--as", "gov-a"]).status == 0)
        let second = try run(["governance", "sign", "--as", "gov-b"])
        #expect(second.stdout.contains("Configuration version 1 is in force"), "\(second.stdout) \(second.stderr)")
        #expect(try run(["governance", "fingerprint"]).stdout == fingerprint + "\n")
        // CI: pinned and required.
        #expect(try run(["check", "--require-trust-root", "--as-of", "2030-01-01"], ["REVIEW_TRUST_ROOT": fingerprint]).status == 0)
        let unpinned = try run(["check", "--require-trust-root", "--as-of", "2030-01-01"])
        #expect(unpinned.status == 1 && unpinned.stdout.contains("[trust-root-required]"), "\(unpinned.stdout)")
        let wrong = try run(["--trust-root", "sha256:" + String(repeating: "0", count: 64), "check", "--as-of", "2030-01-01"])
        #expect(wrong.status == 1 && wrong.stdout.contains("[trust-root-mismatch]"), "\(wrong.stdout)")
        #expect(try run(["check", "--trust-root", "not-a-fingerprint"]).status == 2)
        // A reviewer added is pending until signed.
        let added = try run(["reviewer", "add", "ann", "--name", "Dr Ann", "--roles", "medical", "--credentials", "MD", "--public-key", publicKeys["ann"]!])
        #expect(added.status == 0, "\(added.stderr)")
        let waiting = try run(["governance", "status"])
        #expect(waiting.stdout.contains("Pending: version 2 changes Reviews/reviewers.yml"), "\(waiting.stdout)")
        // What a signer reads before signing: the change itself, as a diff from the version in force.
        let diff = try run(["governance", "status", "--diff"])
        #expect(diff.stdout.contains("diff --git a/Reviews/reviewers.yml b/Reviews/reviewers.yml"), "\(diff.stdout)")
        #expect(diff.stdout.split(separator: "\n").contains { $0.hasPrefix("+") && $0.contains("Dr Ann") }, "\(diff.stdout)")
        let signed = try run(["governance", "sign", "--as", "gov-c"])
        #expect(signed.status == 0 && signed.stdout.contains("The change signed, from the version in force:\ndiff --git a/Reviews/reviewers.yml"), "\(signed.stdout)")
        let twice = try run(["governance", "sign", "--as", "gov-c"])
        #expect(twice.status == 2 && twice.stderr.contains("a key counts once"), "\(twice.stderr)")
        #expect(try run(["governance", "sign", "--as", "gov-a"]).stdout.contains("Configuration version 2 is in force"))
        // An offline bundle check needs the pin, and refuses what is not a bundle.
        #expect(try run(["verify", "--bundle", repo + "/Reviews/root.yml"]).status == 2)
        let junk = try run(["verify", "--bundle", repo + "/Reviews/root.yml", "--trust-root", fingerprint])
        #expect(junk.status == 1 && junk.stdout.contains("not a review verification bundle"), "\(junk.stdout)")
    }

    /// Safe defaults (issue 34, item 1): n of n and a single key are warned about, and two keys
    /// default to a threshold that survives a lost key.
    @Test func thresholdsThatLockOrLetOneDecideAreWarnedAbout() throws {
        #expect(ThresholdAdvice.defaultThreshold(keys: 3) == 2 && ThresholdAdvice.defaultThreshold(keys: 4) == 3 && ThresholdAdvice.defaultThreshold(keys: 5) == 3)
        #expect(ThresholdAdvice.defaultThreshold(keys: 2) == 1 && ThresholdAdvice.defaultThreshold(keys: 1) == 1)
        #expect(ThresholdAdvice.warnings(threshold: 2, keys: 3).isEmpty && ThresholdAdvice.warnings(threshold: 3, keys: 5).isEmpty)
        #expect(ThresholdAdvice.warnings(threshold: 2, keys: 2).first?.contains("locks every configuration change") == true)
        #expect(ThresholdAdvice.warnings(threshold: 3, keys: 3).first?.contains("--threshold 2") == true)
        #expect(ThresholdAdvice.warnings(threshold: 1, keys: 1).first?.contains("a single governance key") == true)
        #expect(ThresholdAdvice.warnings(threshold: 1, keys: 2).first?.contains("alone") == true)

        let keys = TemporaryDirectory(), work = TemporaryDirectory()
        let env = ["REVIEW_KEY_DIR": keys.path + "/keys"]
        var publicKeys: [String: String] = [:]
        for id in ["gov-a", "gov-b"] {
            publicKeys[id] = try ReviewRun(["keygen", id], in: work.path, environment: env).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let two = try ReviewRun(["init", work.path + "/two"] + ["gov-a", "gov-b"].flatMap { ["--governance", "\($0)=\(publicKeys[$0]!)"] } + ["--threshold", "2"],
                                in: work.path, environment: env)
        #expect(two.status == 0 && two.stderr.contains("warning: 2 of 2: losing any one governance key locks"), "\(two.stderr)")
        let defaulted = try ReviewRun(["init", work.path + "/default"] + ["gov-a", "gov-b"].flatMap { ["--governance", "\($0)=\(publicKeys[$0]!)"] },
                                      in: work.path, environment: env)
        #expect(defaulted.status == 0 && defaulted.stdout.contains("1 of 2") && defaulted.stderr.contains("alone"), "\(defaulted.stdout) \(defaulted.stderr)")
    }

    /// Fewer steps (issue 34, item 5): `init --governance ID` makes the key when this machine has
    /// none, `--sign-as` signs the change a command commits, and a key that may not sign refuses
    /// the command before anything is written.
    @Test func initMakesKeysAndSignAsSignsWhatACommandCommits() throws {
        let keys = TemporaryDirectory(), work = TemporaryDirectory()
        let repo = work.path + "/site"
        let env = ["REVIEW_KEY_DIR": keys.path + "/keys"]
        func run(_ arguments: [String]) throws -> ReviewRun {
            try ReviewRun(arguments, in: FileManager.default.fileExists(atPath: repo) ? repo : work.path, environment: env)
        }
        // --sign-as must name one of the root's keys: refused before any file or key is made.
        let stranger = try run(["init", repo, "--governance", "gov-a", "--governance", "gov-b", "--sign-as", "gov-c"])
        #expect(stranger.status == 2 && stranger.stderr.contains("--sign-as gov-c is not one of the --governance keys"), "\(stranger.stderr)")
        #expect(!FileManager.default.fileExists(atPath: repo + "/Reviews"))
        let made = try run(["init", repo, "--governance", "gov-a", "--governance", "gov-b", "--sign-as", "gov-a"])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stderr.contains("made a key for gov-a") && made.stderr.contains("made a key for gov-b"), "\(made.stderr)")
        #expect(made.stdout.contains("Signed the configuration as gov-a") && made.stdout.contains("Configuration version 1 is in force"), "\(made.stdout)")
        // The key made is the one the root lists; a second run would use it, not make another.
        #expect(FileManager.default.fileExists(atPath: keys.path + "/keys/gov-a.key"))
        // A reviewer's key defaults to this machine's key of that id; --sign-as signs the change.
        let added = try run(["reviewer", "add", "gov-a", "--name", "Dr A", "--roles", "medical", "--credentials", "MD", "--sign-as", "gov-b"])
        #expect(added.status == 0 && added.stdout.contains("Configuration version 2 is in force"), "\(added.stdout) \(added.stderr)")
        #expect(try run(["reviewer", "list"]).stdout.contains("gov-a  Dr A, MD  [medical]"))
        // A reviewer key is not a governance key: nothing is committed.
        #expect(try run(["keygen", "ann"]).status == 0)
        let head = try Git.run(["rev-parse", "HEAD"], in: repo)
        let refused = try run(["reviewer", "add", "bob", "--name", "Bob", "--roles", "editorial", "--credentials", "MSc", "--public-key",
                               try #require(try run(["keygen", "bob"]).stdout.split(separator: "\n").last.map(String.init)), "--sign-as", "ann"])
        #expect(refused.status == 2 && refused.stderr.contains("--sign-as ann: that key is not a governance key of version 2"), "\(refused.stderr)")
        #expect(try Git.run(["rev-parse", "HEAD"], in: repo) == head)
        // No --public-key and no key of that id here: a clear refusal, nothing committed.
        let keyless = try run(["reviewer", "add", "carol", "--name", "Carol", "--roles", "editorial", "--credentials", "MSc"])
        #expect(keyless.status == 2 && keyless.stderr.contains("no --public-key, and no key of 'carol' on this machine"), "\(keyless.stderr)")
        #expect(try Git.run(["rev-parse", "HEAD"], in: repo) == head)
    }
}
