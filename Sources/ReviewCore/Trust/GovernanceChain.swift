import Paths
import SystemCrypto

/// The configuration's files at one or more commits: every file of the signed configuration
/// (``ConfigurationFiles``) with its bytes, and the signatures file.
public struct ConfigurationState: Sendable, Equatable {
    /// Path → bytes; empty when the commit holds no configuration.
    public var files: [GitPath: [UInt8]]
    /// The governance signatures as one file's text (``ConfigurationSignatures/merged(_:)`` of
    /// the signature files), or the bytes of the first that does not read.
    public var signatures: [UInt8]?
    /// Why the signature files do not read, naming the file.
    public var signatureFailure: ReviewError?
    /// Path → hex SHA-256 of each file.
    public var digests: [GitPath: String]

    /// - Parameters:
    ///   - signatureFiles: the commit's signature files (``ConfigurationFiles/isSignatures(_:)``).
    ///   - digests: the files' SHA-256 digests when the caller knows them (a history shares
    ///     most files between states); computed otherwise.
    public init(files: [GitPath: [UInt8]], signatureFiles: [GitPath: [UInt8]] = [:], digests: [GitPath: String]? = nil) {
        self.files = files
        switch ConfigurationSignatures.merged(signatureFiles) {
        case .success(let merged): signatures = Array(merged.text.utf8)
        case .failure(let error):
            signatures = signatureFiles.sorted { $0.key < $1.key }.flatMap(\.value)
            signatureFailure = error
        case nil: signatures = nil
        }
        self.digests = digests ?? files.mapValues { SHA256.hash(data: $0).hex }
    }

    public static func == (a: ConfigurationState, b: ConfigurationState) -> Bool {
        a.files == b.files && a.signatures == b.signatures
    }

    /// What can be learnt from the state alone (parsing, signature checks): done once per
    /// state, and independent of history, so it may run on all cores.
    ///
    /// - Parameter root: the root file already parsed (states share it), if known.
    public func check(root: Result<TrustRoot, ReviewError>? = nil) -> Check {
        var check = Check()
        if let bytes = files[TrustRoot.path] {
            check.root = root ?? Result { () throws(ReviewError) in try TrustRootParser.parse(bytes) }
        }
        if let bytes = signatures {
            let parsed = signatureFailure.map { Result<ConfigurationSignatures, ReviewError>.failure($0) }
                ?? Result { () throws(ReviewError) in try ConfigurationSignatures.parse(bytes) }
            check.signatures = parsed
            if case .success(let signatures) = parsed {
                let statement = ConfigurationStatement(version: signatures.version, rootVersion: signatures.rootVersion, files: digests)
                check.statement = statement
                check.signers = statement.verifiedSigners(signatures.signatures)
            }
        }
        return check
    }

    /// See ``check()``.
    public struct Check: Sendable {
        public var root: Result<TrustRoot, ReviewError>?
        public var signatures: Result<ConfigurationSignatures, ReviewError>?
        public var statement: ConfigurationStatement?
        /// Public keys whose signatures verify over ``statement``.
        public var signers: Set<[UInt8]> = []
    }
}

/// Which configuration is in force at every commit of a history: the last version that a
/// threshold of the previous trusted version's governance keys signed, back to the first root.
///
/// At a commit whose configuration differs from the one in force, the new files take effect
/// only when the signatures file signs exactly them (one statement over all of them) as a
/// higher version, with at least the threshold of distinct governance keys of the version in
/// force, and, when the root itself changes, of the new root too (as TUF asks, so a root nobody
/// can sign for is never installed). Otherwise the change has no effect: the old reviewers,
/// roles, intervals and disclaimers stay in force, and while it is there it is a blocking
/// finding naming the commit. Before the first root (an ungoverned repository) the committed
/// configuration counts, which `status` says.
public struct GovernanceChain: Sendable {
    /// One trusted configuration version.
    public struct Version: Sendable {
        public var version: Int
        public var rootVersion: Int
        public var root: TrustRoot
        /// The index of the state holding its files.
        public var state: Int
        /// The commit at which it took effect.
        public var commit: String
        /// The governance key ids (of the signing root) whose signatures counted.
        public var signers: [String]
        /// The version it replaced (`nil` for the first root).
        public var previous: Int?
        /// The first root of its chain (an index into ``GovernanceChain/versions``).
        public var genesis: Int
        public var statement: ConfigurationStatement
        /// Taken as it stands at a shallow clone's boundary, not proved from the first root.
        public var cutByShallowClone = false
        /// A new first root (`governance reroot`): the version in force it replaced.
        public var rerootOf: Int?
    }

    /// Why a configuration change did not take effect.
    public struct Refusal: Sendable, Equatable {
        public var rule: RuleID
        public var path: GitPath
        public var message: String
    }

    public var versions: [Version] = []
    /// Per position, the index into ``versions`` in force, or -1 where none is (ungoverned).
    public var inForceAt: [Int32] = []
    /// Findings about the tip, sorted: a pending (unsigned, under-signed, rolled back) change,
    /// a root that does not match the pinned fingerprint, an unpinned root, no root at all.
    public var findings: [Finding] = []

    /// No configuration history at all.
    public init() {}

    /// The version in force at the tip.
    public var current: Version? { inForceAt.last.flatMap { $0 < 0 ? nil : versions[Int($0)] } }

    /// The first root of the tip's chain (what a team pins).
    public var genesis: Version? {
        guard var version = current else { return nil }
        while let previous = version.previous { version = versions[previous] }
        return version
    }

    /// The first root of the chain holding the version at `index`.
    public func chainGenesis(of index: Int) -> Version {
        var version = versions[index]
        while let previous = version.previous { version = versions[previous] }
        return version
    }

    /// The chain from the first root to the version at `index`, oldest first.
    public func chain(endingAt index: Int) -> [Version] {
        var out: [Version] = []
        var next: Int? = index
        while let i = next {
            out.append(versions[i])
            next = versions[i].previous
        }
        return out.reversed()
    }

    /// The state whose files count at `position`: the version in force, or the committed files
    /// where no root governs yet.
    public func effectiveState(at position: Int, committed: [Int32]) -> Int {
        let v = inForceAt[position]
        return v < 0 ? Int(committed[position]) : versions[Int(v)].state
    }

    /// Evaluates a history.
    ///
    /// - Parameters:
    ///   - count: commits, by position; every commit comes after its parents; the tip is last.
    ///   - parents: the positions of a commit's parents.
    ///   - commitID: a commit's id (for findings).
    ///   - stateAt: per position, the index into `states` of its configuration.
    ///   - checks: `states[i].check()`, computed by the caller (on all cores).
    ///   - pinned: the fingerprint pinned outside the repository, and where from, if any.
    ///   - isBoundary: whether a commit's parents lie beyond a shallow clone's boundary.
    public static func evaluate(count: Int, parents: (Int) -> ArraySlice<Int32>, commitID: (Int) -> String,
                                stateAt: [Int32], states: [ConfigurationState], checks: [ConfigurationState.Check],
                                pinned: TrustPin?, isBoundary: (Int) -> Bool = { _ in false }) -> GovernanceChain {
        var chain = GovernanceChain()
        chain.inForceAt = [Int32](repeating: -1, count: count)
        var pendingSince = [Int32](repeating: -1, count: count)
        // (state, version in force) → accepted version index, or the refusal.
        var memo: [Int64: Result<Int, RefusalBox>] = [:]
        var refusalAtTip: Refusal?
        var equal: [Int64: Bool] = [:]
        func sameFiles(_ a: Int, _ b: Int) -> Bool {
            if a == b { return true }
            let key = Int64(min(a, b)) << 32 | Int64(max(a, b))
            if let known = equal[key] { return known }
            let same = states[a].files == states[b].files
            equal[key] = same
            return same
        }
        for position in 0..<count {
            // At a merge, the first parent's chain, or what continues it from another parent (a
            // higher version of that same chain, or of a chain rerooted from it); never an
            // unrelated chain (a root made on a branch from before the real one would otherwise
            // win by its version number).
            var inherited: Int32 = -1
            for parent in parents(position) {
                let v = chain.inForceAt[Int(parent)]
                guard v >= 0 else { continue }
                if inherited < 0 || chain.continues(Int(v), Int(inherited)) {
                    inherited = v
                }
            }
            let state = Int(stateAt[position])
            if inherited >= 0, sameFiles(state, chain.versions[Int(inherited)].state) {
                chain.inForceAt[position] = inherited
                continue
            }
            if inherited < 0, states[state].files[TrustRoot.path] == nil {
                continue  // ungoverned, and no root yet
            }
            let key = Int64(state) << 32 | Int64(UInt32(bitPattern: inherited))
            let outcome: Result<Int, RefusalBox>
            if let known = memo[key] {
                outcome = known
            } else {
                outcome = chain.consider(state: state, states: states, check: checks[state], inherited: inherited >= 0 ? Int(inherited) : nil,
                                         commit: commitID(position), cutOff: inherited < 0 && isBoundary(position))
                memo[key] = outcome
            }
            switch outcome {
            case .success(let accepted):
                chain.inForceAt[position] = Int32(accepted)
            case .failure(let box):
                chain.inForceAt[position] = inherited
                // Named by the commit where the configuration first left the version in force.
                let first = parents(position).first.map(Int.init)
                pendingSince[position] = first.map { pendingSince[$0] >= 0 ? pendingSince[$0] : Int32(position) } ?? Int32(position)
                if position == count - 1 { refusalAtTip = box.refusal }
            }
        }
        guard count > 0 else { return chain }
        if var refusal = refusalAtTip {
            let since = commitID(Int(pendingSince[count - 1]))
            refusal.message = "the configuration changed in commit \(since.prefix(7)) does not count: " + refusal.message
            chain.findings.append(Finding(refusal.rule, path: refusal.path, refusal.message))
        }
        if let genesis = chain.genesis, genesis.cutByShallowClone {
            chain.findings.append(Finding(.historyMissing, path: TrustRoot.path,
                "the configuration's history is cut by a shallow clone at commit \(genesis.commit.prefix(7)) (version \(genesis.version)), so the chain back to the first root cannot be checked; fetch the whole history (git fetch --unshallow)"))
        }
        // A chain that starts at a reroot says so wherever the pin is not already its own.
        let rerooted = chain.genesis.flatMap { genesis in
            genesis.rerootOf.map { old in
                " (the configuration was rerooted at commit \(genesis.commit.prefix(7)): a new first root \(genesis.root.fingerprint) replaced \(chain.chainGenesis(of: old).root.fingerprint); if your governance did that, update every pin to the new fingerprint)"
            }
        } ?? ""
        if let genesis = chain.genesis {
            if let pinned {
                if !genesis.root.matches(fingerprint: pinned.fingerprint) {
                    chain.findings.append(Finding(.trustRootMismatch, path: TrustRoot.path,
                        "the repository's first root (commit \(genesis.commit.prefix(7))) has fingerprint \(genesis.root.fingerprint), not \(pinned.fingerprint) (\(pinned.origin))\(rerooted); nothing here can be trusted: \(pinned.mismatchRemedy)"))
                }
            } else {
                chain.findings.append(Finding(.unpinnedTrustRoot, path: TrustRoot.path,
                    "the trust root is not pinned, so a rewritten history with another root would go unnoticed\(rerooted); pin it with --trust-root \(genesis.root.fingerprint) or REVIEW_TRUST_ROOT (for CI, a secret)"))
            }
        } else if refusalAtTip == nil {
            if let pinned {
                chain.findings.append(Finding(.trustRootMismatch, path: TrustRoot.path,
                    "the trust root \(pinned.fingerprint) is \(pinned.origin), but this history has no signed root; \(pinned.mismatchRemedy)"))
            } else {
                chain.findings.append(Finding(.ungovernedConfiguration, path: TrustRoot.path,
                    "no governance keys protect the configuration, so anyone who can push can enrol a reviewer or change a policy or disclaimer; create a root with 'review governance init' (see README, \"Governance\")"))
            }
        }
        chain.findings.sort()
        return chain
    }

    /// Whether version `later` continues version `earlier`: a higher version of the same chain,
    /// or a version of a chain rerooted from `earlier` or from a later version of its chain (a
    /// reroot made and signed on a branch, then merged with a merge commit, continues what the
    /// main line had when the branch was made; it is as loud there as on the main line, since
    /// its first root's fingerprint is new). A reroot from before `earlier` does not: that
    /// branch missed a version the main line has, and its configuration is judged anew.
    func continues(_ later: Int, _ earlier: Int) -> Bool {
        let target = versions[earlier]
        if versions[later].genesis == target.genesis { return versions[later].version > target.version }
        var genesis = versions[later].genesis
        // Each step goes to an older chain; the bound keeps a malformed one from looping.
        for _ in 0..<versions.count {
            guard let old = versions[genesis].rerootOf else { return false }
            if versions[old].genesis == target.genesis { return versions[old].version >= target.version }
            genesis = versions[old].genesis
        }
        return false
    }

    /// A refusal as a failure value.
    struct RefusalBox: Error { let refusal: Refusal }

    /// Whether `state` is a valid next version after `inherited` (or a valid first root).
    /// - Parameter cutOff: a commit at a shallow clone's boundary with no version in force: its
    ///   root is taken as it stands (a provisional first root, reported as history missing).
    private mutating func consider(state: Int, states: [ConfigurationState], check: ConfigurationState.Check, inherited: Int?,
                                   commit: String, cutOff: Bool) -> Result<Int, RefusalBox> {
        func refuse(_ path: GitPath, _ message: String, rule: RuleID = .unsignedConfiguration) -> Result<Int, RefusalBox> {
            .failure(RefusalBox(refusal: Refusal(rule: rule, path: path, message: message)))
        }
        let previous = inherited.map { versions[$0] }
        // Words for a refusal (computed only when one is made).
        var keep: String { previous.map { "; version \($0.version) (commit \($0.commit.prefix(7))) stays in force" } ?? "; the configuration is ungoverned until it is" }
        var changed: [GitPath] { previous.map { Self.changedPaths(states[state].files, states[$0.state].files) } ?? [TrustRoot.path] }
        var changedText: String {
            let changed = changed
            return changed.isEmpty ? "" : " (\(changed.prefix(4).map(\.text).joined(separator: ", "))\(changed.count > 4 ? ", …" : ""))"
        }
        guard let rootResult = check.root else {
            return refuse(TrustRoot.path, "it deletes the trust root\(changedText)\(keep); restore \(TrustRoot.path)")
        }
        let root: TrustRoot
        switch rootResult {
        case .success(let parsed): root = parsed
        case .failure(let error): return refuse(TrustRoot.path, "the new root does not read: \(error.description)\(keep)")
        }
        // The signatures of the version in force, left as they were: the change is simply unsigned.
        let unchangedSignatures = previous.map { states[$0.state].signatures == states[state].signatures } ?? false
        guard let signaturesResult = check.signatures, !unchangedSignatures else {
            return refuse(changed.first ?? TrustRoot.path, "it is not signed\(changedText)\(keep); 'review governance status --diff' shows the change, and governance key holders sign it with 'review governance sign --as ID'")
        }
        let signatures: ConfigurationSignatures
        switch signaturesResult {
        case .success(let parsed): signatures = parsed
        case .failure(let error):
            return refuse(ConfigurationFiles.signaturesPath, "the signatures do not read: \(error.description)\(keep)")
        }
        let statement = check.statement
            ?? ConfigurationStatement(version: signatures.version, rootVersion: signatures.rootVersion, files: states[state].digests)
        // A reroot: a new first root, signed by its own keys alone, starts a new chain (and a
        // new fingerprint, which every pin of the old one then refuses, loudly).
        if signatures.reroot, let previous, let inherited {
            let rootChanged = states[previous.state].digests[TrustRoot.path] != states[state].digests[TrustRoot.path]
            guard signatures.version > previous.version, rootChanged else {
                return refuse(ConfigurationFiles.signaturesPath,
                              "a reroot must bring a new root and a version above \(previous.version)\(keep); run 'review governance reroot' again")
            }
            switch ChainStep.check(previous: nil, root: root, rootDigest: states[state].digests[TrustRoot.path], version: signatures.version,
                                   rootVersion: signatures.rootVersion, signers: check.signers) {
            case .success(let ids):
                versions.append(Version(version: signatures.version, rootVersion: signatures.rootVersion, root: root, state: state, commit: commit,
                                        signers: ids, previous: nil, genesis: versions.count, statement: statement, rerootOf: inherited))
                return .success(versions.count - 1)
            case .failure(.rootVersion(let named, _, _)):
                return refuse(ConfigurationFiles.signaturesPath, "a reroot is root version 1, not \(named)\(keep); run 'review governance reroot' again")
            case .failure(let refusal):
                let ids: [String]
                if case .underSigned(let counted, _, _) = refusal { ids = counted } else { ids = [] }
                return refuse(TrustRoot.path,
                              "the reroot to a new first root is signed by \(ids.count) of the \(root.threshold) of its own governance keys it needs\(keep); the new keys' holders run 'review governance sign'")
            }
        }
        let inForce = previous.map {
            ChainStep.Previous(version: $0.version, rootVersion: $0.rootVersion, root: $0.root, rootDigest: states[$0.state].digests[TrustRoot.path])
        }
        let counted: [String]
        switch ChainStep.check(previous: inForce, root: root, rootDigest: states[state].digests[TrustRoot.path], version: signatures.version,
                               rootVersion: signatures.rootVersion, signers: check.signers, firstRootVersion: cutOff ? signatures.rootVersion : 1) {
        case .success(let ids):
            counted = ids
        case .failure(.rollback(let version, let inForce)):
            return refuse(ConfigurationFiles.signaturesPath,
                          "it is signed as version \(version), but version \(inForce) is already in force, and versions only go up (an older configuration cannot come back)\(changedText)\(keep); to return to older settings, sign them again as version \(inForce + 1)",
                          rule: .configurationRollback)
        case .failure(.rootVersion(let named, let expected, let rootChanged)):
            return refuse(ConfigurationFiles.signaturesPath,
                          "it names root version \(named), but \(rootChanged ? "a changed root is" : "an unchanged root keeps") root version \(expected)\(keep); sign it again with 'review governance sign'")
        case .failure(.underSigned(let ids, let needed, _)):
            let who = ids.isEmpty ? "" : " (\(ids.joined(separator: ", ")))"
            let whose = previous.map { "of version \($0.version)" } ?? "of the new root itself"
            return refuse(changed.first ?? ConfigurationFiles.signaturesPath,
                          "version \(signatures.version)\(changedText) is signed by \(ids.count) of the \(needed) distinct governance keys \(whose) it needs\(who)\(keep); \(needed - ids.count) more must run 'review governance sign'")
        case .failure(.newRootUnderSigned(let own, let needed)):
            return refuse(TrustRoot.path,
                          "the new root is signed by \(own) of the \(needed) of its own governance keys it needs (a new root must be signed by the old keys and the new)\(keep); the new keys' holders must run 'review governance sign'")
        }
        versions.append(Version(version: signatures.version, rootVersion: signatures.rootVersion, root: root, state: state, commit: commit,
                                signers: counted, previous: inherited, genesis: inherited.map { versions[$0].genesis } ?? versions.count,
                                statement: statement, cutByShallowClone: cutOff))
        return .success(versions.count - 1)
    }

    /// The configuration paths whose bytes differ between two states, sorted.
    public static func changedPaths(_ a: [GitPath: [UInt8]], _ b: [GitPath: [UInt8]]) -> [GitPath] {
        Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
    }
}

/// The governance findings, described for documentation and SARIF.
public enum GovernanceRules {
    public static let descriptions = [
        RuleDescription(
            ids: [.unsignedConfiguration, .configurationRollback],
            summary: "A change to the configuration (policy, reviewers, disclaimers, root) is not signed by a threshold of governance keys as a higher version.",
            rationale: "Nothing is trusted because it was committed: an unsigned change has no effect, and the signed version stays in force."),
        RuleDescription(
            ids: [.trustRootMismatch, .trustRootRequired, .unpinnedTrustRoot, .ungovernedConfiguration],
            summary: "The configuration has no root of trust, or one that is not pinned outside the repository, or one that does not match the pin.",
            rationale: "A root trusted on first use cannot tell a rewritten history from the real one; a pinned fingerprint can."),
        RuleDescription(
            ids: [.unjustifiedPublication],
            summary: "The published ref holds an article that no signed publication and no counting approvals justify.",
            rationale: "Only approved revisions may be published; a pushed ref proves nothing by itself."),
        RuleDescription(
            ids: [.historyRewritten],
            summary: "The branch no longer holds the source commit, or a sign-off record, that the latest signed publication attests.",
            rationale: "A rewrite (a filtered commit, a force-push) must not erase a decision: a publication attests the record log, and what it attested must still be there."),
    ]
}

/// The one rule for whether a configuration version may follow the version in force (or start
/// a chain as its first root). ``GovernanceChain`` (a repository's history) and
/// ``BundleVerifier`` (one page, offline) both call it, so a bundle can never accept a chain the
/// repository refuses.
public enum ChainStep {
    /// The version in force before the step.
    public struct Previous: Sendable {
        public var version: Int
        public var rootVersion: Int
        public var root: TrustRoot
        /// The SHA-256 of its root file, as its statement signs it.
        public var rootDigest: String?

        public init(version: Int, rootVersion: Int, root: TrustRoot, rootDigest: String?) {
            self.version = version
            self.rootVersion = rootVersion
            self.root = root
            self.rootDigest = rootDigest
        }
    }

    /// Why a step is refused.
    public enum Refusal: Sendable, Equatable, Error {
        /// Versions only go up.
        case rollback(version: Int, inForce: Int)
        /// The root version must go up by one exactly when the root changes (from 1, or from
        /// what a shallow clone's boundary shows).
        case rootVersion(named: Int, expected: Int, rootChanged: Bool)
        /// Too few distinct governance keys of the signing root (the version in force, or the
        /// new root itself when there is none).
        case underSigned(counted: [String], needed: Int, ofNewRoot: Bool)
        /// A changed root must also be signed by a threshold of its own keys.
        case newRootUnderSigned(counted: Int, needed: Int)
    }

    /// - Parameters:
    ///   - root: the new version's root, parsed; `rootDigest` the SHA-256 of its file.
    ///   - signers: the public keys whose signatures verify over the new version's statement.
    ///   - firstRootVersion: the root version a chain's first root must carry (1; a shallow
    ///     clone's boundary takes what it shows).
    /// - Returns: the ids of the signing root's governance keys that counted.
    public static func check(previous: Previous?, root: TrustRoot, rootDigest: String?, version: Int, rootVersion: Int,
                             signers: Set<[UInt8]>, firstRootVersion: Int = 1) -> Result<[String], Refusal> {
        let rootChanged = previous.map { $0.rootDigest != rootDigest } ?? true
        if let previous, version <= previous.version {
            return .failure(.rollback(version: version, inForce: previous.version))
        }
        let expected = previous.map { $0.rootVersion + (rootChanged ? 1 : 0) } ?? firstRootVersion
        guard rootVersion == expected else {
            return .failure(.rootVersion(named: rootVersion, expected: expected, rootChanged: rootChanged))
        }
        let signing = previous?.root ?? root
        let counted = signing.governance.filter { signers.contains($0.publicKey) }
        guard counted.count >= signing.threshold else {
            return .failure(.underSigned(counted: counted.map(\.id), needed: signing.threshold, ofNewRoot: previous == nil))
        }
        if previous != nil && rootChanged {
            let own = root.governance.filter { signers.contains($0.publicKey) }.count
            guard own >= root.threshold else { return .failure(.newRootUnderSigned(counted: own, needed: root.threshold)) }
        }
        return .success(counted.map(\.id))
    }
}
