import Foundation
import ReviewCore

/// Writes report files atomically: a temporary sibling, then `rename`.
public enum OutputFile {
    public static func write(_ text: String, to path: String) throws(ReviewError) {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReviewError(file: path, "cannot write the report: \(error.localizedDescription)", remedy: "check the directory exists and is writable")
        }
    }
}
