import Paths
import Foundation
import Testing
import TestSupport

/// A governed repository is always read against a pinned root (issue 31, item 7): the pin comes
/// from --trust-root, REVIEW_TRUST_ROOT, the per-user known-roots file (recorded on first use
/// outside CI, as SSH's known_hosts) or the latest signed publication, and every command says
/// which; in CI with none, check is blocking and publish refuses.
@Suite struct TrustPinCommandTests {
    static let origin = "https://example.org/health/content.git"

    /// A repository with a signed root of two fresh keys (1 of 2), cloned from `origin`.
    private func governedRepository(in work: TemporaryDirectory, name: String, keys: String) throws -> (path: String, fingerprint: String) {
        let env = ["REVIEW_KEY_DIR": keys]
        let repo = work.path + "/" + name
        var publicKeys: [String: String] = [:]
        for id in ["gov-a", "gov-b"] {
            let made = try ReviewRun(["keygen", id], in: work.path, environment: env)
            #expect(made.status == 0, "\(made.stderr)")
            publicKeys[id] = made.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let initialised = try ReviewRun(["init", repo] + ["gov-a", "gov-b"].flatMap { ["--governance", "\($0)=\(publicKeys[$0]!)"] },
                                        in: work.path, environment: env)
        #expect(initialised.status == 0, "\(initialised.stderr)")
        let fingerprint = try #require(initialised.stdout.split(separator: "\n").first { $0.hasPrefix("sha256:") }.map(String.init))
        let signed = try ReviewRun(["governance", "sign", "--as", "gov-a"], in: repo, environment: env.merging(["REVIEW_TRUST_ROOT": fingerprint]) { $1 })
        #expect(signed.status == 0, "\(signed.stderr)")
        _ = try Git.run(["remote", "add", "origin", Self.origin], in: repo)
        return (repo, fingerprint)
    }

    @Test func theRootIsRecordedOnFirstUseAndAnotherRootAtTheSameOriginIsAnError() throws {
        let work = TemporaryDirectory()
        let (repo, fingerprint) = try governedRepository(in: work, name: "content", keys: work.path + "/keys")
        let known = work.path + "/config/known-roots"
        let env = ["REVIEW_KNOWN_ROOTS": known]
        let first = try ReviewRun(["check", "--as-of", "2030-01-01"], in: repo, environment: env)
        #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
        #expect(first.stderr.contains("note: trusting the first root of https://example.org/health/content, \(fingerprint), on first use; recorded in \(known), line 2"),
                "\(first.stderr)")
        #expect(!first.stdout.contains("[unpinned-trust-root]"), "\(first.stdout)")
        let recorded = try String(contentsOfFile: known, encoding: .utf8)
        #expect(recorded.hasSuffix("\(fingerprint) https://example.org/health/content\n"), "\(recorded)")
        // The second run is read against the recorded root, silently, and says where the pin came from.
        let second = try ReviewRun(["governance", "status"], in: repo, environment: env)
        #expect(second.stderr.isEmpty && second.stdout.contains("First root fingerprint: \(fingerprint), pinned by the known-roots file \(known), line 2."),
                "\(second.stdout) \(second.stderr)")

        // A rewritten history at the same origin, with a root of the attacker's keys.
        let (forged, forgedFingerprint) = try governedRepository(in: work, name: "forged", keys: work.path + "/attacker-keys")
        #expect(forgedFingerprint != fingerprint)
        let refused = try ReviewRun(["check", "--as-of", "2030-01-01"], in: forged, environment: env)
        #expect(refused.status == 1 && refused.stdout.contains("[trust-root-mismatch]") && refused.stdout.contains("pinned by the known-roots file"),
                "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stdout.contains("delete line 2 of \(known)"), "\(refused.stdout)")
        #expect(try String(contentsOfFile: known, encoding: .utf8) == recorded)
        let publish = try ReviewRun(["publish", "--as-of", "2030-01-01"], in: forged, environment: env)
        #expect(publish.status == 2 && publish.stderr.contains("not \(fingerprint) (pinned by the known-roots file"), "\(publish.stderr)")
        // --trust-root still decides over the file.
        let explicit = try ReviewRun(["check", "--as-of", "2030-01-01", "--trust-root", forgedFingerprint], in: forged, environment: env)
        #expect(explicit.status == 0, "\(explicit.stdout)")

        // A malformed line is a usage error naming the file and line; nothing is written.
        try Data("not a fingerprint line\n".utf8).write(to: URL(fileURLWithPath: known))
        let malformed = try ReviewRun(["check", "--as-of", "2030-01-01"], in: repo, environment: env)
        #expect(malformed.status == 2 && malformed.stderr.contains("\(known):1"), "\(malformed.stderr)")
        #expect(try String(contentsOfFile: known, encoding: .utf8) == "not a fingerprint line\n")
    }

    @Test func inCINothingIsTrustedOnFirstUseAndAnUnpinnedCheckBlocks() throws {
        let work = TemporaryDirectory()
        let (repo, fingerprint) = try governedRepository(in: work, name: "content", keys: work.path + "/keys")
        let known = work.path + "/config/known-roots"
        let ci = ["REVIEW_KNOWN_ROOTS": known, "CI": "true"]
        let unpinned = try ReviewRun(["check", "--as-of", "2030-01-01"], in: repo, environment: ci)
        #expect(unpinned.status == 1 && unpinned.stdout.contains("[trust-root-required]") && unpinned.stdout.contains("CI=true"),
                "\(unpinned.stdout) \(unpinned.stderr)")
        #expect(!FileManager.default.fileExists(atPath: known))
        let publish = try ReviewRun(["publish", "--as-of", "2030-01-01"], in: repo, environment: ci)
        #expect(publish.status == 2 && publish.stderr.contains("only against a pinned root") && publish.stderr.contains(fingerprint),
                "\(publish.stderr)")
        #expect(try ReviewRun(["check", "--as-of", "2030-01-01"], in: repo, environment: ci.merging(["REVIEW_TRUST_ROOT": fingerprint]) { $1 }).status == 0)
        // An ungoverned repository has no root to pin: CI passes it (with the ungoverned warning).
        let plain = work.path + "/plain"
        #expect(try ReviewRun(["init", plain], in: work.path).status == 0)
        let ungoverned = try ReviewRun(["check", "--as-of", "2030-01-01"], in: plain, environment: ci)
        #expect(ungoverned.status == 0 && ungoverned.stdout.contains("[ungoverned-configuration]"), "\(ungoverned.stdout)")
    }
}
