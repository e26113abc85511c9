import Paths
import ReviewCore
import SystemCrypto
import Foundation

/// Reviewers' private keys on this machine: `$REVIEW_KEY_DIR/<reviewer>.key` (default
/// `~/.config/review/keys/`), one base64 line holding the 32-byte Ed25519 private key, mode 0600.
/// Private keys never enter a repository.
public struct KeyStore: Sendable {
    public var directory: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let dir = environment["REVIEW_KEY_DIR"], !dir.isEmpty {
            directory = dir
        } else {
            directory = (environment["HOME"] ?? NSHomeDirectory()) + "/.config/review/keys"
        }
    }

    public init(directory: String) { self.directory = directory }

    public func path(for reviewer: String) -> String { directory + "/" + reviewer + ".key" }

    /// The public half of a key as reviewers.yml lists it: base64 of the 32 raw bytes.
    public static func publicKeyText(of key: Curve25519.Signing.PrivateKey) -> String {
        key.publicKey.rawRepresentation.base64EncodedString()
    }

    /// The public half of a key as raw bytes, as roots and records compare it.
    public static func publicKeyBytes(of key: Curve25519.Signing.PrivateKey) -> [UInt8] {
        Array(key.publicKey.rawRepresentation)
    }

    /// Creates a new key pair, stores the private key (refusing to overwrite one) and returns it.
    public func generate(for reviewer: String) throws(ReviewError) -> Curve25519.Signing.PrivateKey {
        guard ArticleParser.slugProblem(reviewer) == nil else {
            throw ReviewError("'\(reviewer)' is not a valid reviewer id", remedy: "use lowercase letters, digits and single hyphens")
        }
        let path = path(for: reviewer)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ReviewError(file: directory, "cannot create the key directory: \(error.localizedDescription)", remedy: "set REVIEW_KEY_DIR to a writable directory")
        }
        try checkDirectory()
        let key = Curve25519.Signing.PrivateKey()
        let text = Array((key.rawRepresentation.base64EncodedString() + "\n").utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST {
                throw ReviewError(file: path, "a private key for '\(reviewer)' already exists", remedy: "keep using it, or move it away first to make a new one")
            }
            throw ReviewError(file: path, "cannot create the key file: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        let written = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == text.count, fsync(fd) == 0 else {
            unlink(path)
            throw ReviewError(file: path, "cannot write the key file: \(String(cString: strerror(errno)))")
        }
        return key
    }

    /// Refuses a key directory other users may write to: they could replace or remove a key
    /// in it (the same care as for a key file others can read).
    func checkDirectory() throws(ReviewError) {
        var info = stat()
        guard stat(directory, &info) == 0 else { return }
        guard info.st_mode & 0o022 == 0 else {
            throw ReviewError(file: directory, "the key directory can be written by other users (mode \(String(info.st_mode & 0o777, radix: 8)))",
                              remedy: "anyone who can write it could replace a key: run 'chmod 700 \(directory)', and make new keys if they may have been changed")
        }
    }

    /// Reads a reviewer's private key, refusing one that other users can read, or one in a
    /// directory they can write.
    public func privateKey(for reviewer: String) throws(ReviewError) -> Curve25519.Signing.PrivateKey {
        let path = path(for: reviewer)
        try checkDirectory()
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ReviewError(file: path, "no private key for '\(reviewer)' on this machine",
                              remedy: "run 'review keygen \(reviewer)' (and add the public key to reviewers.yml), or set REVIEW_KEY_DIR")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw ReviewError(file: path, "the private key can be read by other users (mode \(String(info.st_mode & 0o777, radix: 8)))",
                              remedy: "anyone who read it could sign as \(reviewer): run 'chmod 600 \(path)', and make a new key if it may have leaked")
        }
        guard let data = FileManager.default.contents(atPath: path),
              let raw = Data(base64Encoded: String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw ReviewError(file: path, "not a review private key (one base64 line of 32 bytes)", remedy: "restore it from your backup or run 'review keygen' for a new one")
        }
        return key
    }

    /// Whether this machine holds a private key for `id` (a file exists; `privateKey(for:)`
    /// still checks it).
    public func hasKey(for id: String) -> Bool { FileManager.default.fileExists(atPath: path(for: id)) }

    /// The key of `id` on this machine, made when there is none (`init --governance ID`, which
    /// may make the first keys): the key, and whether it was made now.
    public func existingOrNew(for id: String) throws(ReviewError) -> (key: Curve25519.Signing.PrivateKey, made: Bool) {
        hasKey(for: id) ? (try privateKey(for: id), false) : (try generate(for: id), true)
    }
}
