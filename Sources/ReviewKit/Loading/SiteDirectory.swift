import Paths
import Foundation
import GitKit
import ReviewCore

/// The directory `publish --site DIR` renders into, which review owns only in part: it writes
/// and replaces the files listed in its own manifest (`.review-site`), keeps every other file,
/// and refuses places that are not a site at all.
///
/// Refused (exit 2, nothing written): `/`, the home directory, the repository's work tree or
/// git directory, anything containing them or inside the git directory, a path that is not a
/// directory, and a non-empty directory without review's manifest unless `intoExisting`. The
/// new site is built beside the old one (generated files, plus links to the files review did
/// not write) and swapped in with two renames, so a failure leaves the previous site.
struct SiteDirectory {
    /// Lists, one per line after a header, the files review wrote.
    static let manifestName = ".review-site"
    static let manifestHeader = "# Files written by 'review publish --site'; the others here are kept. Do not edit."

    let target: URL
    /// Files review wrote last time (relative paths, compared as bytes: a file of the user's
    /// whose name differs only in normalization is the user's, and kept).
    private let owned: Set<GitPath>
    /// Whether the directory exists now.
    private let exists: Bool

    init(_ directory: String, repository: Repository, intoExisting: Bool,
         home: String? = ProcessInfo.processInfo.environment["HOME"]) throws(ReviewError) {
        let target = Self.resolved(URL(fileURLWithPath: directory).standardizedFileURL)
        self.target = target
        let path = target.path
        func refuse(_ problem: String, _ remedy: String = "choose an empty or new directory for the site") -> ReviewError {
            ReviewError(file: directory, "--site \(problem)", remedy: remedy)
        }
        if path == "/" { throw refuse("is the root directory; publishing there would replace the whole file system's top level") }
        if let home, !home.isEmpty, path == Self.resolved(URL(fileURLWithPath: home)).path {
            throw refuse("is the home directory")
        }
        // The work tree may hold a site folder (public/); the git directory may not.
        var guarded = [(place: repository.gitDirectory, name: "the repository's git directory", insideAllowed: false)]
        if let work = repository.workingDirectory { guarded.append((work, "the repository's work tree", true)) }
        for (place, name, insideAllowed) in guarded {
            let guardedPath = Self.resolved(URL(fileURLWithPath: place).standardizedFileURL).path
            if path == guardedPath { throw refuse("is \(name)", "render the site outside it, or into a folder of the work tree such as public/") }
            if guardedPath.hasPrefix(path + "/") { throw refuse("contains \(name)", "render the site somewhere that holds no repository") }
            if !insideAllowed, path.hasPrefix(guardedPath + "/") { throw refuse("is inside \(name)") }
        }
        var isDirectory: ObjCBool = false
        exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if exists && !isDirectory.boolValue { throw refuse("is a file, not a directory") }
        let manifest = path + "/" + Self.manifestName
        if let text = try? String(contentsOfFile: manifest, encoding: .utf8), text.hasPrefix(Self.manifestHeader + "\n") {
            owned = Set(text.split(separator: "\n").dropFirst().map(String.init).filter(Self.isSafeRelativePath).map { GitPath($0) })
        } else {
            owned = []
            let contents = exists ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []) : []
            if !contents.isEmpty && !intoExisting {
                throw refuse("holds files review did not write (\(contents.sorted().prefix(3).joined(separator: ", "))\(contents.count > 3 ? ", …" : ""))",
                             "choose an empty or new directory, or pass --into-existing to add the site beside them (they are kept)")
            }
        }
    }

    /// Writes `files` (relative path → text) as the new site, keeping every file review did not
    /// write; files review wrote before and no longer generates are dropped.
    func replace(with files: [GitPath: [UInt8]]) throws(ReviewError) {
        let fm = FileManager.default
        let kept = try foreignFiles()
        if let clash = kept.keys.sorted().first(where: { files[$0] != nil || $0 == GitPath(Self.manifestName) }) {
            throw ReviewError(file: target.path + "/" + clash.text, "the site would overwrite this file, which review did not write",
                              remedy: "move it out of the site directory, then publish again")
        }
        let parent = target.deletingLastPathComponent()
        let staging = parent.appendingPathComponent(".\(target.lastPathComponent).new-\(getpid())")
        let retired = parent.appendingPathComponent(".\(target.lastPathComponent).old-\(getpid())")
        do {
            try? fm.removeItem(at: staging)
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            for (name, bytes) in files {
                let url = staging.appendingPathComponent(name.text)
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(bytes).write(to: url)
            }
            try Data((([Self.manifestHeader] + files.keys.sorted().map(\.text)).joined(separator: "\n") + "\n").utf8)
                .write(to: staging.appendingPathComponent(Self.manifestName))
            // The files review did not write move over as hard links (copies across devices).
            for (name, kind) in kept.sorted(by: { $0.key < $1.key }) {
                let from = target.appendingPathComponent(name.text), to = staging.appendingPathComponent(name.text)
                switch kind {
                case .directory:
                    try fm.createDirectory(at: to, withIntermediateDirectories: true)
                case .symbolicLink:
                    try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try fm.createSymbolicLink(atPath: to.path, withDestinationPath: fm.destinationOfSymbolicLink(atPath: from.path))
                case .file:
                    try fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                    if link(from.path, to.path) != 0 { try fm.copyItem(at: from, to: to) }
                }
            }
            if exists {
                try fm.moveItem(at: target, to: retired)
                do {
                    try fm.moveItem(at: staging, to: target)
                } catch {
                    try? fm.moveItem(at: retired, to: target)
                    throw error
                }
                try? fm.removeItem(at: retired)
            } else {
                try fm.createDirectory(at: parent, withIntermediateDirectories: true)
                try fm.moveItem(at: staging, to: target)
            }
        } catch {
            try? fm.removeItem(at: staging)
            throw ReviewError(file: target.path, "cannot write the site: \(error.localizedDescription)",
                              remedy: "check the directory's parent exists and is writable; the previous site is unchanged")
        }
    }

    enum Kind { case file, directory, symbolicLink }

    /// Everything under the target that review did not write, by relative path.
    private func foreignFiles() throws(ReviewError) -> [GitPath: Kind] {
        guard exists else { return [:] }
        var result: [GitPath: Kind] = [:]
        let fm = FileManager.default
        var pending = [""]
        while let relative = pending.popLast() {
            let directory = relative.isEmpty ? target.path : target.path + "/" + relative
            let names: [String]
            do { names = try fm.contentsOfDirectory(atPath: directory) } catch {
                throw ReviewError(file: directory, "cannot read the site directory: \(error.localizedDescription)")
            }
            for name in names {
                let text = relative.isEmpty ? name : relative + "/" + name
                let path = GitPath(text)
                if relative.isEmpty && path == GitPath(Self.manifestName) { continue }
                if owned.contains(path) { continue }
                let type = (try? fm.attributesOfItem(atPath: directory + "/" + name))?[.type] as? FileAttributeType
                switch type {
                case .typeDirectory?:
                    result[path] = .directory
                    pending.append(text)
                case .typeSymbolicLink?:
                    result[path] = .symbolicLink
                default:
                    result[path] = .file
                }
            }
        }
        return result
    }

    /// The path with symbolic links resolved as far as it exists (so `site/..` or a link to the
    /// repository cannot slip past the checks).
    static func resolved(_ url: URL) -> URL {
        var existing = url
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path), existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        var result = existing.resolvingSymlinksInPath()
        for component in rest { result = result.appendingPathComponent(component) }
        return result.standardizedFileURL
    }

    /// A manifest line review could have written: relative, with no `..`.
    static func isSafeRelativePath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
    }
}
