import Paths
import Foundation

/// Adds a reviewer to the text of reviewers.yml, keeping every other line (and comment) as it was.
public enum ReviewersEditor {
    /// The reviewer as a `reviewers.yml` list entry, its dash `indent` spaces in (the file's
    /// own indentation, so the entry joins the list whatever style it is written in).
    static func yaml(_ reviewer: Reviewer, indent: Int = 2) -> String {
        let item = String(repeating: " ", count: indent) + "- "
        let field = String(repeating: " ", count: indent + 2)
        var lines = ["\(item)id: \(reviewer.id)", "\(field)name: \(YAMLText.quoted(reviewer.name))",
                     "\(field)credentials: \(YAMLText.quoted(reviewer.credentials))",
                     "\(field)roles: [\(reviewer.roles.map(YAMLText.quoted).joined(separator: ", "))]"]
        if !reviewer.emails.isEmpty { lines.append("\(field)emails: [\(reviewer.emails.map(YAMLText.quoted).joined(separator: ", "))]") }
        lines.append("\(field)public-key: \(Data(reviewer.publicKey).base64EncodedString())")
        if let validFrom = reviewer.validFrom { lines.append("\(field)valid-from: \(validFrom)") }
        if let validUntil = reviewer.validUntil { lines.append("\(field)valid-until: \(validUntil)") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The new text, checked by parsing it as `review` will.
    ///
    /// - Throws: ``ReviewError`` when the id exists, a role is unknown, the key is malformed, or
    ///   the file has no `reviewers:` list to add to.
    public static func adding(_ entry: Reviewer, to text: String?, roles: [String], file: String = Reviewer.path.text) throws(ReviewError) -> String {
        let current = text ?? "reviewers: []\n"
        if let existing = try? ReviewersParser.parse(Array(current.utf8), roles: roles, file: file),
           let same = existing.first(where: { $0.id == entry.id }) {
            throw ReviewError(file: file, line: same.line, "reviewer '\(entry.id)' already exists", remedy: "edit that entry instead")
        }
        var lines = current.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.firstIndex(where: { $0.hasPrefix("reviewers:") }) else {
            throw ReviewError(file: file, "has no top-level 'reviewers:' list", remedy: "add 'reviewers:' and run the command again")
        }
        let rest = lines[header].dropFirst("reviewers:".count).trimmingSpaces()
        if rest == "[]" || rest.hasPrefix("[] ") || rest.hasPrefix("[]#") {
            lines[header] = "reviewers:"
        } else if !(rest.isEmpty || rest.hasPrefix("#")) {
            throw ReviewError(file: file, line: header + 1, "'reviewers:' is not a block list", remedy: "write one '- id: …' entry per line under it")
        }
        // The list ends at the next line that starts in column one (not a comment), or at the end.
        var end = header + 1
        while end < lines.count, lines[end].isEmpty || lines[end].hasPrefix(" ") || lines[end].hasPrefix("-") || lines[end].hasPrefix("#") {
            end += 1
        }
        while end > header + 1, lines[end - 1].trimmingSpaces().isEmpty || lines[end - 1].hasPrefix("#") { end -= 1 }
        // Follow the list's own indentation (items in column one are valid YAML too).
        let firstItem = lines[(header + 1)..<end].first { $0.drop { $0 == " " }.hasPrefix("- ") }
        let indent = firstItem.map { $0.prefix { $0 == " " }.count } ?? 2
        lines.insert(contentsOf: yaml(entry, indent: indent).dropLast().split(separator: "\n").map(String.init), at: end)
        let result = lines.joined(separator: "\n") + "\n"
        _ = try ReviewersParser.parse(Array(result.utf8), roles: roles, file: file)
        return result
    }

    /// The text with one field of one reviewer set (`valid-until` to retire a key, `public-key`
    /// to rotate it), every other line kept; checked by parsing it as `review` will.
    public static func setting(_ key: String, to value: String, of id: String, in text: String, roles: [String],
                               file: String = Reviewer.path.text) throws(ReviewError) -> String {
        let reader = ConfigurationReader(file: file)
        let root = try reader.root(Array(text.utf8))
        guard case .list(let entries, _)? = root["reviewers"],
              let entry = entries.first(where: { $0["id"]?.string == id }), let idLine = entry["id"]?.line else {
            throw ReviewError(file: file, "no reviewer '\(id)'", remedy: "see 'review reviewer list'")
        }
        var lines = text.replacingCRLF().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let existing = entry[key]?.line, existing - 1 < lines.count, let colon = lines[existing - 1].range(of: key + ":") {
            lines[existing - 1] = String(lines[existing - 1][..<colon.upperBound]) + " " + value
        } else {
            // A new line under the id, at the column the entry's keys start.
            let line = lines[idLine - 1]
            let column = line.range(of: "id:").map { line.distance(from: line.startIndex, to: $0.lowerBound) } ?? 4
            lines.insert(String(repeating: " ", count: column) + key + ": " + value, at: idLine)
        }
        let result = lines.joined(separator: "\n")
        _ = try ReviewersParser.parse(Array(result.utf8), roles: roles, file: file)
        return result
    }
}
