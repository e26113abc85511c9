import Paths
import SystemCrypto
import Foundation

/// `Reviews/root.yml`: who governs the configuration. A threshold of its governance keys must
/// sign every new version of the configuration (policy, reviewers, disclaimers and this file);
/// its publisher keys sign what `review publish` puts on the published ref.
///
/// The first root is trusted through its ``fingerprint``, given outside the repository
/// (`--trust-root`, `REVIEW_TRUST_ROOT`), as git keeps `allowed_signers` outside it.
public struct TrustRoot: Sendable, Equatable {
    /// A key named in the root: its id (for people), display name and raw Ed25519 public key.
    public struct Key: Sendable, Equatable {
        public var id: String
        public var name: String
        public var publicKey: [UInt8]

        public init(id: String, name: String, publicKey: [UInt8]) {
            self.id = id
            self.name = name
            self.publicKey = publicKey
        }
    }

    /// How many distinct governance keys must sign a new configuration version.
    public var threshold: Int
    public var governance: [Key]
    /// Keys that may sign publications (`review publish`).
    public var publishers: [Key]

    public static let path: GitPath = "Reviews/root.yml"

    public init(threshold: Int, governance: [Key], publishers: [Key] = []) {
        self.threshold = threshold
        self.governance = governance
        self.publishers = publishers
    }

    /// `sha256:` and the hex SHA-256 of the threshold and the sorted governance keys: what a
    /// team pins outside the repository. Formatting, comments, names and publishers do not
    /// change it; a key or the threshold does.
    public var fingerprint: String {
        var text = "review-root/1\nthreshold \(threshold)\n"
        for key in governance.map({ $0.publicKey.base64 }).sorted() { text += "key \(key)\n" }
        return "sha256:" + SHA256.hash(data: Array(text.utf8)).hex
    }

    /// The governance key with these raw bytes, if the root lists it.
    public func governanceKey(_ publicKey: [UInt8]) -> Key? { governance.first { $0.publicKey == publicKey } }

    /// Whether `fingerprint` (as a person may paste it: with or without `sha256:`, any case,
    /// surrounding spaces) names this root.
    public func matches(fingerprint pinned: String) -> Bool {
        Self.normalised(fingerprint: pinned) == fingerprint
    }

    /// A pasted fingerprint in the form ``fingerprint`` prints, or `nil` when it is not one.
    public static func normalised(fingerprint: String) -> String? {
        var text = fingerprint.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        if text.hasPrefix("sha256:") { text.removeFirst(7) }
        guard text.utf8.count == 64, text.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else { return nil }
        return "sha256:" + text
    }
}

/// Parses `Reviews/root.yml`.
public enum TrustRootParser {
    /// - Throws: ``ReviewError`` naming the file and line of the first problem.
    public static func parse(_ bytes: [UInt8], file: String = TrustRoot.path.text) throws(ReviewError) -> TrustRoot {
        let reader = ConfigurationReader(file: file)
        let root = try reader.root(bytes)
        try reader.refuseUnknownKeys(root, known: ["threshold", "governance", "publishers"], context: "the trust root")
        let governance = try keys(root, "governance", reader: reader, required: true)
        guard !governance.isEmpty else {
            throw reader.error(root["governance"]?.line, "'governance' lists no key", remedy: "list at least two people's keys, such as 2 of 3")
        }
        let threshold = try reader.integer(root, "threshold", context: "the trust root", range: 1...max(1, governance.count))
        let publishers = try keys(root, "publishers", reader: reader, required: false)
        for publisher in publishers where governance.contains(where: { $0.publicKey == publisher.publicKey }) {
            throw reader.error(root["publishers"]?.line, "publisher '\(publisher.id)' uses a governance key",
                               remedy: "give the publishing machine its own key ('review keygen \(publisher.id)')")
        }
        return TrustRoot(threshold: threshold, governance: governance, publishers: publishers)
    }

    private static func keys(_ root: YAMLValue, _ name: String, reader: ConfigurationReader, required: Bool) throws(ReviewError) -> [TrustRoot.Key] {
        guard let value = root[name] else {
            if required { throw reader.error(root.line, "the trust root has no '\(name)' list", remedy: "add '\(name):' with '- id: …' entries") }
            return []
        }
        guard case .list(let entries, _) = value else { throw reader.error(value.line, "'\(name)' must be a list of '- id: …' entries") }
        var keys: [TrustRoot.Key] = []
        for entry in entries {
            guard case .map = entry else { throw reader.error(entry.line, "each entry of '\(name)' must be a mapping ('- id: …')") }
            try reader.refuseUnknownKeys(entry, known: ["id", "name", "public-key"], context: "an entry of '\(name)'")
            let id = try reader.string(entry, "id", context: "an entry of '\(name)'")!
            guard ArticleParser.slugProblem(id) == nil else {
                throw reader.error(entry["id"]?.line, "key id '\(id)' must be lowercase letters, digits and single hyphens")
            }
            let context = "key '\(id)'"
            let key = try reader.publicKey(entry, context: context)
            if keys.contains(where: { $0.id == id }) {
                throw reader.error(entry["id"]?.line, "\(context) is listed twice in '\(name)'", remedy: "keep one entry per id")
            }
            if let other = keys.first(where: { $0.publicKey == key }) {
                throw reader.error(entry["public-key"]?.line, "\(context) has the same public key as '\(other.id)'; a key counts once",
                                   remedy: "every person signs with their own key: run 'review keygen \(id)'")
            }
            keys.append(TrustRoot.Key(id: id, name: try reader.string(entry, "name", context: context, required: false) ?? id,
                                      publicKey: key))
        }
        return keys
    }

    /// The text of a root file: the keys and threshold, with comments saying what they mean.
    public static func text(_ root: TrustRoot) -> String {
        var out = """
        # The root of trust (see README, "Governance"). A change to the configuration (this file,
        # policy.yml, reviewers.yml, disclaimers/) counts only once \(root.threshold) of these governance
        # keys signed it ('review governance sign'). Pin this root outside the repository with the
        # fingerprint 'review governance fingerprint' prints.
        threshold: \(root.threshold)
        governance:

        """
        for key in root.governance { out += entry(key) }
        if !root.publishers.isEmpty {
            out += "publishers:\n"
            for key in root.publishers { out += entry(key) }
        }
        return out
    }

    private static func entry(_ key: TrustRoot.Key) -> String {
        "  - id: \(key.id)\n    name: \(YAMLText.quoted(key.name))\n    public-key: \(key.publicKey.base64)\n"
    }
}

/// What a threshold of governance keys can survive (issue 34): a small team must not lock itself
/// out by losing one key, nor let one holder change the configuration alone without knowing it.
public enum ThresholdAdvice {
    /// The default for `keys` governance keys: a majority that survives one lost key (2 of 3,
    /// 3 of 4, 3 of 5); with two keys, 1 (2 of 2 would lock on one loss); with one, 1.
    public static func defaultThreshold(keys: Int) -> Int {
        keys >= 3 ? keys / 2 + 1 : 1
    }

    /// Warnings for a threshold of `keys` keys, each with what to do; empty for a safe one.
    public static func warnings(threshold: Int, keys: Int) -> [String] {
        var out: [String] = []
        if keys == 1 {
            out.append("a single governance key: its holder alone decides every configuration change, and losing it locks the configuration for good; use three keys and --threshold 2")
        } else if threshold == keys {
            out.append("\(threshold) of \(keys): losing any one governance key locks every configuration change for good (the only way out is a new first root, which changes every pin); use --threshold \(max(1, keys - 1)) or more keys (2 of 3 survives one lost key)")
        } else if threshold == 1 {
            out.append("1 of \(keys): any one holder can change the configuration alone; add keys and raise the threshold (2 of 3 needs two people and survives one lost key)")
        }
        return out
    }
}

/// A first-root fingerprint pinned outside the repository, and where it came from: every
/// command reads a governed repository against one and says which.
public struct TrustPin: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// `--trust-root`.
        case option
        /// `REVIEW_TRUST_ROOT`.
        case environment
        /// The per-user known-roots file (as SSH's `known_hosts`), and the line.
        case knownRoots(file: String, line: Int)
        /// Not pinned before: this run recorded it in the known-roots file.
        case firstUse(file: String)
        /// The first root named by the latest signed publication on the published ref.
        case publication(commit: String)
    }

    public var fingerprint: String
    public var source: Source

    public init(fingerprint: String, source: Source) {
        self.fingerprint = fingerprint
        self.source = source
    }

    /// "pinned by …", for findings and `governance status`.
    public var origin: String {
        switch source {
        case .option: "pinned by --trust-root"
        case .environment: "pinned by REVIEW_TRUST_ROOT"
        case .knownRoots(let file, let line): "pinned by the known-roots file \(file), line \(line)"
        case .firstUse(let file): "trusted on first use and recorded in \(file)"
        case .publication(let commit): "pinned by the latest signed publication on \(ContentLayout.publishedReference) (commit \(commit.prefix(7)))"
        }
    }

    /// What to do when the repository's first root does not match.
    public var mismatchRemedy: String {
        switch source {
        case .knownRoots(let file, let line):
            "fetch the repository from its real origin; only if its governance really started over, delete line \(line) of \(file)"
        case .publication:
            "fetch the repository from its real origin, or pin the right fingerprint with --trust-root"
        case .option, .environment, .firstUse:
            "fetch the repository from its real origin, or pin the right fingerprint"
        }
    }
}
