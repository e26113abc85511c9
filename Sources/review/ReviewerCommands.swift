import Paths
import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

/// `review reviewer …`: manage Reviews/reviewers.yml.
struct ReviewerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reviewer",
        abstract: "Manage who may sign off.",
        subcommands: [AddReviewerCommand.self, ListReviewersCommand.self, RetireReviewerCommand.self, RotateKeyCommand.self]
    )
}

/// `review reviewer add ID --name N --roles R,… --credentials C --public-key K …`.
struct AddReviewerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a reviewer to Reviews/reviewers.yml and commit it."
    )

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The reviewer id: lowercase letters, digits and single hyphens.")
    var id: String

    @Option(help: "Full name, as readers will see it.")
    var name: String

    @Option(help: ArgumentHelp("Roles, comma-separated (from the policy's roles).", valueName: "role,…"))
    var roles: String

    @Option(help: "Credentials shown after the name, like \"MD, neurology\".")
    var credentials: String

    @Option(name: .customLong("public-key"), help: "The base64 public key 'review keygen' printed (default: the public half of this machine's key of ID).")
    var publicKey: String?

    @Option(name: .customLong("email"), help: "A commit author address of this reviewer (repeatable).")
    var emails: [String] = []

    @Option(name: .customLong("valid-from"), help: "First day the key may sign (YYYY-MM-DD).")
    var validFrom: Day?

    @Option(name: .customLong("valid-until"), help: "Last day the key may sign (YYYY-MM-DD).")
    var validUntil: Day?

    @OptionGroup var signing: SignAsOptions

    func run() throws {
        let governance = try global.governance()
        let signers = try signing.signers(for: governance)
        let publicKey = try self.publicKey ?? {
            let store = KeyStore()
            guard store.hasKey(for: id) else {
                throw ReviewError(file: store.path(for: id), "no --public-key, and no key of '\(id)' on this machine",
                                  remedy: "pass --public-key with the line 'review keygen \(id)' printed on the reviewer's machine")
            }
            return KeyStore.publicKeyText(of: try store.privateKey(for: id))
        }()
        guard let key = Data(base64Encoded: publicKey.trimmingCharacters(in: .whitespacesAndNewlines)), key.count == 32 else {
            throw ReviewError("--public-key is not a base64 Ed25519 public key (32 bytes)", remedy: "pass the line 'review keygen' printed")
        }
        if let problem = PublicKeyCheck.problem(Array(key)) {
            throw ReviewError("--public-key \(problem)", remedy: "pass the line 'review keygen \(id)' printed")
        }
        let entry = Reviewer(
            id: id, name: name, credentials: credentials,
            roles: roles.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            emails: emails, publicKey: Array(key), validFrom: validFrom, validUntil: validUntil)
        let commit = try governance.addReviewer(entry, now: global.now)
        emit("Added reviewer \(id) to \(Reviewer.path) in commit \(commit.prefix(7)).")
        try SignAsOptions.sign(signers, in: governance, now: global.now)
    }
}

/// `review reviewer list`: who may sign off, as the configuration in force says.
struct ListReviewersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the reviewers of the configuration in force: roles, credentials, key validity.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let reviewers = try global.reading().evaluate(asOf: global.today).snapshot.reviewers
        for r in reviewers {
            let window = "\(r.validFrom?.description ?? "…") to \(r.validUntil?.description ?? "…")"
            let state = r.isValid(on: global.today) ? "valid" : "not valid on \(global.today)"
            emit(TerminalSafe.clean("\(r.id)  \(r.name)\(r.credentials.isEmpty ? "" : ", " + r.credentials)  [\(r.roles.joined(separator: ", "))]  key \(window) (\(state))"))
        }
        if reviewers.isEmpty { emit("No reviewers: add one with 'review reviewer add'.") }
    }
}

/// `review reviewer retire ID --on DATE`: the last day the reviewer's key may sign.
struct RetireReviewerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retire",
        abstract: "Set the last day a reviewer's key may sign (valid-until) and commit it; earlier sign-offs stay valid.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The reviewer id.")
    var id: String

    @Option(help: ArgumentHelp("The last day the key may sign (YYYY-MM-DD).", valueName: "date"))
    var on: Day

    @OptionGroup var signing: SignAsOptions

    func run() throws {
        let governance = try global.governance()
        let signers = try signing.signers(for: governance)
        let commit = try governance.setReviewerField("valid-until", to: on.description, of: id,
                                                  message: "Retire reviewer \(id)'s key after \(on)", now: global.now)
        emit("Set valid-until: \(on) for \(id) in commit \(commit.prefix(7)); where governance keys protect the configuration, it counts once signed ('review governance status').")
        try SignAsOptions.sign(signers, in: governance, now: global.now)
    }
}

/// `review reviewer rotate-key ID --public-key K`: a reviewer's new key.
struct RotateKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Replace a reviewer's public key (after 'review keygen' made a new one) and commit it.",
        discussion: "Records signed with the old key stop counting when it is replaced: retire the old key with a date instead when they must keep counting, and add the new key under a new id.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The reviewer id.")
    var id: String

    @Option(name: .customLong("public-key"), help: "The new base64 public key 'review keygen' printed.")
    var publicKey: String

    @OptionGroup var signing: SignAsOptions

    func run() throws {
        let governance = try global.governance()
        let signers = try signing.signers(for: governance)
        guard let key = Data(base64Encoded: publicKey.trimmingCharacters(in: .whitespacesAndNewlines)), key.count == 32 else {
            throw ReviewError("--public-key is not a base64 Ed25519 public key (32 bytes)", remedy: "pass the line 'review keygen' printed")
        }
        if let problem = PublicKeyCheck.problem(Array(key)) { throw ReviewError("--public-key \(problem)") }
        let commit = try governance.setReviewerField("public-key", to: key.base64EncodedString(), of: id,
                                                  message: "Rotate reviewer \(id)'s key", now: global.now)
        emit("Replaced \(id)'s public key in commit \(commit.prefix(7)); where governance keys protect the configuration, it counts once signed.")
        try SignAsOptions.sign(signers, in: governance, now: global.now)
    }
}
