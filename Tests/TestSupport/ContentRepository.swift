import SystemCrypto
import Foundation
import GitKit
import Paths
import ReviewCore
import ReviewKit

/// Builds a content repository from a small description: a policy, reviewers with keys made
/// from fixed seeds, the medical disclaimer, and articles; then lets a test edit articles
/// and sign off through ``SignOffWriter`` exactly as `review approve` does.
///
/// ```swift
/// let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
/// try content.approve("pml", as: "ann", role: "medical", on: "2026-04-09")
/// ```
public final class ContentRepository {
    public enum Category: String { case neurology, general }

    public struct ReviewerSpec {
        public var id: String
        public var role: String
        public var validUntil: String?
        public static func medical(_ id: String, validUntil: String? = nil) -> ReviewerSpec { .init(id: id, role: "medical", validUntil: validUntil) }
        public static func editorial(_ id: String) -> ReviewerSpec { .init(id: id, role: "editorial") }
        /// A reviewer who holds both roles.
        public static func both(_ id: String) -> ReviewerSpec { .init(id: id, role: "medical, editorial") }
        /// A reviewer who holds `role` (one the test's own policy names, like clinician-fr).
        public static func holding(_ id: String, _ role: String) -> ReviewerSpec { .init(id: id, role: role) }
    }

    public let builder: RepoBuilder
    public var repository: Repository { builder.repository }
    public var path: String { builder.path }
    private var keys: [String: Curve25519.Signing.PrivateKey] = [:]

    public static let disclaimer = "Medical disclaimer: this is general information, not medical advice."
    public static let policy = """
        roles: [medical, editorial]
        categories:
          neurology:
            required-roles: [medical, editorial]
            review-interval-days: 365
            due-soon-days: 30
            disclaimers: [medical]
          general:
            required-roles: [editorial]
            review-interval-days: 730
            due-soon-days: 60
        unreviewed-fields: [tags]

        """

    public init(articles: [String: Category], reviewers: [ReviewerSpec], on date: String = "2026-04-07", policy: String = ContentRepository.policy) throws {
        builder = try RepoBuilder()
        var yaml = "reviewers:\n"
        for (i, spec) in reviewers.enumerated() {
            let key = try Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: UInt8(i + 1), count: 32))
            keys[spec.id] = key
            yaml += """
                  - id: \(spec.id)
                    name: \(spec.id.capitalized)
                    credentials: \(spec.role == "medical" ? "MD" : "Editor")
                    roles: [\(spec.role)]
                    emails: [\(spec.id)@example.org]
                    public-key: \(key.publicKey.rawRepresentation.base64EncodedString())
                    valid-from: 2020-01-01

                """ + (spec.validUntil.map { "    valid-until: \($0)\n" } ?? "")
        }
        var changes: [FileChange] = [
            .write(Policy.path, policy), .write(Reviewer.path, yaml),
            .write("Reviews/disclaimers/medical.md", Self.disclaimer + "\n"),
        ]
        for (slug, category) in articles.sorted(by: { $0.key < $1.key }) {
            changes.append(.write(GitPath("Articles/\(slug).md"), Self.article(slug, category: category, lastUpdated: date)))
        }
        try builder.commit("Import", changes, time: Self.time(date), author: "Writer")
        try builder.checkoutHead()
    }

    public static func article(_ slug: String, category: Category, lastUpdated: String, body: String = "Text.", tags: String = "[a]") -> String {
        "---\ntitle: \(slug.capitalized)\nlast-updated: \(lastUpdated)\ncategory: \(category.rawValue)\ntags: \(tags)\n---\n\n\(body)\n\n\(disclaimer)\n"
    }

    /// Noon UTC on a `YYYY-MM-DD` day.
    public static func time(_ day: String) -> Int64 { Int64(Day(day)!.daysSinceEpoch) * 86400 + 43200 }

    /// Commits a new text of an article.
    @discardableResult
    public func edit(_ slug: String, category: Category = .neurology, lastUpdated: String, on day: String? = nil,
                     body: String = "Edited text.", tags: String = "[a]", author: String = "Writer") throws -> ObjectID {
        let id = try builder.commit("Edit \(slug)", [.write(GitPath("Articles/\(slug).md"), Self.article(slug, category: category, lastUpdated: lastUpdated, body: body, tags: tags))],
                                    time: Self.time(day ?? lastUpdated), author: author)
        try builder.checkoutHead()
        return id
    }

    /// Signs and commits a decision through ``ReviewSession/Decisions/record(_:key:)``, as `review approve` does.
    @discardableResult
    public func signOff(_ slug: String, as reviewer: String, role: String, _ decision: SignOff.Decision = .approve,
                        on day: String, comment: String = "ok") throws -> SignOff {
        let request = SignOffRequest(article: slug, reviewer: reviewer, role: role, decision: decision, comment: comment,
                                     timestamp: Self.time(day))
        return try session().decisions.record(request, key: keys[reviewer]!).0
    }

    /// Commits a record signed with `signer`'s key (default: the record's reviewer) without any
    /// of `SignOffWriter`'s checks: how a forger or a hand edit would do it.
    @discardableResult
    public func writeRecord(_ slug: String, as reviewer: String, role: String, _ decision: SignOff.Decision = .approve,
                            on day: String, committedOn commitDay: String? = nil, signer: String? = nil, comment: String = "") throws -> SignOff {
        let head = try repository.headCommit()
        let path = try repository.files(under: "Articles", inTree: repository.commit(head).tree).first { $0.path.hasSuffix("/\(slug).md") }!
        let bytes = try repository.blob(path.id)
        var signOff = SignOff(article: path.path, blob: path.id.hex, sha256: SignOff.sha256Hex(bytes), reviewer: reviewer, role: role,
                              decision: decision, timestamp: Self.time(day), comment: comment)
        let key = try keys[signer ?? reviewer] ?? Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 99, count: 32))
        try signOff.sign(with: key)
        try builder.commit("Record \(slug)", [.write(signOff.canonicalPath, signOff.fileText)], time: Self.time(commitDay ?? day),
                           author: reviewer.capitalized)
        return signOff
    }

    /// Runs `git` in the work tree (checked out at HEAD first, unless told not to), then commits
    /// everything staged.
    public func gitCommit(_ message: String, _ steps: [[String]], checkout: Bool = true) throws {
        if checkout { try builder.checkoutHead() }
        for step in steps { try Git.run(step, in: path) }
        try Git.run(["commit", "-q", "-m", message], in: path)
    }

    /// The reviewers file with `valid-until` set for one reviewer.
    public func reviewersFile(retiring id: String, on day: String) throws -> String {
        let text = String(decoding: try repository.blob(try repository.entry(at: Reviewer.path, inCommit: repository.headCommit())!.id), as: UTF8.self)
        var lines = text.components(separatedBy: "\n")
        let at = lines.firstIndex(of: "  - id: \(id)")!
        let from = lines[at...].firstIndex { $0.hasPrefix("    valid-from:") }!
        lines.insert("    valid-until: \(day)", at: from + 1)
        return lines.joined(separator: "\n")
    }

    /// Commits arbitrary file changes.
    public func commit(_ message: String, _ changes: [FileChange], on day: String, author: String = "Writer") throws {
        try builder.commit(message, changes, time: Self.time(day), author: author)
    }

    /// A session over this repository, as the command line opens one.
    public func session(usesCaches: Bool = true, trustRoot: String? = nil) throws -> ReviewSession {
        try ReviewSession.open(builder.path, options: .init(usesCaches: usesCaches, trustRoot: trustRoot))
    }

    // MARK: Governance

    /// Governance key `n` (`gov-n`), made from a fixed seed.
    public static func governanceKey(_ n: Int) -> Curve25519.Signing.PrivateKey {
        try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: UInt8(200 + n), count: 32))
    }

    /// A root of governance keys gov-1 … gov-`count` with a threshold.
    public static func root(threshold: Int = 2, keys: ClosedRange<Int> = 1...3, publishers: [TrustRoot.Key] = []) -> TrustRoot {
        TrustRoot(threshold: threshold, governance: keys.map {
            TrustRoot.Key(id: "gov-\($0)", name: "Governor \($0)", publicKey: Array(governanceKey($0).publicKey.rawRepresentation))
        }, publishers: publishers)
    }

    /// Commits a root through ``ReviewSession/Governance/createRoot(_:now:)`` and has `signers` sign it.
    public func governWith(_ root: TrustRoot = ContentRepository.root(), signers: [Int] = [1, 2], on day: String) throws {
        try builder.checkoutHead()
        _ = try session().governance.createRoot(root, now: Self.time(day))
        for n in signers { try sign(as: n, on: day) }
    }

    /// Signs the committed configuration with governance key `n`, as `review governance sign` does.
    @discardableResult
    public func sign(as n: Int, on day: String) throws -> GovernanceStatus {
        try builder.checkoutHead()
        return try session().governance.sign(as: "gov-\(n)", key: Self.governanceKey(n), now: Self.time(day)).1
    }

    /// A configuration file's text at HEAD.
    public func text(_ path: GitPath) throws -> String {
        String(decoding: try repository.blob(try repository.entry(at: path, inCommit: repository.headCommit())!.id), as: UTF8.self)
    }

    /// The governance signature files at HEAD (one per signature), path → bytes.
    public func signatureFiles() throws -> [GitPath: [UInt8]] {
        var out: [GitPath: [UInt8]] = [:]
        for file in try repository.files(under: GitPath(ConfigurationFiles.signaturesDirectory), inTree: try repository.commit(try repository.headCommit()).tree) {
            out[file.path] = try repository.blob(file.id)
        }
        return out
    }

    /// Reviewer `id`'s private key.
    public func key(_ id: String) -> Curve25519.Signing.PrivateKey? { keys[id] }

    /// The workflow's verdict at HEAD.
    public func status(asOf: String) throws -> StatusReport {
        try session().reading.status(asOf: Day(asOf)!)
    }
}
