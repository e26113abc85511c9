import Paths

/// Someone who may sign off, from `Reviews/reviewers.yml`.
public struct Reviewer: Sendable, Equatable {
    public var id: String
    public var name: String
    /// Shown next to the name, like "MD, neurology".
    public var credentials: String
    public var roles: [String]
    /// Commit author addresses that are this reviewer (to recognise self-approval).
    public var emails: [String]
    /// The raw 32-byte Ed25519 public key.
    public var publicKey: [UInt8]
    /// First and last day (UTC, inclusive) on which this key may sign; `nil` means unbounded.
    public var validFrom: Day?
    public var validUntil: Day?
    /// 1-based line of the entry in reviewers.yml.
    public var line: Int

    public init(id: String, name: String, credentials: String, roles: [String], emails: [String] = [],
                publicKey: [UInt8], validFrom: Day? = nil, validUntil: Day? = nil, line: Int = 1) {
        self.id = id
        self.name = name
        self.credentials = credentials
        self.roles = roles
        self.emails = emails
        self.publicKey = publicKey
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.line = line
    }

    /// Whether the key may sign on `day`.
    public func isValid(on day: Day) -> Bool {
        (validFrom.map { $0 <= day } ?? true) && (validUntil.map { day <= $0 } ?? true)
    }

    public static let path: GitPath = "Reviews/reviewers.yml"
}
