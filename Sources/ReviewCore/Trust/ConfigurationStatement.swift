import Paths
import SystemCrypto
import Foundation

/// Which files make up the configuration that governance keys sign: the root, the policy, the
/// reviewers, the ignored revisions, the acknowledged records, the accepted findings and every
/// file below the disclaimers folder. One statement covers all of them.
public enum ConfigurationFiles {
    /// The signatures over the configuration in one file, as earlier versions wrote them (read,
    /// never written now; not itself part of what is signed).
    public static let signaturesPath: GitPath = "Reviews/configuration-signatures.yml"
    /// One file per signature (`<folder>/v<version>-<signer>-<key digest>.yml`), so two
    /// governance key holders who sign on two branches merge without a conflict.
    public static let signaturesDirectory = "Reviews/configuration-signatures"

    /// Paths watched in history: single files, and folders ending in `/`.
    public static let watched: [GitPath] = [TrustRoot.path, Policy.path, Reviewer.path, IgnoreRevisions.path, AcknowledgedRecords.path,
                                            AcceptedFindings.path, GitPath(ContentLayout.disclaimersDirectory + "/"), signaturesPath,
                                            GitPath(signaturesDirectory + "/"), GitPath(siteDirectory + "/")]

    /// The site's own stylesheet, footer and logo (`Reviews/site/`): signed configuration too,
    /// since a stylesheet can hide a disclaimer or an overdue notice from every page.
    public static let siteDirectory = "Reviews/site"

    /// Whether `path` holds governance signatures (the one file, or a file of the folder).
    public static func isSignatures(_ path: GitPath) -> Bool {
        path == signaturesPath || (path.hasPrefix(signaturesDirectory + "/") && path.hasSuffix(".yml") && path.parent == GitPath(signaturesDirectory))
    }

    /// Where one key's signature of `version` is written.
    public static func signaturePath(version: Int, signer: String, publicKey: [UInt8]) -> GitPath {
        let name = ContentRoots.slugified(signer)
        return GitPath("\(signaturesDirectory)/v\(version)-\(name.isEmpty ? "key" : name)-\(SHA256.hash(data: publicKey).hex.prefix(8)).yml")
    }

    /// Whether `path` is part of the signed configuration.
    public static func isConfiguration(_ path: GitPath) -> Bool {
        path == TrustRoot.path || path == Policy.path || path == Reviewer.path || path == IgnoreRevisions.path || path == AcknowledgedRecords.path
            || path == AcceptedFindings.path || path.hasPrefix(ContentLayout.disclaimersDirectory + "/") || path.hasPrefix(siteDirectory + "/")
    }
}

/// What governance keys sign: one version of the whole configuration, as the SHA-256 of every
/// file in it (sorted by path), its version and its root version. A signature never covers
/// part of the configuration: the statement is recomputed from the files each time.
public struct ConfigurationStatement: Sendable, Equatable {
    /// Strictly increases with every new configuration.
    public var version: Int
    /// Counts changes of the root file: the same as the previous version's when root.yml is
    /// unchanged, one more when it changed (so a bundle's chain of roots has no gaps).
    public var rootVersion: Int
    /// Path → lowercase hex SHA-256 of the file's bytes.
    public var files: [GitPath: String]

    public init(version: Int, rootVersion: Int, files: [GitPath: String]) {
        self.version = version
        self.rootVersion = rootVersion
        self.files = files
    }

    /// The statement over these file bytes.
    public init(version: Int, rootVersion: Int, contents: [GitPath: [UInt8]]) {
        self.init(version: version, rootVersion: rootVersion, files: contents.mapValues { SHA256.hash(data: $0).hex })
    }

    /// The signed bytes: a type line, the versions, then one `file <sha256> <path>` line per
    /// file in byte order of the paths. Paths hold no newline (git trees cannot).
    public var encoding: [UInt8] {
        var bytes = Array("review-configuration/1\nversion \(version)\nroot-version \(rootVersion)\n".utf8)
        for path in files.keys.sorted() {
            bytes += Array("file \(files[path]!) ".utf8) + path.bytes + [0x0a]
        }
        return bytes
    }

    /// `sha256:` and the hex SHA-256 of ``encoding``: how a version is named in findings and bundles.
    public var digest: String { "sha256:" + SHA256.hash(data: encoding).hex }

    /// The public keys (raw bytes) whose signatures in `signatures` verify over this statement.
    /// A key is counted once however often it signed.
    public func verifiedSigners(_ signatures: [ConfigurationSignatures.Signature]) -> Set<[UInt8]> {
        let message = encoding
        var out: Set<[UInt8]> = []
        for signature in signatures where !out.contains(signature.publicKey) && PublicKeyCheck.problem(signature.publicKey) == nil {
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: signature.publicKey),
                  key.isValidSignature(signature.signature, for: message) else { continue }
            out.insert(signature.publicKey)
        }
        return out
    }
}

/// `Reviews/configuration-signatures.yml`: the version number a configuration is signed as, and
/// the governance signatures over its ``ConfigurationStatement``. Written by
/// `review governance sign`, one signature per governance key holder.
public struct ConfigurationSignatures: Sendable, Equatable {
    public struct Signature: Sendable, Equatable {
        /// The signer's raw Ed25519 public key (the root says whose it is).
        public var publicKey: [UInt8]
        /// 64 bytes over ``ConfigurationStatement/encoding``.
        public var signature: [UInt8]
        /// Who signed, as they said (informative only: the key decides).
        public var signer: String

        public init(publicKey: [UInt8], signature: [UInt8], signer: String) {
            self.publicKey = publicKey
            self.signature = signature
            self.signer = signer
        }
    }

    public var version: Int
    public var rootVersion: Int
    public var signatures: [Signature]
    /// A new first root (`governance reroot`): signed by its own keys alone, it starts a new
    /// chain, which changes the fingerprint every pin names (the way out when the threshold of
    /// the old keys can no longer be met).
    public var reroot = false

    public init(version: Int, rootVersion: Int, signatures: [Signature] = [], reroot: Bool = false) {
        self.version = version
        self.rootVersion = rootVersion
        self.signatures = signatures
        self.reroot = reroot
    }


    /// - Throws: ``ReviewError`` naming the file and line of the first problem.
    public static func parse(_ bytes: [UInt8], file: String = ConfigurationFiles.signaturesPath.text) throws(ReviewError) -> ConfigurationSignatures {
        let reader = ConfigurationReader(file: file)
        let root = try reader.root(bytes)
        try reader.refuseUnknownKeys(root, known: ["version", "root-version", "signatures", "reroot"], context: "the configuration signatures")
        var reroot = false
        if let flag = root["reroot"] {
            guard let text = flag.string, text == "true" || text == "false" else { throw reader.error(flag.line, "'reroot' must be true or false") }
            reroot = text == "true"
        }
        let version = try reader.integer(root, "version", context: "the configuration signatures", range: 1...1_000_000_000)
        let rootVersion = try reader.integer(root, "root-version", context: "the configuration signatures", range: 1...1_000_000_000)
        var signatures: [Signature] = []
        if let list = root["signatures"] {
            guard case .list(let entries, _) = list else { throw reader.error(list.line, "'signatures' must be a list of '- key: …' entries") }
            for entry in entries {
                guard case .map = entry else { throw reader.error(entry.line, "each signature must be a mapping ('- key: …')") }
                try reader.refuseUnknownKeys(entry, known: ["key", "signer", "signature"], context: "a signature")
                let keyText = try reader.string(entry, "key", context: "a signature")!
                let signatureText = try reader.string(entry, "signature", context: "a signature")!
                guard let key = Data(base64Encoded: keyText), key.count == 32 else {
                    throw reader.error(entry["key"]?.line, "'key' is not a base64 Ed25519 public key (32 bytes)")
                }
                guard let signature = Data(base64Encoded: signatureText), signature.count == 64 else {
                    throw reader.error(entry["signature"]?.line, "'signature' is not a base64 Ed25519 signature (64 bytes)")
                }
                signatures.append(Signature(publicKey: Array(key), signature: Array(signature),
                                            signer: try reader.string(entry, "signer", context: "a signature", required: false) ?? ""))
            }
        }
        return ConfigurationSignatures(version: version, rootVersion: rootVersion, signatures: signatures, reroot: reroot)
    }

    /// The signature files of one commit read as one: the signatures of every file that names
    /// the highest version (and root version) any of them names. Files left from older versions
    /// are ignored; `nil` when there are none. A file that does not read fails them all (named).
    public static func merged(_ files: [GitPath: [UInt8]]) -> Result<ConfigurationSignatures, ReviewError>? {
        guard !files.isEmpty else { return nil }
        var parsed: [ConfigurationSignatures] = []
        for (path, bytes) in files.sorted(by: { $0.key < $1.key }) {
            do {
                parsed.append(try ConfigurationSignatures.parse(bytes, file: path.text))
            } catch {
                return .failure(error)
            }
        }
        let newest = parsed.map { ($0.version, $0.rootVersion, $0.reroot ? 1 : 0) }.max { $0 < $1 }!
        var merged = ConfigurationSignatures(version: newest.0, rootVersion: newest.1, reroot: newest.2 == 1)
        for file in parsed where file.version == newest.0 && file.rootVersion == newest.1 && file.reroot == merged.reroot {
            for signature in file.signatures where !merged.signatures.contains(signature) { merged.signatures.append(signature) }
        }
        merged.signatures.sort { ($0.publicKey.base64, $0.signer) < ($1.publicKey.base64, $1.signer) }
        return .success(merged)
    }

    /// The file's text.
    public var text: String {
        var out = """
        # Governance signatures over the whole configuration (root.yml, policy.yml, reviewers.yml,
        # disclaimers/) as version \(version). Written by 'review governance sign'; see README, "Governance".
        version: \(version)
        root-version: \(rootVersion)\(reroot ? "\nreroot: true" : "")
        signatures:\(signatures.isEmpty ? " []" : "")

        """
        for signature in signatures {
            out += "  - signer: \(YAMLText.quoted(signature.signer))\n    key: \(signature.publicKey.base64)\n"
            out += "    signature: \(signature.signature.base64)\n"
        }
        return out
    }
}
