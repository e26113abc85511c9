import Paths
import Foundation

/// Parses a sign-off record file. A record that cannot be read is a finding, not a stop: one
/// broken record must not hide every other article's state.
public enum SignOffParser {
    public static func parse(path: GitPath, bytes: [UInt8]) -> Result<SignOff, Finding> {
        func failure(_ line: Int?, _ message: String) -> Result<SignOff, Finding> {
            .failure(Finding(.unreadableRecord, path: path, line: line, "unreadable sign-off record: \(message)"))
        }
        guard case .success(let text) = TextDecoding.decode(bytes) else { return failure(nil, "not UTF-8 text") }
        let root: YAMLValue
        switch YAMLDocument.parse(text) {
        case .success(let value?): root = value
        case .success(nil): return failure(1, "the file is empty")
        case .failure(let f): return failure(f.line, f.message)
        }
        var values: [String: String] = [:]
        for key in ["article", "blob", "sha256", "reviewer", "role", "decision", "timestamp", "signature"] {
            guard let value = root[key]?.string else { return failure(root.line, "no '\(key)'") }
            values[key] = value
        }
        let comment = root["comment"]?.string ?? ""
        guard let decision = SignOff.Decision(rawValue: values["decision"]!) else {
            return failure(root["decision"]?.line, "decision must be 'approve', 'request-changes' or 'retract'")
        }
        // Fields signed only when present (a record without them is read as before).
        var optional: [String: String] = [:]
        for key in ["reason", "change-note"] {
            guard let value = root[key] else { continue }
            guard let text = value.string else { return failure(value.line, "'\(key)' must be a text") }
            optional[key] = text
        }
        if decision == .retract, optional["reason"]?.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) ?? true {
            return failure(root.line, "a retraction needs a 'reason' (it is shown to readers)")
        }
        guard let timestamp = Timestamp.parse(values["timestamp"]!) else {
            return failure(root["timestamp"]?.line, "timestamp must be written YYYY-MM-DDTHH:MM:SSZ")
        }
        guard let signature = Data(base64Encoded: values["signature"]!), signature.count == 64 else {
            return failure(root["signature"]?.line, "the signature is not 64 bytes of base64")
        }
        var signOff = SignOff(article: GitPath(values["article"]!), blob: values["blob"]!, sha256: values["sha256"]!,
                              reviewer: values["reviewer"]!, role: values["role"]!, decision: decision,
                              timestamp: timestamp, comment: comment, signature: Array(signature))
        signOff.reason = optional["reason"]
        signOff.changeNote = optional["change-note"]
        return .success(signOff)
    }
}
