import Paths

/// Article slugs: the file name without `.md`, `[a-z0-9]+(-[a-z0-9]+)*`, at most 100 characters.
public enum Slug {
    /// The file name without directories and without `.md`.
    public static func of(_ path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if name.hasSuffix(".md") { name.removeLast(3) }
        return name
    }

    /// Why a slug is not `[a-z0-9]+(-[a-z0-9]+)*` of at most 100 characters, or `nil`.
    public static func problem(_ slug: String) -> String? {
        let bytes = Array(slug.utf8)
        let hyphen = UInt8(ascii: "-")
        let valid = !bytes.isEmpty && bytes.count <= 100
            && bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == hyphen }
            && bytes.first != hyphen && bytes.last != hyphen && !zip(bytes, bytes.dropFirst()).contains { $0 == hyphen && $1 == hyphen }
        if valid { return nil }
        return "the file name '\(slug).md' is not a valid slug: use lowercase ASCII letters, digits and single hyphens, at most 100 characters"
    }
}
