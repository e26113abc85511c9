/// `Reviews/policy.yml`: who must sign off on what, how often, and which disclaimers each
/// category needs.
public struct Policy: Sendable, Equatable {
    public struct Category: Sendable, Equatable {
        public var name: String
        public var requiredRoles: [String]
        public var reviewIntervalDays: Int
        public var dueSoonDays: Int
        public var disclaimers: [String]

        public init(name: String, requiredRoles: [String], reviewIntervalDays: Int, dueSoonDays: Int, disclaimers: [String]) {
            self.name = name
            self.requiredRoles = requiredRoles
            self.reviewIntervalDays = reviewIntervalDays
            self.dueSoonDays = dueSoonDays
            self.disclaimers = disclaimers
        }
    }

    public var roles: [String]
    public var categories: [String: Category]
    /// Front-matter keys whose change keeps existing approvals (like `tags`).
    public var unreviewedFields: Set<String>
    /// `separate-roles` (default true): one revision's required roles need different reviewers.
    public var separateRoles: Bool

    public init(roles: [String], categories: [String: Category], unreviewedFields: Set<String> = [], separateRoles: Bool = true) {
        self.roles = roles
        self.categories = categories
        self.unreviewedFields = unreviewedFields
        self.separateRoles = separateRoles
    }

    public static let path = "Reviews/policy.yml"
}
