import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

/// `review init [DIR]`: a new content repository with a commented policy, an empty reviewers
/// file and the medical disclaimer, committed.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Start a content repository: commented policy, reviewers file and the medical disclaimer."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Where (default: --repo, or the current directory); made a git repository if it is not one.")
    var directory: String?

    @Option(name: .customLong("governance"), help: ArgumentHelp("A governance key for the root of trust: its holder's id and the public key 'review keygen' printed, or an id alone for this machine's key of that id, made if there is none (repeatable).",
                                                                valueName: "id[=public-key]"))
    var governance: [String] = []

    @OptionGroup var signing: SignAsOptions

    @Option(help: "How many governance keys must sign each configuration change (default: a majority that survives one lost key, such as 2 of 3).")
    var threshold: Int?

    func run() throws {
        let path = directory ?? global.repo ?? FileManager.default.currentDirectoryPath
        var trustRoot: TrustRoot?
        // What can be refused is refused before a key is made.
        let ids = governance.map { String($0.prefix { $0 != "=" }) }
        if let stranger = signing.ids.first(where: { !ids.contains($0) }) {
            throw ReviewError("--sign-as \(stranger) is not one of the --governance keys", remedy: "sign as one of: \(ids.joined(separator: ", "))")
        }
        if !governance.isEmpty {
            if let threshold, !(1...governance.count).contains(threshold) {
                throw ReviewError("--threshold \(threshold) must be from 1 to the number of --governance keys (\(governance.count))")
            }
            let keys = try governance.map(GovernanceInitCommand.key)
            let threshold = self.threshold ?? ThresholdAdvice.defaultThreshold(keys: keys.count)
            guard (1...keys.count).contains(threshold) else {
                throw ReviewError("--threshold \(threshold) must be from 1 to the number of --governance keys (\(keys.count))")
            }
            trustRoot = TrustRoot(threshold: threshold, governance: keys)
            for warning in ThresholdAdvice.warnings(threshold: threshold, keys: keys.count) { Review.printError("review: warning: " + warning) }
        } else if threshold != nil {
            throw ReviewError("--threshold needs --governance keys", remedy: "pass --governance ID=PUBLIC-KEY for each governance key holder")
        } else if !signing.ids.isEmpty {
            throw ReviewError("--sign-as needs --governance keys", remedy: "pass --governance ID for each governance key holder")
        }
        // The signing keys are read before anything is written.
        let store = KeyStore()
        let signers = try signing.ids.map { (id) throws -> Publisher.Signer in
            guard let key = trustRoot?.governance.first(where: { $0.id == id }) else {
                throw ReviewError("--sign-as \(id) is not one of the --governance keys", remedy: "sign as one of: \(ids.joined(separator: ", "))")
            }
            let signer = Publisher.Signer(id: id, key: try store.privateKey(for: id))
            guard KeyStore.publicKeyBytes(of: signer.key) == key.publicKey else {
                throw ReviewError(file: store.path(for: id), "the private key of '\(id)' is not the public key --governance gave for it", remedy: "pass the key 'review keygen \(id)' printed, or --governance \(id) alone")
            }
            return signer
        }
        let (root, commit) = try ReviewSession.Authoring.initialise(at: path, now: global.now, root: trustRoot)
        emit("Initialised a review content repository in \(root) (commit \(commit.prefix(7))).")
        if let trustRoot {
            emit("Root of trust: \(trustRoot.threshold) of \(trustRoot.governance.count) governance keys. Fingerprint to pin outside the repository (CI secret REVIEW_TRUST_ROOT):")
            emit(trustRoot.fingerprint)
            if signers.isEmpty {
                emit("The configuration counts once \(trustRoot.threshold) of them ran 'review governance sign --as ID'.")
            } else {
                try SignAsOptions.sign(signers, in: try global.governance(at: root), now: global.now,
                                       statusSession: { try global.governance(at: root) })
            }
        } else {
            emit("The configuration is ungoverned: add a root of trust with 'review governance init' (see README, \"Governance\").")
        }
        emit("Next: edit Reviews/policy.yml, add reviewers with 'review reviewer add' (and 'review keygen' on each reviewer's machine), write articles with 'review new'.")
    }
}

/// `review new SLUG --title T --category C`: a new article file with its front matter and the
/// category's disclaimers, left uncommitted for the author to write.
struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create Articles/[SECTION/]SLUG.md with front matter and the category's disclaimers (not committed)."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The slug: lowercase letters, digits and single hyphens.")
    var slug: String

    @Option(help: "The article's title.")
    var title: String

    @Option(help: "A category from Reviews/policy.yml.")
    var category: String

    @Option(help: ArgumentHelp("A folder under Articles/ to put it in.", valueName: "section"))
    var section: String?

    func run() throws {
        let relative = try global.authoring().newArticle(slug: slug, title: title, category: category, section: section, today: global.today)
        emit("Created \(relative); write the body, then commit it and ask for review.")
    }
}
