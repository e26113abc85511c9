import Paths
import Foundation

/// Parses `Reviews/reviewers.yml`: a `reviewers:` list of entries.
public enum ReviewersParser {
    /// - Parameter roles: the roles the policy knows (`nil`: any, for reading older versions).
    /// - Throws: ``ReviewError`` naming the file and line of the first problem.
    public static func parse(_ bytes: [UInt8], roles: [String]?, file: String = Reviewer.path.text) throws(ReviewError) -> [Reviewer] {
        let reader = ConfigurationReader(file: file)
        let root = try reader.root(bytes)
        try reader.refuseUnknownKeys(root, known: ["reviewers"], context: "the reviewers file")
        guard case .list(let entries, _)? = root["reviewers"] else {
            throw reader.error(root["reviewers"]?.line ?? root.line, "there is no 'reviewers:' list", remedy: "add 'reviewers:' with one '- id: …' entry per reviewer")
        }
        var reviewers: [Reviewer] = []
        var seen: Set<String> = []
        for entry in entries {
            guard case .map = entry else { throw reader.error(entry.line, "each reviewer must be a mapping ('- id: …')") }
            try reader.refuseUnknownKeys(entry, known: ["id", "name", "credentials", "roles", "emails", "public-key", "valid-from", "valid-until"],
                                         context: "a reviewer")
            let id = try reader.string(entry, "id", context: "a reviewer")!
            guard ArticleParser.slugProblem(id) == nil else {
                throw reader.error(entry["id"]?.line, "reviewer id '\(id)' must be lowercase letters, digits and single hyphens")
            }
            guard seen.insert(id).inserted else { throw reader.error(entry["id"]?.line, "reviewer '\(id)' is listed twice", remedy: "keep one entry per id") }
            let context = "reviewer '\(id)'"
            let reviewerRoles = try reader.strings(entry, "roles", context: context)
            for role in reviewerRoles where roles.map({ !$0.contains(role) }) ?? false {
                throw reader.error(entry["roles"]?.line, "unknown role '\(role)' for \(context)", remedy: "use a role from policy.yml's roles:")
            }
            let key = try reader.publicKey(entry, context: context)
            if let other = reviewers.first(where: { $0.publicKey == key }) {
                throw reader.error(entry["public-key"]?.line, "\(context) has the same public key as reviewer '\(other.id)'",
                                   remedy: "every reviewer signs with their own key: run 'review keygen \(id)' and use that key")
            }
            let name = try reader.string(entry, "name", context: context)!
            if let other = reviewers.first(where: { Self.sameName($0.name, name) }) {
                throw reader.error(entry["name"]?.line, "\(context) has the display name of reviewer '\(other.id)' ('\(other.name)')",
                                   remedy: "readers must be able to tell reviewers apart: add a middle initial or the credentials to one name")
            }
            let from = try reader.day(entry, "valid-from", context: context)
            let until = try reader.day(entry, "valid-until", context: context)
            if let from, let until, until < from {
                throw reader.error(entry["valid-until"]?.line, "valid-until is before valid-from for \(context)")
            }
            reviewers.append(Reviewer(
                id: id, name: name,
                credentials: try reader.string(entry, "credentials", context: context, required: false) ?? "",
                roles: reviewerRoles, emails: try reader.strings(entry, "emails", context: context, required: false),
                publicKey: key, validFrom: from, validUntil: until, line: entry.line))
        }
        return reviewers
    }

    /// Whether two display names read the same: case, spacing and dots aside.
    static func sameName(_ a: String, _ b: String) -> Bool {
        func key(_ s: String) -> String {
            s.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "." }).joined(separator: " ")
        }
        return key(a) == key(b)
    }
}
