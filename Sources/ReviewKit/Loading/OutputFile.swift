import Paths
import Foundation
import ReviewCore

/// Writes report files atomically: a temporary sibling, then `rename`.
public enum OutputFile {
    /// Refuses a destination that cannot be written (a missing or read-only directory, a
    /// directory in the file's place), before any output exists.
    public static func checkWritable(_ path: String) throws(ReviewError) {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ReviewError(file: path, "is a directory, not a report file", remedy: "name a file, like \(path)/review.sarif")
        }
        let directory = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ReviewError(file: path, "its directory \(directory) does not exist", remedy: "create it first, or write the report elsewhere")
        }
        guard access(directory, W_OK) == 0,
              !FileManager.default.fileExists(atPath: path) || access(path, W_OK) == 0 else {
            throw ReviewError(file: path, "cannot be written (permission denied)", remedy: "write the report to a directory you can write")
        }
    }

    public static func write(_ text: String, to path: String) throws(ReviewError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReviewError(file: path, "cannot write the report: \(error.localizedDescription)", remedy: "check the directory exists and is writable")
        }
    }

    /// Creates a new file only its owner can read (mode 0600), refusing to replace one.
    public static func createPrivate(_ path: String, contents: String) throws(ReviewError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw ReviewError(file: path, "already exists", remedy: "choose a new file name, or move the old one away first") }
            throw ReviewError(file: path, "cannot be created: \(String(cString: strerror(errno)))", remedy: "write it to a directory you can write")
        }
        defer { close(fd) }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else {
            unlink(path)
            throw ReviewError(file: path, "cannot be written: \(String(cString: strerror(errno)))")
        }
    }
}
