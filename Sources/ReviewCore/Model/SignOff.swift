import Paths
import SystemCrypto
import Foundation

/// One sign-off decision, as stored in `Reviews/signoffs/<slug>/<file>.yml`.
///
/// The fields below the signature are signed together through ``canonicalEncoding``; the file
/// itself may be reformatted without breaking anything, but changing any value does.
public struct SignOff: Sendable, Equatable {
    public enum Decision: String, Sendable, CaseIterable {
        case approve
        case requestChanges = "request-changes"
        /// A clinician's "this is dangerous": the article comes down at the next `publish`,
        /// whatever its approvals, until every required role approves a newer revision.
        case retract
    }

    /// The article's path from the repository root.
    public var article: GitPath
    /// The git blob id of the exact revision reviewed.
    public var blob: String
    /// SHA-256 of that revision's bytes, lowercase hex.
    public var sha256: String
    public var reviewer: String
    public var role: String
    public var decision: Decision
    /// When the decision was signed: seconds since 1970-01-01T00:00:00Z (UTC, whole seconds).
    public var timestamp: Int64
    public var comment: String
    /// Ed25519 signature over ``canonicalEncoding`` (64 bytes).
    public var signature: [UInt8]
    /// A retraction's public reason (shown on the withdrawn page). Signed when present; a
    /// record without it encodes exactly as records did before it existed.
    public var reason: String? = nil
    /// An approval's public change note ("What changed" on the page). Signed when present;
    /// a record without it encodes exactly as records did before it existed.
    public var changeNote: String? = nil

    public init(article: GitPath, blob: String, sha256: String, reviewer: String, role: String, decision: Decision,
                timestamp: Int64, comment: String, signature: [UInt8] = []) {
        self.article = article
        self.blob = blob
        self.sha256 = sha256
        self.reviewer = reviewer
        self.role = role
        self.decision = decision
        self.timestamp = timestamp
        self.comment = comment
        self.signature = signature
    }

    /// The UTC day the decision was signed.
    public var day: Day { Day(secondsSinceEpoch: timestamp) }

    /// The bytes that are signed: a version line, then each field as `name length\nvalue\n`
    /// in a fixed order. Lengths make the encoding unambiguous whatever the values contain.
    public var canonicalEncoding: [UInt8] {
        var out = Array("review-signoff/1\n".utf8)
        // Fields added later follow, each only when present: every record made before them
        // keeps its bytes, so its signature still verifies.
        var fields = [("article", article.text), ("blob", blob), ("sha256", sha256), ("reviewer", reviewer),
                      ("role", role), ("decision", decision.rawValue),
                      ("timestamp", Timestamp.format(timestamp)), ("comment", comment)]
        if let reason { fields.append(("reason", reason)) }
        if let changeNote { fields.append(("change-note", changeNote)) }
        for (name, value) in fields {
            // The article's path as its bytes (its text is exact for a UTF-8 path; a record can
            // name no other, since it is YAML).
            let bytes = name == "article" ? article.bytes : Array(value.utf8)
            out += Array("\(name) \(bytes.count)\n".utf8) + bytes + [0x0A]
        }
        return out
    }

    /// Where the record belongs:
    /// `Reviews/signoffs/<slug>/<UTC time>-<reviewer>-<role>-<digest>.yml`, where the digest is
    /// the first eight hex digits of the SHA-256 of ``canonicalEncoding``: two different
    /// decisions never share a name, even by one reviewer and role in one second (or on one
    /// `--as-of` day), and the same decision always has the same one.
    public var canonicalPath: GitPath { canonicalPath(in: Slug.of(article.text)) }

    /// The record's path filed under `directory` (``ContentRoots/recordDirectory(of:)``).
    public func canonicalPath(in directory: String) -> GitPath {
        GitPath("\(ContentLayout.signOffsDirectory)/\(directory)/\(fileStem)-\(SHA256.hash(data: canonicalEncoding).hex.prefix(8)).yml")
    }

    /// The name records had before they carried a digest (`<UTC time>-<reviewer>-<role>.yml`):
    /// still where such a record belongs, read as before.
    public func legacyPath(in directory: String) -> GitPath {
        GitPath("\(ContentLayout.signOffsDirectory)/\(directory)/\(fileStem).yml")
    }

    /// Whether `path` is where this record belongs under `directory`, in either form.
    public func belongs(at path: GitPath, in directory: String) -> Bool {
        path == canonicalPath(in: directory) || path == legacyPath(in: directory)
    }

    private var fileStem: String {
        Timestamp.format(timestamp).filter { $0 != "-" && $0 != ":" } + "-\(reviewer)-\(role)"
    }

    /// Whether the signature verifies against a raw Ed25519 public key.
    public func isSigned(by publicKey: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: canonicalEncoding)
    }

    /// Signs with a private key (32-byte raw Ed25519 seed).
    public mutating func sign(with privateKey: Curve25519.Signing.PrivateKey) throws {
        signature = Array(try privateKey.signature(for: canonicalEncoding))
    }

    /// The file's text: YAML, with the signature last.
    public var fileText: String {
        """
        # A signed review decision; see README.md ("Sign-off records"). Do not edit: any change breaks the signature.
        article: \(YAMLText.quoted(article.text))
        blob: \(blob)
        sha256: \(sha256)
        reviewer: \(YAMLText.quoted(reviewer))
        role: \(YAMLText.quoted(role))
        decision: \(decision.rawValue)
        timestamp: \(Timestamp.format(timestamp))
        comment: \(YAMLText.quoted(comment))
        \(reason.map { "reason: \(YAMLText.quoted($0))\n" } ?? "")\(changeNote.map { "change-note: \(YAMLText.quoted($0))\n" } ?? "")signature: \(Data(signature).base64EncodedString())

        """
    }

    /// Lowercase hex SHA-256 of some bytes.
    public static func sha256Hex(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).hex }
}

/// UTC timestamps written `2026-04-08T10:15:00Z`.
public enum Timestamp {
    public static func format(_ seconds: Int64) -> String {
        let day = Day(secondsSinceEpoch: seconds)
        let s = Int(seconds - Int64(day.daysSinceEpoch) * 86400)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day)T\(two(s / 3600)):\(two(s / 60 % 60)):\(two(s % 60))Z"
    }

    /// Parses exactly `YYYY-MM-DDTHH:MM:SSZ`.
    public static func parse(_ text: String) -> Int64? {
        let u = Array(text.utf8)
        guard u.count == 20, u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              u[19] == UInt8(ascii: "Z"), let day = Day(String(text.prefix(10))),
              let h = Int(String(decoding: u[11..<13], as: UTF8.self)), (0...23).contains(h),
              let m = Int(String(decoding: u[14..<16], as: UTF8.self)), (0...59).contains(m),
              let s = Int(String(decoding: u[17..<19], as: UTF8.self)), (0...59).contains(s),
              u[11..<19].allSatisfy({ $0 == UInt8(ascii: ":") || (0x30...0x39).contains($0) }) else { return nil }
        return Int64(day.daysSinceEpoch) * 86400 + Int64(h * 3600 + m * 60 + s)
    }
}

/// Writing YAML scalars safely.
public enum YAMLText {
    /// A double-quoted YAML scalar with `\`, `"` and control characters escaped.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80...0x9F).contains(scalar.value)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xFEFF {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension Array where Element == UInt8 {
    var base64: String { Data(self).base64EncodedString() }
}

extension Digest {
    /// Lowercase hex.
    var hex: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(Self.byteCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
