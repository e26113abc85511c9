import Paths
import GitKit
import ReviewCore

extension ReviewError {
    /// Wraps a repository error, keeping libgit2's explanation.
    public init(_ error: RepositoryError, file: String? = nil) {
        self.init(file: file, error.explanation)
    }
}

extension ReviewError {
    /// Runs `body`, turning any error into a ``ReviewError``: repository errors keep their
    /// explanation, review errors pass through.
    public static func wrapping<T>(_ body: () throws -> T) throws(ReviewError) -> T {
        do {
            return try body()
        } catch let error as ReviewError {
            throw error
        } catch let error as RepositoryError {
            throw ReviewError(error)
        } catch {
            throw ReviewError("\(error)")
        }
    }
}
