import ArgumentParser
import Foundation
import GitKit
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
        let repository = try global.openRepository()
        guard let key = Data(base64Encoded: publicKey.trimmingCharacters(in: .whitespacesAndNewlines)), key.count == 32 else {
            throw ReviewError("--public-key is not a base64 Ed25519 public key (32 bytes)", remedy: "pass the line 'review keygen' printed")
        }
        let entry = Reviewer(
            id: id, name: name, credentials: credentials,
            roles: roles.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            emails: emails, publicKey: Array(key), validFrom: validFrom, validUntil: validUntil)
        let now = Int64(Date().timeIntervalSince1970)
        let me = repository.configuredSignature(time: now) ?? Signature(name: "review", email: "review@localhost", time: now)
        var failure: ReviewError?
        do {
            let branch = try repository.currentBranch()
            let commit = try repository.commit(onto: branch, author: me, committer: me, message: "Add reviewer \(id)") {
                (tip) throws(RepositoryError) -> [FileChange] in
                guard let tip else { throw .aborted("the repository has no commits; run 'review init' first") }
                do {
                    let tree = try repository.commit(tip).tree
                    let read = { (path: String) throws(RepositoryError) -> String? in
                        try repository.entry(at: path, inTree: tree).map { (e) throws(RepositoryError) in
                            String(decoding: try repository.blob(e.id), as: UTF8.self)
                        }
                    }
                    guard let policyText = try read(Policy.path) else { throw ReviewError(file: Policy.path, "not found", remedy: "run 'review init' first") }
                    let disclaimers = Set(try repository.files(under: RepositorySnapshot.disclaimersDirectory, inTree: tree).map { ArticleParser.slug(of: $0.path) })
                    let policy = try PolicyParser.parse(Array(policyText.utf8), disclaimerIDs: disclaimers)
                    let text = try ReviewersEditor.adding(entry, to: try read(Reviewer.path), roles: policy.roles)
                    return [.write(Reviewer.path, text)]
                } catch let error as ReviewError {
                    failure = error
                    throw .aborted(error.description)
                } catch let error as RepositoryError {
                    throw error
                } catch {
                    throw .aborted("\(error)")
                }
            }
            print("Added reviewer \(id) to \(Reviewer.path) in commit \(commit.short).")
        } catch {
            throw failure ?? ReviewError(error)
        }
    }
}
