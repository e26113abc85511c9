import Paths
import Foundation
/// An error a person must fix before `review` can run: bad arguments, configuration or repository.
///
/// Rendered as one line in compiler style: `Reviews/policy.yml:12: error: unknown role
/// 'pharmacist' in category 'drugs'; add it under roles:`. Always exit code 2.
public struct ReviewError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String?
    /// 1-based.
    public var line: Int?
    public var problem: String
    /// What to do about it; may be empty when the problem says it.
    public var remedy: String

    public init(file: String? = nil, line: Int? = nil, _ problem: String, remedy: String = "") {
        self.file = file
        self.line = line
        self.problem = problem
        self.remedy = remedy
    }

    /// An error about the repository file at `path` (named by its text).
    public init(file path: GitPath, line: Int? = nil, _ problem: String, remedy: String = "") {
        self.init(file: path.text, line: line, problem, remedy: remedy)
    }

    /// The one line printed on stderr.
    public var description: String {
        var location = ""
        if let file {
            location = file + (line.map { ":\($0)" } ?? "") + ": "
        }
        let text = problem.replacingOccurrences(of: "\n", with: " ")
        return location + "error: " + text + (remedy.isEmpty ? "" : "; " + remedy)
    }
}
