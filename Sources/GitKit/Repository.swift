import CGit2
#if canImport(Glibc)
import Glibc
#endif

/// An open git repository: the single owner of a `git_repository` handle.
///
/// Not `Sendable`: libgit2 wants one thread at a time per handle. Open one per thread, and
/// hand results between threads as values (``ObjectID``, ``CommitInfo``, byte arrays).
/// Every object read through it is copied out and freed before the method returns, unless
/// a child handle keeps this repository alive (``ObjectDatabase``).
public final class Repository {
    let raw: OpaquePointer

    /// Where the repository was opened from, as given.
    public let openedPath: String

    /// Packed objects are read here first (see ``PackReader`` for why), by every
    /// ``ObjectDatabase`` of this handle, so pack indexes are read once; libgit2 reads the rest.
    lazy var packs = PackReader(objectsDirectory: commonDirectory + "objects")

    private init(raw: OpaquePointer, openedPath: String) {
        self.raw = raw
        self.openedPath = openedPath
    }

    deinit { git_repository_free(raw) }

    /// Opens the repository containing `path`, searching parent directories like git does.
    ///
    /// Wraps `git_repository_open_ext` without `GIT_REPOSITORY_OPEN_NO_SEARCH`.
    /// - Throws: ``RepositoryError``: `notARepository`, `notOwnedByCurrentUser`, or `git`.
    public static func discover(startingAt path: String) throws(RepositoryError) -> Repository {
        try open(path, flags: 0)
    }

    /// Opens the repository at exactly `path`: a work tree, its `.git` directory, or a bare repository.
    ///
    /// Wraps `git_repository_open_ext` with `GIT_REPOSITORY_OPEN_NO_SEARCH`.
    public static func open(at path: String) throws(RepositoryError) -> Repository {
        try open(path, flags: GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue)
    }

    /// Creates a new repository at `path` (used by `review init` and by tests).
    ///
    /// Wraps `git_repository_init`.
    /// - Parameter initialBranch: the branch HEAD names (`main` unless told: `review publish`
    ///   publishes from `main` by default, and libgit2 would otherwise pick `master`).
    public static func create(at path: String, bare: Bool = false, initialBranch: String = "main") throws(RepositoryError) -> Repository {
        Libgit2.ensureInitialized()
        var handle: OpaquePointer?
        var options = git_repository_init_options()
        git_repository_init_options_init(&options, UInt32(GIT_REPOSITORY_INIT_OPTIONS_VERSION))
        options.flags = GIT_REPOSITORY_INIT_MKPATH.rawValue | (bare ? GIT_REPOSITORY_INIT_BARE.rawValue : 0)
        let result = initialBranch.withCString { branch in
            options.initial_head = branch
            return git_repository_init_ext(&handle, path, &options)
        }
        guard result >= 0, let handle else { throw .git(GitError.last(code: result)) }
        return Repository(raw: handle, openedPath: path)
    }

    private static func open(_ path: String, flags: UInt32) throws(RepositoryError) -> Repository {
        Libgit2.ensureInitialized()
        var handle: OpaquePointer?
        let result = git_repository_open_ext(&handle, path, flags, nil)
        guard result >= 0, let handle else {
            let error = GitError.last(code: result)
            // libgit2 1.5 reports an unsafe owner as "not found", and its message is often
            // overwritten by the failed lookup of `safe.directory`; check ownership ourselves.
            if error.code == .notFound, let owned = repositoryOwnedByAnotherUser(from: path, searchParents: flags == 0) {
                throw .notOwnedByCurrentUser(path: owned, error)
            }
            if error.code == .notFound { throw .notARepository(path: path) }
            throw .git(error)
        }
        return Repository(raw: handle, openedPath: path)
    }

    /// The `.git` directory (or the bare repository itself), with a trailing slash.
    ///
    /// Wraps `git_repository_path`.
    public var gitDirectory: String { String(cString: git_repository_path(raw)) }
    /// The directory holding objects and refs shared by all work trees (the git directory,
    /// except in a linked work tree).
    public var commonDirectory: String { String(cString: git_repository_commondir(raw)) }

    /// The work tree with a trailing slash, or `nil` for a bare repository.
    ///
    /// Wraps `git_repository_workdir`.
    public var workingDirectory: String? {
        git_repository_workdir(raw).map { String(cString: $0) }
    }

    /// Whether the repository has no work tree. Wraps `git_repository_is_bare`.
    public var isBare: Bool { git_repository_is_bare(raw) == 1 }

    /// Whether this is a shallow clone, whose history stops at a boundary.
    ///
    /// Wraps `git_repository_is_shallow`. See ``shallowBoundary()`` for the commits at the edge.
    public var isShallow: Bool { git_repository_is_shallow(raw) == 1 }

    /// The commits whose parents a shallow clone does not have (the `shallow` file), empty otherwise.
    public func shallowBoundary() -> Set<ObjectID> {
        guard isShallow else { return [] }
        let text = (try? readFile(atPath: gitDirectory + "shallow")) ?? ""
        return Set(text.split(whereSeparator: \.isNewline).compactMap { ObjectID(hex: $0) })
    }

    /// Where HEAD points.
    ///
    /// Wraps `git_repository_head`, `git_repository_head_detached` and `git_repository_head_unborn`.
    public func head() throws(RepositoryError) -> Head {
        var ref: OpaquePointer?
        let result = git_repository_head(&ref, raw)
        if result == GIT_EUNBORNBRANCH.rawValue || result == GIT_ENOTFOUND.rawValue {
            git_error_clear()
            return .unborn(branch: unbornBranchName())
        }
        guard result >= 0, let ref else { throw .git(GitError.last(code: result)) }
        defer { git_reference_free(ref) }
        guard let target = git_reference_target(ref) else {
            throw .git(GitError(code: .invalid, errorClass: .reference, message: "HEAD does not point at a commit"))
        }
        let id = ObjectID(target.pointee)
        if git_repository_head_detached(raw) == 1 { return .detached(id) }
        return .branch(name: String(cString: git_reference_name(ref)), id)
    }

    private func unbornBranchName() -> String {
        var ref: OpaquePointer?
        guard git_reference_lookup(&ref, raw, "HEAD") == 0, let ref else {
            git_error_clear()
            return "refs/heads/main"
        }
        defer { git_reference_free(ref) }
        return git_reference_symbolic_target(ref).map { String(cString: $0) } ?? "refs/heads/main"
    }

    /// The commit HEAD points at.
    ///
    /// - Throws: ``RepositoryError/empty(path:)`` when there is no commit yet.
    public func headCommit() throws(RepositoryError) -> ObjectID {
        switch try head() {
        case .branch(_, let id), .detached(let id): return id
        case .unborn: throw .empty(path: workingDirectory ?? gitDirectory)
        }
    }
}

/// The nearest directory at or above `path` that holds a repository (a `.git` inside it, or a
/// bare repository's `HEAD`) when that repository belongs to another user; `nil` otherwise.
private func repositoryOwnedByAnotherUser(from path: String, searchParents: Bool) -> String? {
    guard let found = locateRepository(from: path, searchParents: searchParents) else { return nil }
    var info = stat()
    guard stat(found.gitDirectory, &info) == 0 else { return nil }
    return info.st_uid != geteuid() ? found.directory : nil
}

/// Where opening `path` finds a repository, looked for without libgit2: the first directory
/// (`path`, then its parents when `searchParents`) holding a `.git`, or a `HEAD` (a bare
/// repository); that directory and its git directory (`.git`, which may be a file).
private func locateRepository(from path: String, searchParents: Bool) -> (directory: String, gitDirectory: String)? {
    var current = path
    if !current.hasPrefix("/"), let cwd = getcwd(nil, 0) {
        current = String(cString: cwd) + "/" + current
        free(cwd)
    }
    var info = stat()
    while true {
        let gitDirectory = stat(current + "/.git", &info) == 0 ? current + "/.git"
            : stat(current + "/HEAD", &info) == 0 ? current : nil
        if let gitDirectory { return (current, gitDirectory) }
        guard searchParents, let slash = current.lastIndex(of: "/"), current != "/" else { return nil }
        current = slash == current.startIndex ? "/" : String(current[..<slash])
    }
}

extension Repository {
    /// Sets libgit2 up for this process now (every entry point does it anyway; a process calls
    /// this on a thread of its own at start: with mbedTLS, libgit2 loads the system's
    /// certificates then, about 3 ms).
    public static func setUpLibgit2() {
        Libgit2.ensureInitialized()
    }

    /// Returns once some thread has begun ``setUpLibgit2()``, or after `milliseconds`: a caller
    /// that started a thread for it waits here (for that thread to be scheduled), so that the
    /// set-up runs there and not on the caller's own thread, which otherwise reached libgit2
    /// first in most runs. Bounded, so that a thread that never runs delays nothing for long
    /// (the caller then sets libgit2 up itself when it reaches it). Whether it has begun.
    @discardableResult
    public static func waitForLibgit2SetUpToBegin(milliseconds: Int = 50) -> Bool {
        Libgit2.begun.wait(milliseconds: milliseconds)
    }

    /// Maps and verifies, on the calling thread, the pack indexes of the repository that opening
    /// `path` would most likely find (a `.git` directory, or a bare repository, in `path` or a
    /// parent, owned by this user), so that a handle opened later finds them verified
    /// (``PackReader/verifyAhead(objectsDirectory:)``). Only a guess that saves time: the
    /// reader uses what this verified only for the very file it would map, and a linked work
    /// tree (whose objects are elsewhere) is left alone.
    public static func verifyPackIndexesAhead(near path: String) {
        guard let found = locateRepository(from: path, searchParents: true) else { return }
        var info = stat()
        guard stat(found.gitDirectory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR, info.st_uid == geteuid(),
              stat(found.gitDirectory + "/commondir", &info) != 0 else { return }
        PackReader.verifyAhead(objectsDirectory: found.gitDirectory + "/objects")
    }
}

/// Where HEAD points.
public enum Head: Sendable, Equatable {
    /// On a branch (full ref name, such as `refs/heads/main`) at a commit.
    case branch(name: String, ObjectID)
    /// Detached at a commit.
    case detached(ObjectID)
    /// On a branch that has no commit yet.
    case unborn(branch: String)
}

/// Reads a small text file; `nil` when it does not exist.
func readFile(atPath path: String) throws -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = fread(&buffer, 1, buffer.count, file)
        if n <= 0 { break }
        bytes.append(contentsOf: buffer[0..<n])
    }
    return String(decoding: bytes, as: UTF8.self)
}

extension Repository {
    /// A configuration value as git reads it (the repository's, the user's, the system's), or
    /// `nil` when unset. Wraps `git_repository_config_snapshot` and `git_config_get_string`.
    public func configurationValue(_ name: String) -> String? {
        var config: OpaquePointer?
        guard git_repository_config_snapshot(&config, raw) >= 0, let config else {
            git_error_clear()
            return nil
        }
        defer { git_config_free(config) }
        var value: UnsafePointer<CChar>?
        guard git_config_get_string(&value, config, name) >= 0, let value else {
            git_error_clear()
            return nil
        }
        return String(cString: value)
    }
}
