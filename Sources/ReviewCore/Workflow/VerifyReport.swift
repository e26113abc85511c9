/// `review verify`: every sign-off record, and a finding for each one that does not count.
public struct VerifyReport: Sendable, Equatable {
    /// The commit verified, as 40 hex digits.
    public var head: String
    /// How many record files there are (readable or not).
    public var total: Int
    /// One finding per record that does not count, sorted.
    public var findings: [Finding]

    public init(head: String, total: Int, findings: [Finding]) {
        self.head = head
        self.total = total
        self.findings = findings
    }

    /// Judges every article's records with the workflow engine's own rules; records that could
    /// not be read (`strayFindings` under the sign-off directory) count as records that fail.
    public init(_ articles: [ArticleFacts], strayFindings: [Finding], configuration: WorkflowConfiguration, head: String) {
        var bad = strayFindings.filter { $0.path.hasPrefix(ContentLayout.signOffsDirectory + "/") }
        var total = bad.count
        for facts in articles {
            total += facts.signOffs.count
            bad += WorkflowEngine.recordFindings(facts, configuration)
        }
        self.init(head: head, total: total, findings: bad.sorted())
    }

    public var verified: Int { total - findings.count }

    /// The lines `review verify` prints: one per finding, then the tally.
    public var text: String {
        var out = ""
        for finding in findings { out += "\(finding.location): error: \(finding.message) [\(finding.rule.rawValue)]\n" }
        out += "\(total) sign-off record\(total == 1 ? "" : "s") at \(head.prefix(7)): \(verified) verified, \(findings.count) not counted\n"
        return out
    }
}
