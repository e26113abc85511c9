import Paths
import SystemCrypto
import Foundation

/// Everything a third party needs to check one published page offline, with the tool alone
/// and a root fingerprint published outside the repository: the chain of configuration
/// versions from the first root to the one in force at publication (every version whose root
/// changed, so root versions have no gaps, and the last), that version's files, the article's
/// bytes, the sign-off records that justify it, the published manifest (the reviewer names the
/// page shows) and the signed publication statement.
public struct VerificationBundle: Codable, Sendable, Equatable {
    /// One configuration version: the digests its statement signs, its root and signatures file.
    public struct ConfigurationVersion: Codable, Sendable, Equatable {
        public var version: Int
        public var rootVersion: Int
        /// Path → hex SHA-256 of every configuration file of the version.
        public var files: [String: String]
        /// Base64 of `Reviews/root.yml` and `Reviews/configuration-signatures.yml` of the version.
        public var root: String
        public var signatures: String

        /// - Parameter files: path → digest. JSON keys are text: paths equal as text (up to
        ///   normalization) would be one key, and the bundle then fails to verify (fails closed).
        public init(version: Int, rootVersion: Int, files: [GitPath: String], root: [UInt8], signatures: [UInt8]) {
            self.version = version
            self.rootVersion = rootVersion
            self.files = VerificationBundle.textKeyed(files)
            self.root = Data(root).base64EncodedString()
            self.signatures = Data(signatures).base64EncodedString()
        }

        /// ``files`` by path (JSON keys are text; the statement compares paths as bytes).
        public var paths: [GitPath: String] {
            Dictionary(files.map { (GitPath($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
        }
    }

    public var type = VerificationBundle.typeName
    /// The first root's fingerprint, as the publisher saw it (the verifier checks the chain
    /// against the fingerprint it is given, never this one).
    public var firstRoot: String
    public var chain: [ConfigurationVersion]
    /// Path → base64 of the last version's files (policy, reviewers, disclaimers, root).
    public var configuration: [String: String]
    public var articlePath: String
    /// Base64 of the published article's bytes.
    public var article: String
    /// The justifying sign-off records, as their files read.
    public var records: [String: String]
    /// Base64 of the published manifest (`published.json`).
    public var manifest: String
    public var publication: SignedEnvelope

    public static let typeName = "review-bundle/1"

    /// A map by path as JSON holds it (keys are text). Paths equal as text keep the first by
    /// byte order; the verifier then finds a file missing and refuses the bundle.
    static func textKeyed<V>(_ map: [GitPath: V]) -> [String: V] {
        Dictionary(map.sorted { $0.key < $1.key }.map { ($0.key.text, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    public init(firstRoot: String, chain: [ConfigurationVersion], configuration: [GitPath: [UInt8]], articlePath: GitPath, article: [UInt8],
                records: [GitPath: String], manifest: [UInt8], publication: SignedEnvelope) {
        self.firstRoot = firstRoot
        self.chain = chain
        self.configuration = Self.textKeyed(configuration.mapValues { Data($0).base64EncodedString() })
        self.articlePath = articlePath.text
        self.article = Data(article).base64EncodedString()
        self.records = Self.textKeyed(records)
        self.manifest = Data(manifest).base64EncodedString()
        self.publication = publication
    }

    public var json: [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return Array((try? encoder.encode(self)) ?? Data()) + [0x0A]
    }

    /// The site path of a page's bundle.
    public static func sitePath(slug: String) -> String { slug + ".bundle.json" }
}

/// Checks a ``VerificationBundle`` against a pinned root fingerprint, with no repository and no
/// network. What it cannot check offline (the order of history: self-approval, records dated
/// against the commits that added them) it says.
public enum BundleVerifier {
    public struct Verdict: Sendable, Equatable {
        /// Why the page cannot be trusted; empty when it verifies.
        public var problems: [String] = []
        /// What was proved (for the reader).
        public var facts: [String] = []

        public var verified: Bool { problems.isEmpty }

        public var text: String {
            var out = ""
            for fact in facts { out += fact + "\n" }
            for problem in problems { out += "error: " + problem + "\n" }
            out += verified ? "verified: the page's article is what the listed reviewers approved, under a configuration the pinned root governs\n"
                : "NOT verified (\(problems.count) problem\(problems.count == 1 ? "" : "s"))\n"
            return out
        }
    }

    /// - Parameter page: the rendered page the bundle is for (`nil` when there is none to read:
    ///   a problem, since a page edited after publication is what a reader would see).
    public static func verify(_ bytes: [UInt8], pinned: String, page: [UInt8]?) -> Verdict {
        var verdict = Verdict()
        guard let bundle = try? JSONDecoder().decode(VerificationBundle.self, from: Data(bytes)), bundle.type == VerificationBundle.typeName else {
            verdict.problems.append("not a review verification bundle (\(VerificationBundle.typeName))")
            return verdict
        }
        guard let pin = TrustRoot.normalised(fingerprint: pinned) else {
            verdict.problems.append("'\(pinned)' is not a root fingerprint (sha256: and 64 hex digits)")
            return verdict
        }
        guard let root = verifyChain(bundle, pin: pin, into: &verdict), let last = bundle.chain.last else { return verdict }
        guard let configuration = configurationFiles(bundle, last: last, into: &verdict) else { return verdict }
        verifyPublication(bundle, root: root, last: last, configuration: configuration, page: page, into: &verdict)
        return verdict
    }

    private static func decode(_ base64: String) -> [UInt8]? { Data(base64Encoded: base64).map(Array.init) }

    /// The chain from the pinned first root; returns the root in force at its end.
    private static func verifyChain(_ bundle: VerificationBundle, pin: String, into verdict: inout Verdict) -> TrustRoot? {
        var previous: ChainStep.Previous?
        for element in bundle.chain {
            let name = "configuration version \(element.version)"
            guard let rootBytes = decode(element.root), let signatureBytes = decode(element.signatures),
                  SHA256.hash(data: rootBytes).hex == element.files[TrustRoot.path.text] else {
                verdict.problems.append("\(name): its root does not match the digest its statement signs")
                return nil
            }
            guard let root = try? TrustRootParser.parse(rootBytes), let signatures = try? ConfigurationSignatures.parse(signatureBytes),
                  signatures.version == element.version, signatures.rootVersion == element.rootVersion else {
                verdict.problems.append("\(name): its root or signatures do not read, or name another version")
                return nil
            }
            let statement = ConfigurationStatement(version: element.version, rootVersion: element.rootVersion, files: element.paths)
            if previous == nil, !root.matches(fingerprint: pin) {
                verdict.problems.append("the bundle's first root has fingerprint \(root.fingerprint), not the pinned \(pin)")
                return nil
            }
            // The repository's own rule (GovernanceChain calls the same function).
            let inForce = previous
            switch ChainStep.check(previous: inForce, root: root, rootDigest: element.files[TrustRoot.path.text], version: element.version,
                                   rootVersion: element.rootVersion, signers: statement.verifiedSigners(signatures.signatures)) {
            case .success(let counted):
                let signing = inForce?.root ?? root
                verdict.facts.append("\(name): signed by \(counted.joined(separator: ", ")) (\(signing.threshold) of \(signing.governance.count) needed)")
            case .failure(.rollback(_, let inForce)):
                verdict.problems.append("\(name) does not come after version \(inForce) (rollback)")
                return nil
            case .failure(.rootVersion(let named, let expected, _)):
                verdict.problems.append("\(name): root version \(named) where the chain needs \(expected) (a gap, or a first root that is not root version 1)")
                return nil
            case .failure(.underSigned(let counted, let needed, _)):
                verdict.problems.append("\(name) is signed by \(counted.count) of the \(needed) governance keys it needs")
                return nil
            case .failure(.newRootUnderSigned(let counted, let needed)):
                verdict.problems.append("\(name): its new root is signed by \(counted) of the \(needed) of its own keys it needs")
                return nil
            }
            previous = ChainStep.Previous(version: element.version, rootVersion: element.rootVersion, root: root, rootDigest: element.files[TrustRoot.path.text])
        }
        guard let trusted = previous?.root else { verdict.problems.append("the bundle holds no configuration version"); return nil }
        return trusted
    }

    /// The last version's files, each checked against its statement.
    private static func configurationFiles(_ bundle: VerificationBundle, last: VerificationBundle.ConfigurationVersion,
                                           into verdict: inout Verdict) -> [GitPath: [UInt8]]? {
        var files: [GitPath: [UInt8]] = [:]
        let signed = last.paths
        for (text, base64) in bundle.configuration {
            let path = GitPath(text)
            guard let bytes = decode(base64), SHA256.hash(data: bytes).hex == signed[path] else {
                verdict.problems.append("\(path) is not the file configuration version \(last.version) signed")
                return nil
            }
            files[path] = bytes
        }
        guard Set(files.keys) == Set(signed.keys) else {
            verdict.problems.append("the bundle lacks configuration files version \(last.version) signed")
            return nil
        }
        return files
    }

    private static func verifyPublication(_ bundle: VerificationBundle, root: TrustRoot, last: VerificationBundle.ConfigurationVersion,
                                          configuration: [GitPath: [UInt8]], page: [UInt8]?, into verdict: inout Verdict) {
        let envelope = bundle.publication
        let publishers = root.publishers.filter { envelope.verifiedKeys().contains($0.publicKey) }
        guard !publishers.isEmpty, envelope.payloadType == PublicationStatement.payloadType,
              let statement = envelope.payloadBytes.flatMap(PublicationStatement.decode) else {
            verdict.problems.append("the publication is not signed by a publisher key of the root in force")
            return
        }
        verdict.facts.append("publication of \(statement.predicate.publishedOn): signed by publisher \(publishers.map(\.id).joined(separator: ", "))")
        let lastStatement = ConfigurationStatement(version: last.version, rootVersion: last.rootVersion, files: last.paths)
        if statement.predicate.configurationDigest != lastStatement.digest {
            verdict.problems.append("the publication names another configuration version than the bundle's last")
        }
        guard let article = decode(bundle.article), let manifest = decode(bundle.manifest) else {
            verdict.problems.append("the bundle's article or manifest is not base64")
            return
        }
        let blob = gitBlobID(article)
        let articlePath = GitPath(bundle.articlePath)
        let subjects = Dictionary(statement.subject.map { (GitPath($0.name), $0.digest) }, uniquingKeysWith: { a, _ in a })
        if subjects[articlePath] != ["gitBlob": blob, "sha256": SHA256.hash(data: article).hex] {
            verdict.problems.append("\(bundle.articlePath) is not the text that was published (its digests differ from the signed statement)")
        }
        if subjects[PublishedManifest.path]?["sha256"] != SHA256.hash(data: manifest).hex {
            verdict.problems.append("the manifest (the reviewer names the page shows) is not the one that was published")
        }
        guard let justification = statement.predicate.articles.first(where: { $0.path == articlePath && $0.blob == blob }) else {
            verdict.problems.append("the publication does not justify \(bundle.articlePath) at \(blob.prefix(7))")
            return
        }
        verdict.facts.append("article: \(bundle.articlePath) at revision \(blob.prefix(12))")
        // The page the reader sees: its digest is in the signed statement.
        if let name = justification.page {
            let signed = statement.subject.first { $0.name == (ContentLayout.publishedSiteDirectory + "/" + name).text }?.digest["sha256"]
            if let page {
                let digest = SHA256.hash(data: page).hex
                if digest == signed {
                    verdict.facts.append("page: \(name), sha256 \(digest.prefix(16))…, as published")
                } else {
                    verdict.problems.append("the page is not \(name) as it was published (its SHA-256 differs from the signed statement's): it was changed after publication; publish the site again from the published ref")
                }
            } else {
                verdict.problems.append("no page to check: \(name) is not beside the bundle; pass it with --page FILE")
            }
        } else {
            verdict.problems.append("the publication names no rendered page for \(bundle.articlePath) (it was made by an older review); publish again")
        }
        // The configuration the article was judged by.
        let disclaimerIDs = Set(configuration.keys.filter { $0.hasPrefix(ContentLayout.disclaimersDirectory + "/") && $0.hasSuffix(".md") }.map { Slug.of($0.text) })
        guard let policyBytes = configuration[Policy.path], let policy = try? PolicyParser.parse(policyBytes, disclaimerIDs: disclaimerIDs),
              let reviewers = try? ReviewersParser.parse(configuration[Reviewer.path] ?? Array("reviewers: []\n".utf8), roles: policy.roles) else {
            verdict.problems.append("the configuration in the bundle does not read")
            return
        }
        let (parsed, _) = ArticleParser.parse(path: articlePath, bytes: article, content: policy.content, frontMatter: policy.frontMatter)
        guard let categoryName = parsed.category, let category = policy.categories[categoryName] else {
            verdict.problems.append("the article's category is not one the policy names")
            return
        }
        var approvedBy: [String: String] = [:]
        for reference in justification.records {
            guard let text = bundle.records[reference.path.text], case .success(let signOff) = SignOffParser.parse(path: reference.path, bytes: Array(text.utf8)),
                  SHA256.hash(data: signOff.canonicalEncoding).hex == reference.sha256 else {
                verdict.problems.append("the record \(reference.path) is missing or not the one the publication names")
                continue
            }
            guard let reviewer = reviewers.first(where: { $0.id == signOff.reviewer }), signOff.isSigned(by: reviewer.publicKey),
                  reviewer.roles.contains(signOff.role), reviewer.isValid(on: signOff.day), signOff.decision == .approve,
                  signOff.blob == blob, signOff.sha256 == SHA256.hash(data: article).hex else {
                verdict.problems.append("the record \(reference.path) does not approve this text with a valid key in a role its signer holds")
                continue
            }
            if policy.separateRoles, let other = approvedBy.first(where: { $0.value == reviewer.id && $0.key != signOff.role }) {
                verdict.problems.append("\(reviewer.id) approved in both \(other.key) and \(signOff.role), and the policy separates roles")
            }
            approvedBy[signOff.role] = reviewer.id
            verdict.facts.append("\(signOff.role) review: \(reviewer.name)\(reviewer.credentials.isEmpty ? "" : ", " + reviewer.credentials) on \(signOff.day)")
        }
        let missing = category.requiredRoles.filter { approvedBy[$0] == nil }
        if !missing.isEmpty { verdict.problems.append("no valid approval in the \(missing.joined(separator: " and ")) role") }
        verdict.facts.append("not checked offline: the order of history (self-approval, when each record was committed); run 'review verify' on the repository for those")
    }

    /// Git's blob id of `bytes` (SHA-1 of "blob N\0" and the bytes), lowercase hex.
    public static func gitBlobID(_ bytes: [UInt8]) -> String {
        var hasher = Insecure.SHA1()
        hasher.update(data: Array("blob \(bytes.count)\u{0}".utf8))
        hasher.update(data: bytes)
        return hasher.finalize().hex
    }
}
