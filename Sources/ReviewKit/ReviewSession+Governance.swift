import Paths
import SystemCrypto
import GitKit
import ReviewCore

/// What `review governance status` shows: the version in force, the root and its pin, and a
/// pending change with the signatures it has and lacks.
public struct GovernanceStatus: Sendable {
    public struct Pending: Sendable {
        /// The version it will take effect as.
        public var version: Int
        public var rootVersion: Int
        /// Configuration files that differ from the version in force (all, for a first root).
        public var changedPaths: [GitPath]
        /// Governance key ids whose valid signatures count, and how many are needed.
        public var signedBy: [String]
        public var needed: Int
        /// For a changed root: its own keys that signed, and how many of them are needed.
        public var signedByNewRoot: [String]?
        public var neededFromNewRoot: Int?
        /// Keys that may still sign (id and name).
        public var mayStillSign: [String]
        /// Keys whose signature of this version is over another statement (the configuration
        /// changed after they signed): it does not count, and they must sign again.
        public var signedAnotherStatement: [String] = []
        /// A new first root (`governance reroot`), signed by its own keys alone; its fingerprint.
        public var reroot: String?
        /// The digest of the statement a signer would sign (`sha256:…`): what `governance sign
        /// --expect` checks, so a change slipped in after a signer read it is not signed.
        public var digest: String = ""
    }

    public var head: String
    public var current: GovernanceChain.Version?
    /// The first root's fingerprint (what to pin), when a root is in force.
    public var firstRootFingerprint: String?
    public var pinned: TrustPin?
    public var pending: Pending?
    public var findings: [Finding]

    /// The lines `review governance status` prints.
    public var text: String {
        var out = ""
        if let current {
            out += "Configuration version \(current.version) is in force (commit \(current.commit.prefix(7)), signed by \(current.signers.joined(separator: ", "))).\n"
            out += "Root: \(current.root.threshold) of \(current.root.governance.count) governance keys (\(current.root.governance.map(\.id).joined(separator: ", ")))"
            out += current.root.publishers.isEmpty ? "; no publisher keys.\n" : "; publishers: \(current.root.publishers.map(\.id).joined(separator: ", ")).\n"
            if let first = firstRootFingerprint {
                out += pinned.map { "First root fingerprint: \(first), \($0.origin).\n" } ?? "First root fingerprint (not pinned): \(first)\n"
            }
        } else {
            out += "No signed configuration is in force: the committed configuration counts (ungoverned).\n"
        }
        if let pending, let fingerprint = pending.reroot {
            out += "Pending: a REROOT to a new first root, fingerprint \(fingerprint). Once \(pending.needed) of its own keys sign it, every pin of the old root (CI secrets, known-roots files, the fingerprint you published) must be updated to it, or those checks fail with trust-root-mismatch.\n"
        }
        if let pending {
            out += "Pending: version \(pending.version) changes \(pending.changedPaths.map(\.text).joined(separator: ", ")); "
            out += "signed by \(pending.signedBy.count) of the \(pending.needed) governance keys it needs"
            out += pending.signedBy.isEmpty ? "" : " (\(pending.signedBy.joined(separator: ", ")))"
            if let own = pending.signedByNewRoot, let needed = pending.neededFromNewRoot {
                out += ", and by \(own.count) of the \(needed) keys of the new root it needs"
            }
            out += ".\n"
            out += "Statement to sign: \(pending.digest) (sign with 'review governance sign --as ID --expect \(pending.digest)').\n"
            if !pending.signedAnotherStatement.isEmpty {
                out += "Signed over another statement of version \(pending.version), so not counted (the configuration changed after they signed; they sign again): \(pending.signedAnotherStatement.joined(separator: ", ")).\n"
            }
            if !pending.mayStillSign.isEmpty {
                out += "Still to sign ('review governance sign --as ID'): \(pending.mayStillSign.joined(separator: ", ")).\n"
            }
        } else if current != nil {
            out += "Nothing pending: the committed configuration is the version in force.\n"
        }
        for finding in findings { out += finding.textLine + "\n" }
        return out
    }
}

extension ReviewSession {
    /// Governance: the root of trust (`governance init`, `reroot`), the signatures that make a
    /// configuration change count (`governance sign`, `--sign-as`), what is pending, and the
    /// configuration changes that need them, such as the reviewers list (`reviewer add`,
    /// `retire`, `rotate-key`).
    public struct Governance: SessionUseCase {
        let session: ReviewSession
    }
}

extension ReviewSession.Governance {
    /// Opens the repository at `path` (``ReviewSession/open(_:options:)``) for this use case alone.
    public static func open(_ path: String?, options: ReviewSession.Options = ReviewSession.Options()) throws(ReviewError) -> Self {
        Self(session: try ReviewSession.open(path, options: options))
    }

    /// Refuses a key directory inside this repository's work tree or git directory: a private
    /// key there is one `git add` away from being published.
    public func checkKeyDirectory(_ store: KeyStore) throws(ReviewError) { try session.checkKeyDirectory(store) }

    /// `review governance status`.
    public func status() throws(ReviewError) -> GovernanceStatus {
        try ReviewError.wrapping {
            let head = try repository.headCommit()
            let governed = try readGoverned(at: head)
            return governed.status(head: head.hex, pinned: pin)
        }
    }

    /// For `--sign-as` on a command that changes the configuration: refuses, before anything is
    /// written, a key that could not sign the change it is about to commit (not a governance key
    /// of the version in force) and a repository no root governs. While a root change is pending
    /// its new keys may sign too, and ``sign(as:key:now:expect:)`` decides.
    public func checkMayGovern(_ signer: Publisher.Signer) throws(ReviewError) {
        let status = try self.status()
        guard let current = status.current else {
            if status.pending != nil { return }  // a first root still to sign: its own keys sign it
            throw ReviewError(file: TrustRoot.path, "--sign-as \(signer.id): no root of trust governs this configuration, so there is nothing to sign",
                              remedy: "leave out --sign-as, or create a root first ('review governance init')")
        }
        if status.pending?.signedByNewRoot != nil || status.pending?.reroot != nil { return }
        let publicKey = KeyStore.publicKeyBytes(of: signer.key)
        guard current.root.governance.contains(where: { $0.publicKey == publicKey }) else {
            throw ReviewError(file: TrustRoot.path, "--sign-as \(signer.id): that key is not a governance key of version \(current.version), so it cannot sign the change",
                              remedy: "use your own governance key, or leave out --sign-as and have governance sign later ('review governance status' lists who may)")
        }
    }

    /// The pending configuration change as a unified diff of each changed file, from the version
    /// in force to HEAD (empty when nothing is pending): what a signer reads before signing.
    public func pendingDiff() throws(ReviewError) -> String {
        try ReviewError.wrapping {
            let head = try repository.headCommit()
            let status = try readGoverned(at: head).status(head: head.hex, pinned: pin)
            guard let pending = status.pending else { return "" }
            let headTree = try repository.commit(head).tree
            let baseTree = try status.current.flatMap { ObjectID(hex: $0.commit) }.map { try repository.commit($0).tree }
            var out = ""
            for path in pending.changedPaths {
                let old = try baseTree.flatMap { try repository.entry(at: path, inTree: $0)?.id }
                let new = try repository.entry(at: path, inTree: headTree)?.id
                out += try repository.patch(from: old, to: new, path: path).text
            }
            return out
        }
    }

    /// `review governance init`: commits a new root (to be signed by its own keys before it
    /// counts). Refuses when the repository already has one.
    public func createRoot(_ root: TrustRoot, now: Int64) throws(ReviewError) -> String {
        try commitChange("Create the trust root (\(root.threshold) of \(root.governance.count) governance keys)", now: now) { tip, tree in
            if try self.repository.entry(at: TrustRoot.path, inTree: tree) != nil {
                throw ReviewError(file: TrustRoot.path, "the repository already has a trust root",
                                  remedy: "change it by editing it and having governance sign the change ('review governance sign')")
            }
            let text = TrustRootParser.text(root)
            _ = try TrustRootParser.parse(Array(text.utf8))  // the same checks as every reader
            return [.write(TrustRoot.path, text)]
        }
    }

    /// `review governance reroot`: the way out when the threshold of the governance keys in
    /// force can no longer be met (keys lost). Commits `root` as a new first root and marks it
    /// as a reroot (a signatures file of the next version with none yet): once a threshold of
    /// its own keys signs it, it starts a new chain with a new fingerprint, which every pin of
    /// the old root then refuses until it is updated. Refuses where no root is in force.
    public func reroot(_ root: TrustRoot, now: Int64) throws(ReviewError) -> (commit: String, old: String, new: String) {
        var old = ""
        let commit = try commitChange("Reroot the configuration: a new first root (\(root.threshold) of \(root.governance.count) governance keys)", now: now) { tip, _ in
            let governed = try self.readGoverned(at: tip)
            let status = governed.status(head: tip.hex, pinned: nil)
            guard let current = status.current, let genesis = status.firstRootFingerprint else {
                throw ReviewError(file: TrustRoot.path, "no signed root is in force, so there is nothing to reroot",
                                  remedy: "create the first root with 'review governance init'")
            }
            guard root.fingerprint != genesis, root != current.root else {
                throw ReviewError(file: TrustRoot.path, "the new root is the root in force", remedy: "pass the new governance keys with --key")
            }
            old = genesis
            let text = TrustRootParser.text(root)
            _ = try TrustRootParser.parse(Array(text.utf8))
            // Above every version signed so far, pending ones included (their files stay).
            let signed = governed.history.stateAt.last.flatMap { governed.states[Int($0)].signatures }.flatMap { try? ConfigurationSignatures.parse($0) }
            let next = max(current.version, status.pending?.version ?? 0, signed?.version ?? 0) + 1
            let marker = ConfigurationSignatures(version: next, rootVersion: 1, reroot: true)
            return [.write(TrustRoot.path, text),
                    .write(GitPath("\(ConfigurationFiles.signaturesDirectory)/v\(next)-reroot.yml"), marker.text)]
        }
        return (commit, old, root.fingerprint)
    }

    /// `review governance sign --as ID`: adds this governance key's signature over the whole
    /// committed configuration, as the next version, and commits it.
    ///
    /// Refuses a key that may not sign it, a second signature by one key, and a configuration
    /// that is already the version in force.
    /// - Returns: the commit and the status after it.
    /// - Parameter expect: the statement digest the signer read (`governance status`); when the
    ///   branch's configuration is another by the time it is signed, nothing is signed.
    public func sign(as signer: String, key: Curve25519.Signing.PrivateKey, now: Int64,
                                  expect: String? = nil) throws(ReviewError) -> (String, GovernanceStatus) {
        let commit = try commitChange("Sign the configuration as \(signer)", now: now) { tip, _ in
            let governed = try self.readGoverned(at: tip)
            let status = governed.status(head: tip.hex, pinned: nil)
            guard let pending = status.pending else {
                throw ReviewError(file: ConfigurationFiles.signaturesPath, "nothing to sign: the committed configuration is version \(status.current?.version ?? 0), already in force",
                                  remedy: "change the configuration first (for example 'review reviewer add'), then sign")
            }
            let tipState = governed.states[Int(governed.history.stateAt.last!)]
            let publicKey = Array(key.publicKey.rawRepresentation)
            let newRoot = try tipState.files[TrustRoot.path].map { (bytes) throws(ReviewError) in try TrustRootParser.parse(bytes) }
            var allowed = pending.reroot != nil ? [] : status.current?.root.governance ?? []
            if status.current == nil || pending.signedByNewRoot != nil || pending.reroot != nil { allowed += newRoot?.governance ?? [] }
            guard allowed.contains(where: { $0.publicKey == publicKey }) else {
                throw ReviewError(file: TrustRoot.path, "the key of '\(signer)' is not a governance key that may sign version \(pending.version)",
                                  remedy: "governance keys are listed in \(TrustRoot.path) of the version in force; use your own governance key (REVIEW_KEY_DIR)")
            }
            var signatures = ConfigurationSignatures(version: pending.version, rootVersion: pending.rootVersion, reroot: pending.reroot != nil)
            let statement = ConfigurationStatement(version: pending.version, rootVersion: pending.rootVersion, files: tipState.digests)
            if let expect, !Self.sameDigest(expect, statement.digest) {
                throw ReviewError(file: ConfigurationFiles.signaturesPath,
                                  "the configuration on the branch is statement \(statement.digest), not the \(expect) you read: it changed since (\(pending.changedPaths.map(\.text).joined(separator: ", ")))",
                                  remedy: "read 'review governance status' again, and sign what it shows")
            }
            if let bytes = tipState.signatures, let existing = try? ConfigurationSignatures.parse(bytes),
               existing.version == pending.version, existing.rootVersion == pending.rootVersion, existing.reroot == signatures.reroot {
                // A key counts once: a signature of its over exactly these files is already there.
                let valid = statement.verifiedSigners(existing.signatures)
                if valid.contains(publicKey) {
                    throw ReviewError(file: ConfigurationFiles.signaturesDirectory, "'\(signer)' already signed version \(pending.version); a key counts once",
                                      remedy: "other governance key holders must sign: \(pending.mayStillSign.joined(separator: ", "))")
                }
            }
            // One file per signature (issue 34, item 3): two holders signing on two branches add two
            // files and merge cleanly. Nothing else is touched: files of older versions (and the
            // one-file form earlier versions wrote) are ignored once a higher version is signed,
            // and deleting them on two branches would read to git as two renames that conflict.
            let signature = try key.signature(for: statement.encoding)
            signatures.signatures = [ConfigurationSignatures.Signature(publicKey: publicKey, signature: Array(signature), signer: signer)]
            return [.write(ConfigurationFiles.signaturePath(version: pending.version, signer: signer, publicKey: publicKey), signatures.text)]
        }
        return (commit, try status())
    }

    /// Whether two statement digests are the same (`sha256:` optional, any case).
    static func sameDigest(_ a: String, _ b: String) -> Bool {
        func bare(_ s: String) -> String { (s.lowercased().hasPrefix("sha256:") ? String(s.dropFirst(7)) : s).lowercased() }
        return bare(a) == bare(b)
    }

    /// The governed configuration at `revision`, read from its whole history.
    func readGoverned(at revision: ObjectID) throws -> GovernedConfiguration {
        try GovernedConfiguration.read(from: repository, revision: revision, tree: try repository.commit(revision).tree,
                                       engine: HistoryEngine(usesCache: options.usesCaches), partial: false, pinned: pin)
    }

    /// Commits files computed from the checked-out branch's tip (compare-and-swap: recomputed
    /// if the branch moved meanwhile).
    func commitChange(_ message: String, now: Int64,
                      _ change: @escaping (ObjectID, ObjectID) throws -> [FileChange]) throws(ReviewError) -> String {
        let me = committer(now)
        var failure: ReviewError?
        do {
            let branch = try repository.currentBranch()
            let commit = try repository.commit(onto: branch, author: me, committer: me, message: message) {
                (tip) throws(RepositoryError) -> [FileChange] in
                guard let tip else { throw .aborted("the repository has no commits; run 'review init' first") }
                do {
                    return try change(tip, try repository.commit(tip).tree)
                } catch let error as ReviewError {
                    failure = error
                    throw .aborted(error.description)
                } catch let error as RepositoryError {
                    throw error
                } catch {
                    throw .aborted("\(error)")
                }
            }
            return commit.hex
        } catch {
            throw failure ?? ReviewError(error)
        }
    }

    /// `review reviewer add`: adds the reviewer to reviewers.yml (validated against the policy
    /// read exactly as every other command reads it) and commits it. Returns the commit id.
    public func addReviewer(_ reviewer: Reviewer, now: Int64) throws(ReviewError) -> String {
        try commitConfiguration("Add reviewer \(reviewer.id)", now: now) { (configuration, tree) throws in
            let text = try Configuration.fileBytes(Reviewer.path, in: self.repository, tree: tree).map { (bytes) throws(ReviewError) -> String in
                guard case .success(let text) = TextDecoding.decode(bytes) else {
                    throw ReviewError(file: Reviewer.path, "is not UTF-8 text", remedy: "save it as UTF-8")
                }
                return text
            }
            return [.write(Reviewer.path, try ReviewersEditor.adding(reviewer, to: text, roles: configuration.policy.roles))]
        }
    }

    /// `review reviewer retire ID --on DATE` and `review reviewer rotate-key ID`: sets one field
    /// of a reviewer in reviewers.yml and commits it (a configuration change: where a root
    /// governs, it counts once signed). Returns the commit id.
    public func setReviewerField(_ key: String, to value: String, of id: String, message: String, now: Int64) throws(ReviewError) -> String {
        try commitConfiguration(message, now: now) { (configuration, tree) throws in
            guard let bytes = try Configuration.fileBytes(Reviewer.path, in: self.repository, tree: tree),
                  case .success(let text) = TextDecoding.decode(bytes) else {
                throw ReviewError(file: Reviewer.path, "there is no readable reviewers file", remedy: "add reviewers with 'review reviewer add'")
            }
            return [.write(Reviewer.path, try ReviewersEditor.setting(key, to: value, of: id, in: text, roles: configuration.policy.roles))]
        }
    }

    /// Commits a change to the configuration onto the checked-out branch, computed from the
    /// configuration at the branch's tip as ``RepositorySnapshot`` reads it.
    private func commitConfiguration(_ message: String, now: Int64,
                                     _ change: @escaping (Configuration, ObjectID) throws -> [FileChange]) throws(ReviewError) -> String {
        try commitChange(message, now: now) { tip, tree in
            try change(try Configuration.read(from: self.repository, tree: tree, at: tip, readingReviewers: false), tree)
        }
    }
}

extension GovernedConfiguration {
    /// The governance status at the tip of this history.
    func status(head: String, pinned: TrustPin?) -> GovernanceStatus {
        let chain = self.chain
        var status = GovernanceStatus(head: head, current: chain.current, firstRootFingerprint: chain.genesis?.root.fingerprint,
                                      pinned: pinned, pending: nil, findings: chain.findings)
        guard let tipState = history.stateAt.last.map(Int.init) else { return status }
        let committed = states[tipState]
        let current = chain.current
        if let current, states[current.state].files == committed.files { return status }
        guard let rootBytes = committed.files[TrustRoot.path], let newRoot = try? TrustRootParser.parse(rootBytes) else { return status }
        let check = checks[tipState]
        let rootChanged = current.map { states[$0.state].files[TrustRoot.path] != rootBytes } ?? true
        let parsed = try? committed.signatures.map { (bytes) throws(ReviewError) in try ConfigurationSignatures.parse(bytes) }
        var version = (current?.version ?? 0) + 1
        if let claimed = parsed?.version, claimed > version - 1 { version = claimed }
        // A reroot still to sign (not the one in force, whose files stay beside later versions').
        let reroot = current != nil && parsed?.reroot == true && (parsed?.version ?? 0) > (current?.version ?? 0)
        let rootVersion = reroot ? 1 : current.map { $0.rootVersion + (rootChanged ? 1 : 0) } ?? 1
        // Signatures count only over the statement of this version (check.signers verified them
        // over the statement the signatures file names).
        let signers = (parsed?.version == version && parsed?.rootVersion == rootVersion) ? check.signers : []
        let signingRoot = reroot ? newRoot : current?.root ?? newRoot
        let signedBy = signingRoot.governance.filter { signers.contains($0.publicKey) }
        var pending = GovernanceStatus.Pending(
            version: version, rootVersion: rootVersion,
            changedPaths: GovernanceChain.changedPaths(committed.files, current.map { states[$0.state].files } ?? [:]),
            signedBy: signedBy.map(\.id), needed: signingRoot.threshold, mayStillSign: [])
        var still = signingRoot.governance.filter { !signers.contains($0.publicKey) }
        if reroot { pending.reroot = newRoot.fingerprint }
        if current != nil && rootChanged && !reroot {
            pending.signedByNewRoot = newRoot.governance.filter { signers.contains($0.publicKey) }.map(\.id)
            pending.neededFromNewRoot = newRoot.threshold
            still += newRoot.governance.filter { key in !signers.contains(key.publicKey) && !still.contains { $0.publicKey == key.publicKey } }
        }
        pending.mayStillSign = still.map { $0.name == $0.id ? $0.id : "\($0.id) (\($0.name))" }
        // Signatures of this version over another statement are reported, never dropped silently.
        if let parsed, parsed.version == version, parsed.rootVersion == rootVersion {
            let keys = signingRoot.governance + (pending.signedByNewRoot != nil ? newRoot.governance : [])
            var stale: [String] = []
            for signature in parsed.signatures where !signers.contains(signature.publicKey) {
                let id = keys.first { $0.publicKey == signature.publicKey }?.id ?? "an unknown key (\(signature.signer))"
                if !stale.contains(id) { stale.append(id) }
            }
            pending.signedAnotherStatement = stale
        }
        pending.digest = ConfigurationStatement(version: version, rootVersion: rootVersion, files: committed.digests).digest
        status.pending = pending
        return status
    }
}
