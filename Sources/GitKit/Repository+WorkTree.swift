import BinaryStore
import CGit2
import Paths
#if canImport(Glibc)
import Glibc
#endif

extension Repository {
    /// Runs `body` while holding an exclusive `flock` on `<git dir>/review.lock`, so review
    /// processes writing to the same repository take turns. The kernel releases the lock when
    /// the process dies, so a killed writer never leaves a lock that blocks the next one.
    ///
    /// - Parameter lockFiles: the git lock files `body` may create (relative to the git
    ///   directory, like `refs/heads/main.lock` and `index.lock`). They are written into
    ///   review.lock while `body` runs and cleared after; a writer that finds them listed knows
    ///   its predecessor was killed mid-write and removes those it left behind.
    public func withWriteLock<R>(lockFiles: [String] = [], _ body: () throws(RepositoryError) -> R) throws(RepositoryError) -> R {
        try withWriteJournal(lockFiles: lockFiles) { (_: WriteJournal) throws(RepositoryError) -> R in try body() }
    }

    /// ``withWriteLock(lockFiles:_:)``, handing `body` the journal in review.lock so it can
    /// note steps a successor must finish if this process is killed.
    func withWriteJournal<R>(lockFiles: [String], _ body: (WriteJournal) throws(RepositoryError) -> R) throws(RepositoryError) -> R {
        let path = gitDirectory + "review.lock"
        let fd = Glibc.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .git(GitError(code: .generic, errorClass: .os,
                                message: "cannot open \(path): \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw .git(GitError(code: .locked, errorClass: .os,
                                    message: "cannot lock \(path): \(String(cString: strerror(errno)))"))
            }
        }
        defer { flock(fd, LOCK_UN) }
        recoverFromKilledWriter(fd)
        let journal = WriteJournal(fd: fd)
        for name in lockFiles { journal.note(name) }
        defer { journal.clear() }
        return try body(journal)
    }

    /// review.lock still has entries: the writer that wrote them died before clearing it.
    /// Lock files it may have created (no older than the list) are removed, unless a living
    /// process holds one open: a `git commit` that took `index.lock` after the writer died
    /// keeps it. Older ones belong to someone else. A work-tree update it had not finished
    /// (`sync` line) is finished now.
    private func recoverFromKilledWriter(_ fd: Int32) {
        // Temporary files of a killed writer (nobody else writes them while we hold the lock).
        if let dir = opendir(gitDirectory + "review") {
            defer { closedir(dir) }
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if name.hasPrefix("tmp-") { unlink(gitDirectory + "review/" + name) }
            }
        }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0, info.st_size < 65536 else { return }
        var buffer = [UInt8](repeating: 0, count: Int(info.st_size))
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return }
        let listedAt = info.st_mtim.tv_sec
        for name in String(decoding: buffer[0..<n], as: UTF8.self).split(separator: "\n")
        where name.hasSuffix(".lock") && !name.contains("..") && !name.hasPrefix("/") {
            let lock = gitDirectory + name
            var lockInfo = stat()
            if stat(lock, &lockInfo) == 0, lockInfo.st_mtim.tv_sec >= listedAt, !Self.isOpenByAnyProcess(lockInfo) { unlink(lock) }
        }
        for line in String(decoding: buffer[0..<n], as: UTF8.self).split(separator: "\n") where line.hasPrefix("sync ") {
            let parts = line.split(separator: " ")
            guard parts.count == 4, let commit = ObjectID(hex: parts[3]) else { continue }
            try? finishWorkTreeSync(branch: String(parts[1]), oldTree: ObjectID(hex: parts[2]), newCommit: commit)
        }
        _ = ftruncate(fd, 0)
    }

    /// Whether any process this user may inspect has the file open (its descriptors in
    /// `/proc/<pid>/fd` name the same device and inode). git holds `index.lock` and ref locks
    /// open from creating them until it renames them into place, so a lock a living process
    /// holds shows up here; the killed writer's do not.
    static func isOpenByAnyProcess(_ file: stat) -> Bool {
        guard let proc = opendir("/proc") else { return true }  // cannot tell: leave the lock
        defer { closedir(proc) }
        while let entry = readdir(proc) {
            let pid = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            guard !pid.isEmpty, pid.allSatisfy(\.isNumber) else { continue }
            let fdDirectory = "/proc/\(pid)/fd/"
            guard let fds = opendir(fdDirectory) else { continue }  // gone, or another user's
            defer { closedir(fds) }
            while let fdEntry = readdir(fds) {
                let name = withUnsafeBytes(of: fdEntry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                var info = stat()
                if name.first?.isNumber == true, stat(fdDirectory + name, &info) == 0,
                   info.st_dev == file.st_dev, info.st_ino == file.st_ino { return true }
            }
        }
        return false
    }

    /// Brings index and work tree to `newCommit` after a writer was killed between moving
    /// `branch` and updating them; nothing to do when the branch is elsewhere or not checked out.
    private func finishWorkTreeSync(branch: String, oldTree: ObjectID?, newCommit: ObjectID) throws(RepositoryError) {
        guard !isBare, case .branch(let headBranch, let tip) = try head(), headBranch == branch, tip == newCommit else { return }
        let newTree = try commit(newCommit).tree
        var paths: [GitPath] = []
        try ObjectDatabase(self).diff(oldTree, newTree, prefix: "", into: &paths)
        let changes = try paths.map { (path) throws(RepositoryError) -> FileChange in
            let entry = try entry(at: path, inTree: newTree)
            return FileChange(path: path, contents: try entry.map { (e) throws(RepositoryError) in try blob(e.id) })
        }
        try syncWorkTree(changes: changes, oldTree: oldTree)
    }

    /// Steps of a write, noted in review.lock for a successor if this process dies.
    struct WriteJournal {
        let fd: Int32

        /// Appends a line and makes it durable.
        func note(_ line: String) {
            var info = stat()
            let offset = fstat(fd, &info) == 0 ? info.st_size : 0
            let bytes = Array((line + "\n").utf8)
            _ = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, offset) }
            _ = fsync(fd)
        }

        func clear() { _ = ftruncate(fd, 0) }
    }

    /// Brings the index and the work tree in line with a commit that applied `changes` on top
    /// of `oldTree`, after the checked-out branch moved to it.
    ///
    /// The index gets the new blob of every changed path. A work-tree file is rewritten (atomically,
    /// through a temporary file and `rename`) only when it still holds the old content; a file
    /// the user changed is left as it is and shows up as modified, as after `git pull`.
    func syncWorkTree(changes: [FileChange], oldTree: ObjectID?) throws(RepositoryError) {
        guard let workdir = workingDirectory else { return }
        var index: OpaquePointer?
        let opened = git_repository_index(&index, raw)
        guard opened >= 0, let index else { throw .git(GitError.last(code: opened)) }
        defer { git_index_free(index) }
        try check(index: git_index_read(index, 1))

        for change in changes {
            // The work-tree file is named by the path's bytes; one that is not UTF-8 is left as
            // it is (the index still gets the new blob, so it shows as modified).
            let file = workdir + change.path.text
            let old = try oldTree.flatMap { (t) throws(RepositoryError) in try entry(at: change.path, inTree: t) }
            let oldBytes = try old.map { (o) throws(RepositoryError) in try blob(o.id) }
            let current = readBytes(atPath: file)
            let untouched = current == oldBytes && change.path.isUTF8
            if let contents = change.contents {
                if untouched { try writeAtomically(contents, to: file) }
                var entry = git_index_entry()
                entry.mode = GIT_FILEMODE_BLOB.rawValue
                entry.id = try writeBlob(contents).oid
                if untouched, let stat = statFile(file) {
                    entry.ctime.seconds = Int32(truncatingIfNeeded: stat.st_ctim.tv_sec)
                    entry.ctime.nanoseconds = UInt32(truncatingIfNeeded: stat.st_ctim.tv_nsec)
                    entry.mtime.seconds = Int32(truncatingIfNeeded: stat.st_mtim.tv_sec)
                    entry.mtime.nanoseconds = UInt32(truncatingIfNeeded: stat.st_mtim.tv_nsec)
                    entry.dev = UInt32(truncatingIfNeeded: stat.st_dev)
                    entry.ino = UInt32(truncatingIfNeeded: stat.st_ino)
                    entry.uid = stat.st_uid
                    entry.gid = stat.st_gid
                    entry.file_size = UInt32(truncatingIfNeeded: stat.st_size)
                }
                let result: Int32 = change.path.withCString { path in
                    entry.path = path
                    return git_index_add(index, &entry)
                }
                try check(index: result)
            } else {
                if untouched, current != nil { unlink(file) }
                let result = change.path.withCString { git_index_remove_bypath(index, $0) }
                try check(index: result)
            }
        }
        try check(index: writeIndexRetrying(index))
    }

    /// Writes the index, waiting up to about five seconds while another git process holds
    /// `index.lock`. Wraps `git_index_write`.
    private func writeIndexRetrying(_ index: OpaquePointer) -> Int32 {
        var result: Int32 = 0
        for attempt in 0..<50 {
            result = git_index_write(index)
            guard result == GIT_ELOCKED.rawValue else { return result }
            git_error_clear()
            usleep(UInt32(20_000 + attempt * 2_000))
        }
        return result
    }

    private func check(index result: Int32) throws(RepositoryError) {
        guard result >= 0 else { throw .git(GitError.last(code: result)) }
    }

    /// Writes a file through a temporary sibling and `rename`, creating parent directories.
    ///
    /// The temporary file lives in `<git dir>/review/` (so a killed writer leaves nothing in the
    /// work tree, and the next writer removes it), or beside the file when the git directory is
    /// on another file system.
    func writeAtomically(_ bytes: [UInt8], to path: String) throws(RepositoryError) {
        try makeParentDirectories(of: path)
        let scratch = gitDirectory + "review/"
        mkdir(scratch, 0o755)
        var temporary = scratch + "tmp-\(getpid())"
        if !sameFileSystem(scratch, PathComponents(path: path).directory) { temporary = path + ".review-\(getpid())" }
        let fd = Glibc.open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw osError("cannot create \(temporary)") }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            guard n > 0 else {
                let error = osError("cannot write \(temporary)")
                close(fd)
                unlink(temporary)
                throw error
            }
            written += n
        }
        guard fsync(fd) == 0, close(fd) == 0 else {
            unlink(temporary)
            throw osError("cannot flush \(temporary)")
        }
        guard rename(temporary, path) == 0 else {
            let error = osError("cannot rename \(temporary) to \(path)")
            unlink(temporary)
            throw error
        }
    }

    private func sameFileSystem(_ a: String, _ b: String) -> Bool {
        var x = stat(), y = stat()
        return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev
    }

    private func makeParentDirectories(of path: String) throws(RepositoryError) {
        var prefix = ""
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        for (i, part) in parts.enumerated() {
            prefix += (i == 0 ? "" : "/") + part
            if prefix.isEmpty { continue }
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw osError("cannot create directory \(prefix)") }
        }
    }

    private func osError(_ what: String) -> RepositoryError {
        .git(GitError(code: .generic, errorClass: .os, message: "\(what): \(String(cString: strerror(errno)))"))
    }
}

func statFile(_ path: String) -> stat? {
    var info = stat()
    return stat(path, &info) == 0 ? info : nil
}

/// The directory part of a path.
struct PathComponents {
    let path: String
    var directory: String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
