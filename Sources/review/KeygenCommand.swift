import Paths
import ArgumentParser
import Foundation
import ReviewKit
import ReviewCore

/// `review keygen REVIEWER`: a new Ed25519 key pair for a reviewer.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make a reviewer's signing key: the private key stays on this machine, the public key goes in reviewers.yml.",
        discussion: """
            The private key is written to $REVIEW_KEY_DIR/<reviewer>.key (default ~/.config/review/keys/) with mode 0600; \
            an existing key is never overwritten. --export FILE seals the existing key under a passphrase (read from \
            $REVIEW_KEY_PASSPHRASE, or the first line of standard input) for signing in 'review serve' without the key file: \
            the browser opens it, the server never sees it.
            """
    )

    /// Accepted like every command's (the key does not depend on a repository).
    @OptionGroup var global: GlobalOptions

    @Argument(help: "The reviewer id, as in Reviews/reviewers.yml.")
    var reviewer: String

    @Flag(help: "Print the public key of the existing private key instead of making a new one.")
    var show = false

    @Option(help: ArgumentHelp("Seal the existing private key under a passphrase into FILE, for the dashboard (never overwrites).", valueName: "file"))
    var export: String?

    func run() throws {
        let store = KeyStore()
        if let export {
            let environment = ProcessInfo.processInfo.environment["REVIEW_KEY_PASSPHRASE"]
            guard let passphrase = environment ?? readLine(strippingNewline: true), !passphrase.isEmpty else {
                throw ReviewError("no passphrase given", remedy: "set REVIEW_KEY_PASSPHRASE or type it on standard input")
            }
            let sealed = try KeyExport.seal(try store.privateKey(for: reviewer), reviewer: reviewer, passphrase: passphrase)
            try OutputFile.createPrivate(export, contents: sealed.json)
            Review.printError("review: \(reviewer)'s key sealed into \(export); choose it in the dashboard's sign form and type the passphrase")
            return
        }
        if show {
            emit(KeyStore.publicKeyText(of: try store.privateKey(for: reviewer)))
            return
        }
        // Inside a content repository (or with --repo), the keys must live outside it.
        if let authoring = try? global.authoring() { try authoring.checkKeyDirectory(store) }
        let key = try store.generate(for: reviewer)
        emit(KeyStore.publicKeyText(of: key))
        Review.printError("review: private key written to \(store.path(for: reviewer)); back it up and never commit it")
    }
}
