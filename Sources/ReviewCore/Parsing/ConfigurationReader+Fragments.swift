/// `fragments:` in the policy (issue 37): where shared fragments live and which include
/// syntaxes articles use. docs/fragments.md describes it.
///
/// ```yaml
/// fragments:
///   paths: ["Articles/fragments/**"]   # globs below a content root
///   syntax: [comment]                  # docfx, comment, mdx
/// ```
extension PolicyParser {
    /// Top-level keys read by ``readFragments(_:into:reader:)``.
    static let fragmentKeys: Set<String> = ["fragments"]

    static func readFragments(_ root: YAMLValue, into policy: inout Policy, reader: ConfigurationReader) throws(ReviewError) {
        guard let value = root["fragments"] else { return }
        guard case .map = value else {
            throw reader.error(value.line, "'fragments' must be a mapping (paths, syntax)", remedy: "like 'paths: [\"Articles/fragments/**\"]' and 'syntax: [comment]'")
        }
        try reader.refuseUnknownKeys(value, known: ["paths", "syntax"], context: "fragments")
        let paths = try reader.strings(value, "paths", context: "fragments")
        guard !paths.isEmpty else {
            throw reader.error(value["paths"]?.line, "'paths' in fragments lists no glob", remedy: "name where fragments live, like \"Articles/fragments/**\"")
        }
        let roots = policy.content.roots
        for glob in paths where !roots.contains(where: { glob.hasPrefix($0 + "/") }) || glob.split(separator: "/").contains("..") {
            throw reader.error(value["paths"]?.line,
                               "'\(glob)' in fragments paths is not below a content root (\(roots.joined(separator: ", "))), so its files would never be read",
                               remedy: "put fragments in a folder below a root, like \(roots.first ?? "Articles")/fragments/**")
        }
        let names = try reader.strings(value, "syntax", context: "fragments")
        var syntaxes: [IncludeSyntax] = []
        for name in names {
            guard let syntax = IncludeSyntax(rawValue: name) else {
                throw reader.error(value["syntax"]?.line, "unknown include syntax '\(name)' in fragments",
                                   remedy: "use docfx ([!INCLUDE[title](path)]), comment (<!-- include: path -->) or mdx (import X from './file.mdx')")
            }
            if !syntaxes.contains(syntax) { syntaxes.append(syntax) }
        }
        guard !syntaxes.isEmpty else {
            throw reader.error(value["syntax"]?.line, "'syntax' in fragments lists no include syntax", remedy: "like [comment], [docfx] or [mdx]")
        }
        policy.fragments = FragmentSettings(paths: paths.map(Glob.init), syntaxes: syntaxes.sorted())
    }
}
