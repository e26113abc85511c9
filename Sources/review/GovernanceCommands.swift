import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

/// `review governance …`: the root of trust and the signing of configuration changes.
struct GovernanceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "governance",
        abstract: "Govern the configuration: a root of governance keys signs every change to policy, reviewers and disclaimers.",
        discussion: "See README, \"Governance\".",
        subcommands: [GovernanceInitCommand.self, GovernanceSignCommand.self, GovernanceStatusCommand.self, GovernanceFingerprintCommand.self,
                      GovernanceRerootCommand.self]
    )
}

/// The keys of a new root, as `governance init` and `governance reroot` take them.
struct RootKeyOptions: ParsableArguments {
    @Option(name: .customLong("key"), help: ArgumentHelp("A governance key: its holder's id and the public key 'review keygen' printed, or an id alone for this machine's key of that id, made if there is none (repeatable).",
                                                         valueName: "id[=public-key]"))
    var keys: [String] = []

    @Option(help: "How many distinct governance keys must sign each configuration change (default: a majority that survives one lost key, such as 2 of 3).")
    var threshold: Int?

    @Option(name: .customLong("publisher"), help: ArgumentHelp("A key that may sign publications (repeatable).", valueName: "id=public-key"))
    var publishers: [String] = []

    /// The root they describe, checked; warns (on stderr) about thresholds that lock or let one decide.
    func root() throws -> TrustRoot {
        let governance = try keys.map(GovernanceInitCommand.key)
        guard !governance.isEmpty else {
            throw ReviewError("a root needs governance keys", remedy: "pass --key ID=PUBLIC-KEY for each governance key holder, such as three and --threshold 2")
        }
        let threshold = self.threshold ?? ThresholdAdvice.defaultThreshold(keys: governance.count)
        guard (1...governance.count).contains(threshold) else {
            throw ReviewError("--threshold \(threshold) must be from 1 to the number of --key options (\(governance.count))",
                              remedy: "for example three --key options and --threshold 2")
        }
        for warning in ThresholdAdvice.warnings(threshold: threshold, keys: governance.count) { Review.printError("review: warning: " + warning) }
        return TrustRoot(threshold: threshold, governance: governance, publishers: try publishers.map(GovernanceInitCommand.key))
    }
}

/// `--sign-as ID` on a command that changes the configuration: the governance key holder who
/// runs it signs what it committed in the same run, as `review governance sign --as ID` would,
/// so a small team's change takes effect in one command.
struct SignAsOptions: ParsableArguments {
    @Option(name: .customLong("sign-as"),
            help: ArgumentHelp("Also sign the changed configuration with this governance key ($REVIEW_KEY_DIR/<id>.key), as 'review governance sign --as ID' would (repeatable).",
                               valueName: "id"))
    var ids: [String] = []

    /// The keys, read and checked before anything is written: a missing key or one that may not
    /// sign refuses the command, not just its signature.
    func signers(for governance: ReviewSession.Governance) throws -> [Publisher.Signer] {
        guard !ids.isEmpty else { return [] }
        let store = KeyStore()
        try governance.checkKeyDirectory(store)
        return try ids.map { (id) throws -> Publisher.Signer in
            let signer = Publisher.Signer(id: id, key: try store.privateKey(for: id))
            try governance.checkMayGovern(signer)
            return signer
        }
    }

    /// Signs the committed configuration with each key in turn until nothing is pending, and
    /// prints the governance status after (read by `statusSession` when given: a session opened
    /// after the signing, which pins a root that was not in force before).
    static func sign(_ signers: [Publisher.Signer], in governance: ReviewSession.Governance, now: Int64,
                     statusSession: (() throws -> ReviewSession.Governance)? = nil) throws {
        guard !signers.isEmpty else { return }
        var status = try governance.status()
        for signer in signers {
            guard status.pending != nil else {
                emit("Not signed as \(signer.id): the configuration is already in force.")
                continue
            }
            let (commit, after) = try governance.sign(as: signer.id, key: signer.key, now: now)
            emit("Signed the configuration as \(signer.id) in commit \(commit.prefix(7)).")
            status = after
        }
        if let statusSession { status = try statusSession().status() }
        emit(status.text, terminator: "")
    }
}

/// `review governance init --key ID=PUBLIC-KEY … --threshold N [--publisher ID=PUBLIC-KEY]…`.
struct GovernanceInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create Reviews/root.yml and commit it; it counts once a threshold of its own keys signed it.")

    @OptionGroup var global: GlobalOptions

    @OptionGroup var keys: RootKeyOptions

    func run() throws {
        let root = try keys.root()
        let threshold = root.threshold
        let commit = try global.governance().createRoot(root, now: global.now)
        emit("Created \(TrustRoot.path) in commit \(commit.prefix(7)): \(threshold) of \(root.governance.count) governance keys.")
        emit("Fingerprint to pin (CI secret REVIEW_TRUST_ROOT, or --trust-root): \(root.fingerprint)")
        emit("It counts once \(threshold) of its keys signed it: each runs 'review governance sign --as ID'.")
    }

    static func key(_ text: String) throws -> TrustRoot.Key {
        if !text.contains("=") { return try localKey(text) }
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let raw = Data(base64Encoded: parts[1].trimmingCharacters(in: .whitespaces)), raw.count == 32 else {
            throw ReviewError("'\(text)' is not ID=PUBLIC-KEY", remedy: "pass the id and the base64 public key 'review keygen ID' printed")
        }
        if let problem = PublicKeyCheck.problem(Array(raw)) { throw ReviewError("the key of '\(parts[0])' \(problem)") }
        return TrustRoot.Key(id: parts[0], name: parts[0], publicKey: Array(raw))
    }

    /// A governance key given by id alone: the key of that id on this machine, made (and said)
    /// when there is none, so one person starting a site needs no separate `keygen`.
    static func localKey(_ id: String) throws -> TrustRoot.Key {
        let store = KeyStore()
        let (key, made) = try store.existingOrNew(for: id)
        if made { Review.printError("review: made a key for \(id): \(store.path(for: id)); back it up and never commit it") }
        return TrustRoot.Key(id: id, name: id, publicKey: KeyStore.publicKeyBytes(of: key))
    }
}

/// `review governance sign --as ID`.
struct GovernanceSignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign the whole committed configuration as its next version with your governance key, and commit the signature.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .customLong("as"), help: "Your governance key id (the key is read from $REVIEW_KEY_DIR/<id>.key).")
    var signer: String

    @Option(help: ArgumentHelp("The statement digest you read ('review governance status'): nothing is signed when the branch holds another.",
                               valueName: "sha256:…"))
    var expect: String?

    func run() throws {
        let governance = try global.governance()
        let store = KeyStore()
        try governance.checkKeyDirectory(store)
        let key = try store.privateKey(for: signer)
        let before = try governance.status().pending
        // What is signed, as a diff from the version in force (read it; --expect pins it).
        let diff = try governance.pendingDiff()
        let (commit, status) = try governance.sign(as: signer, key: key, now: global.now, expect: expect)
        if !diff.isEmpty { emit("The change signed, from the version in force:\n" + TerminalStyle.current.colourDiff(TerminalSafe.cleanLines(diff)), terminator: diff.hasSuffix("\n") ? "" : "\n") }
        // With --expect the statement signed is exactly the one named; without, the one read just
        // before (the branch may have moved between: --expect makes sure).
        let what = before.map { " version \($0.version) (\($0.changedPaths.map(\.text).joined(separator: ", "))), statement \(expect ?? $0.digest)" } ?? ""
        emit("Signed the configuration\(what) as \(signer) in commit \(commit.prefix(7))\(expect == nil ? "; next time pass --expect with the statement you read" : "").")
        emit(status.text, terminator: "")
    }
}

/// `review governance status`.
struct GovernanceStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the configuration version in force, its root and pin, and what is pending with the signatures it lacks.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Also print the pending change as a diff of the configuration files from the version in force (what a signer signs).")
    var diff = false

    func run() throws {
        let governance = try global.governance()
        emit(try governance.status().text, terminator: "")
        if diff {
            let text = try governance.pendingDiff()
            emit(text.isEmpty ? "Nothing pending: no change to show." : TerminalStyle.current.colourDiff(TerminalSafe.cleanLines(text)), terminator: text.hasSuffix("\n") ? "" : "\n")
        }
    }
}

/// `review governance fingerprint`.
struct GovernanceFingerprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Print the first root's fingerprint, to pin outside the repository (CI secret REVIEW_TRUST_ROOT).")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let status = try global.governance().status()
        guard let fingerprint = status.firstRootFingerprint else {
            throw ReviewError(file: TrustRoot.path, "no signed root is in force",
                              remedy: "create one with 'review governance init' and have its keys sign it ('review governance status' shows what is pending)")
        }
        emit(fingerprint)
    }
}

/// `review governance reroot --key ID=PUBLIC-KEY … [--threshold N] [--publisher ID=PUBLIC-KEY]…`:
/// a new first root, for when the threshold of the keys in force can no longer be met.
struct GovernanceRerootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reroot",
        abstract: "Replace the first root when too many governance keys are lost to sign a rotation: a new fingerprint, which every pin must be updated to.",
        discussion: """
            A lost or compromised key is normally rotated out by editing Reviews/root.yml and having the remaining \
            threshold sign it ('review governance sign'). When that threshold can no longer be met, reroot commits a new \
            first root; once a threshold of its own keys signs it, it is in force, with a new fingerprint. Every check \
            pinned to the old one (CI secrets, known-roots files, the fingerprint you published) then fails with \
            trust-root-mismatch until its pin is updated: that is the point.
            """)

    @OptionGroup var global: GlobalOptions

    @OptionGroup var keys: RootKeyOptions

    func run() throws {
        let root = try keys.root()
        let threshold = root.threshold, governance = root.governance
        let (commit, old, new) = try global.governance().reroot(root, now: global.now)
        emit("Committed a REROOT in \(commit.prefix(7)): a new first root, \(threshold) of \(governance.count) governance keys.")
        emit("Old fingerprint: \(old)")
        emit("New fingerprint: \(new)")
        emit("It counts once \(threshold) of its own keys signed it ('review governance sign --as ID'). Then update every pin to the new fingerprint: the CI secret REVIEW_TRUST_ROOT, each known-roots file (delete the repository's line; it is recorded again), and wherever you published the old one. Until then those checks fail with trust-root-mismatch.")
    }
}
