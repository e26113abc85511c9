import ArgumentParser
import Foundation
import ReviewKit
import ReviewCore

/// `review keygen REVIEWER`: a new Ed25519 key pair for a reviewer.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make a reviewer's signing key: the private key stays on this machine, the public key goes in reviewers.yml.",
        discussion: "The private key is written to $REVIEW_KEY_DIR/<reviewer>.key (default ~/.config/review/keys/) with mode 0600; an existing key is never overwritten."
    )

    /// Accepted like every command's (the key does not depend on a repository).
    @OptionGroup var global: GlobalOptions

    @Argument(help: "The reviewer id, as in Reviews/reviewers.yml.")
    var reviewer: String

    @Flag(help: "Print the public key of the existing private key instead of making a new one.")
    var show = false

    func run() throws {
        let store = KeyStore()
        if show {
            emit(KeyStore.publicKeyText(of: try store.privateKey(for: reviewer)))
            return
        }
        // Inside a content repository (or with --repo), the keys must live outside it.
        if let session = try? global.session() { try session.checkKeyDirectory(store) }
        let key = try store.generate(for: reviewer)
        emit(KeyStore.publicKeyText(of: key))
        Review.printError("review: private key written to \(store.path(for: reviewer)); back it up and never commit it")
    }
}
