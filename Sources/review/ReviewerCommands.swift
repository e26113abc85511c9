import ArgumentParser
import Foundation
import ReviewCore
import ReviewKit

/// `review reviewer …`: manage Reviews/reviewers.yml.
struct ReviewerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reviewer",
        abstract: "Manage who may sign off.",
        subcommands: [AddReviewerCommand.self]
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

    @Option(name: .customLong("public-key"), help: "The base64 public key 'review keygen' printed.")
    var publicKey: String

    @Option(name: .customLong("email"), help: "A commit author address of this reviewer (repeatable).")
    var emails: [String] = []

    @Option(name: .customLong("valid-from"), help: "First day the key may sign (YYYY-MM-DD).")
    var validFrom: Day?

    @Option(name: .customLong("valid-until"), help: "Last day the key may sign (YYYY-MM-DD).")
    var validUntil: Day?

    func run() throws {
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
        let commit = try global.session().addReviewer(entry, now: global.now)
        emit("Added reviewer \(id) to \(Reviewer.path) in commit \(commit.prefix(7)).")
    }
}
