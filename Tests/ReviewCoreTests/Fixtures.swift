import Paths
import SystemCrypto
import ReviewCore

/// Small, readable inputs for the workflow engine: a policy, reviewers with deterministic keys,
/// and articles with signed records.
enum Fixture {
    static let asOf = Day("2026-11-25")!
    static let disclaimer = "Medical disclaimer: this is general information, not medical advice."

    static let policy = Policy(
        roles: ["medical", "editorial"],
        categories: [
            "neurology": .init(name: "neurology", requiredRoles: ["medical", "editorial"], reviewIntervalDays: 365,
                               dueSoonDays: 30, disclaimers: ["medical"]),
            "general": .init(name: "general", requiredRoles: ["editorial"], reviewIntervalDays: 730,
                             dueSoonDays: 60, disclaimers: []),
        ],
        unreviewedFields: ["tags"])

    /// A private key from a fixed seed, so signatures are reproducible.
    static func key(_ seed: UInt8) -> Curve25519.Signing.PrivateKey {
        try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: seed, count: 32))
    }

    static let reviewers = [
        Reviewer(id: "ann", name: "Dr Ann Medic", credentials: "MD", roles: ["medical"], emails: ["ann@example.org"],
                 publicKey: Array(key(1).publicKey.rawRepresentation), validFrom: Day("2024-01-01"), validUntil: Day("2026-06-30")),
        Reviewer(id: "ed", name: "Ed Itor", credentials: "Editor", roles: ["editorial"], emails: ["ed@example.org"],
                 publicKey: Array(key(2).publicKey.rawRepresentation)),
        Reviewer(id: "bo", name: "Dr Bo Both", credentials: "MD", roles: ["medical", "editorial"], emails: ["bo@example.org"],
                 publicKey: Array(key(3).publicKey.rawRepresentation)),
    ]

    static var configuration: WorkflowConfiguration {
        WorkflowConfiguration(policy: policy, reviewers: reviewers, disclaimers: ["medical": disclaimer], asOf: asOf)
    }

    static let keys: [String: UInt8] = ["ann": 1, "ed": 2, "bo": 3]

    static func articleText(lastUpdated: String = "2026-04-07", category: String = "neurology", tags: String = "[a]",
                            body: String = "Body.\n\n" + disclaimer) -> String {
        "---\ntitle: PML\nlast-updated: \(lastUpdated)\ncategory: \(category)\ntags: \(tags)\n---\n" + body + "\n"
    }

    /// Facts for `Articles/pml.md` with the given text as its current revision (blob "b1").
    static func facts(_ text: String = articleText(), blob: String = "b1", changes: [ChangeFact]? = nil) -> ArticleFacts {
        let (article, findings) = ArticleParser.parse(path: "Articles/pml.md", bytes: Array(text.utf8))
        return ArticleFacts(article: article, parseFindings: findings, blob: blob, sha256: SignOff.sha256Hex(Array(text.utf8)),
                            changes: changes ?? [change("c1", by: "Writer", on: "2026-04-07", blob: blob)])
    }

    static func change(_ commit: String, by name: String, email: String? = nil, on date: String, blob: String?) -> ChangeFact {
        ChangeFact(commit: commit, authorName: name, authorEmail: email ?? "\(name.lowercased())@example.org",
                   date: Day(date)!, blobAfter: blob)
    }

    /// A record signed by `reviewer`'s key (or `signer`'s, to forge), filed where it belongs.
    static func record(_ reviewer: String, _ role: String, _ decision: SignOff.Decision = .approve, on day: String = "2026-04-09",
                       blob: String = "b1", sha256: String, signer: String? = nil, comment: String = "") -> SignOffRecord {
        let time = Int64(Day(day)!.daysSinceEpoch) * 86400 + 36000
        var signOff = SignOff(article: "Articles/pml.md", blob: blob, sha256: sha256, reviewer: reviewer, role: role,
                              decision: decision, timestamp: time, comment: comment)
        try! signOff.sign(with: key(keys[signer ?? reviewer] ?? 9))
        return SignOffRecord(path: signOff.canonicalPath, signOff: signOff)
    }
}
