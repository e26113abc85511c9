import Paths

/// `review check --format sarif`: SARIF 2.1.0, with every rule described and each finding
/// located by file and line.
public enum SARIFReporter: Reporter {
    struct Log: Encodable {
        let schema = "https://json.schemastore.org/sarif-2.1.0.json"
        let version = "2.1.0"
        let runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }

    struct Run: Encodable {
        let tool: Tool
        let results: [Result]
        let automationDetails: AutomationDetails?
    }

    struct AutomationDetails: Encodable { let id: String }
    struct Tool: Encodable { let driver: Driver }

    struct Driver: Encodable {
        let name = "review"
        let version: String
        let rules: [Rule]
    }

    struct Text: Encodable { let text: String }
    struct Configuration: Encodable { let level: String }

    struct Rule: Encodable {
        let id: String
        let name: String
        let shortDescription: Text
        let fullDescription: Text
        let help: Text
        let defaultConfiguration: Configuration
    }

    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Text
        let locations: [Location]
    }

    struct Location: Encodable { let physicalLocation: PhysicalLocation }

    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
        let region: Region?
    }

    struct ArtifactLocation: Encodable {
        let uri: String
        let uriBaseId: String?
    }

    struct Region: Encodable { let startLine: Int }

    public static let toolVersion = "0.1.0"

    public static func render(_ report: StatusReport) -> String {
        let ids = RuleID.allCases
        let rules = ids.map { id in
            let description = RuleRegistry.description(of: id)
            return Rule(id: id.rawValue, name: ruleName(id),
                        shortDescription: Text(text: description?.summary ?? id.rawValue),
                        fullDescription: Text(text: description?.rationale ?? id.rawValue),
                        help: Text(text: (description?.summary ?? "") + " " + (description?.rationale ?? "")
                                   + " See the review contract for rule '\(id.rawValue)'."),
                        defaultConfiguration: Configuration(level: level(id.severity)))
        }
        let results = report.allFindings.map { finding in
            Result(ruleId: finding.rule.rawValue, ruleIndex: ids.firstIndex(of: finding.rule)!, level: level(finding.severity),
                   message: Text(text: finding.message),
                   locations: [Location(physicalLocation: PhysicalLocation(
                       artifactLocation: ArtifactLocation(uri: uriEscaped(finding.path.text), uriBaseId: "SRCROOT"),
                       region: finding.line.map { Region(startLine: max(1, $0)) }))])
        }
        let run = Run(tool: Tool(driver: Driver(version: toolVersion, rules: rules)), results: results,
                      automationDetails: AutomationDetails(id: "review/check/\(report.asOf)"))
        return JSONOutput.encode(Log(runs: [run]))
    }

    static func level(_ severity: Severity) -> String { severity == .error ? "error" : "warning" }

    /// `missing-disclaimer` → `MissingDisclaimer`.
    static func ruleName(_ id: RuleID) -> String {
        id.rawValue.split(separator: "-").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// A relative URI reference: path segments percent-encoded where RFC 3986 requires it.
    static func uriEscaped(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~/".contains(c)) {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
