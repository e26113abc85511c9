import Paths

/// `review verify`: every sign-off record, and a finding for each one that does not count.
public struct VerifyReport: Sendable, Equatable {
    /// The commit verified, as 40 hex digits.
    public var head: String
    /// How many record files there are (readable or not).
    public var total: Int
    /// One finding per record that does not count, sorted.
    public var findings: [Finding]
    /// Configuration changes that do not count, and a root that does not match the pin.
    public var configurationFindings: [Finding] = []
    /// What is wrong with the published ref: a file no signed publication names, an article
    /// without counting approvals.
    public var publicationFindings: [Finding] = []

    /// Whether anything failed (exit 1). A record the configuration acknowledges (its finding
    /// made a warning: ``AcknowledgedRecords``) still does not count, and is still listed, but
    /// no longer fails.
    public var failed: Bool {
        findings.contains { $0.severityOverride != .warning } || !configurationFindings.isEmpty || !publicationFindings.isEmpty
    }

    public init(head: String, total: Int, findings: [Finding]) {
        self.head = head
        self.total = total
        self.findings = findings
    }

    /// Judges every article's records with the workflow engine's own rules. Records the log
    /// found deleted, edited or unreadable (in the articles' record findings, or in
    /// `strayFindings` under the sign-off directory) are records that fail.
    /// - Parameter statuses: the engine's verdicts on `articles` (their record findings).
    public init(_ articles: [ArticleFacts], statuses: [ArticleStatus], strayFindings: [Finding], head: String) {
        let prefix = ContentLayout.signOffsDirectory + "/"
        var bad = strayFindings.filter { $0.path.hasPrefix(prefix) && $0.rule != .historyRewritten }
        var records = Set(bad.map(\.path))
        for facts in articles { records.formUnion(facts.signOffs.map(\.path)) }
        for status in statuses {
            records.formUnion(status.recordFindings.map(\.path))
            bad += status.recordFindings
        }
        self.init(head: head, total: records.count, findings: bad.sorted())
        failing = Set(bad.map(\.path)).count
    }

    /// How many records have at least one finding.
    private var failing: Int?

    public var verified: Int { total - (failing ?? findings.count) }

    /// The lines `review verify` prints: one per finding, then the tally.
    public var text: String {
        var out = ""
        for finding in findings { out += finding.textLine + "\n" }
        out += "\(total) sign-off record\(total == 1 ? "" : "s") at \(head.prefix(7)): \(verified) verified, \(total - verified) with findings\n"
        for finding in configurationFindings + publicationFindings { out += finding.textLine + "\n" }
        if !publicationFindings.isEmpty {
            out += "\(ContentLayout.publishedReference): \(publicationFindings.count) finding\(publicationFindings.count == 1 ? "" : "s")\n"
        }
        return out
    }
}
