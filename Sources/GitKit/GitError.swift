import CGit2

/// A failure reported by libgit2: its error code, its error class and its message.
///
/// This is the technical error. Callers that talk to people wrap it (see `RepositoryError`
/// and ReviewKit's `ReviewError`) and say what to do about it.
public struct GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libgit2's return code (`git_error_code`), such as `GIT_ENOTFOUND`.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let generic = Code(rawValue: GIT_ERROR.rawValue)
        public static let notFound = Code(rawValue: GIT_ENOTFOUND.rawValue)
        public static let exists = Code(rawValue: GIT_EEXISTS.rawValue)
        public static let ambiguous = Code(rawValue: GIT_EAMBIGUOUS.rawValue)
        public static let bareRepository = Code(rawValue: GIT_EBAREREPO.rawValue)
        public static let unbornBranch = Code(rawValue: GIT_EUNBORNBRANCH.rawValue)
        public static let locked = Code(rawValue: GIT_ELOCKED.rawValue)
        public static let modified = Code(rawValue: GIT_EMODIFIED.rawValue)
        public static let conflict = Code(rawValue: GIT_ECONFLICT.rawValue)
        public static let invalidSpec = Code(rawValue: GIT_EINVALIDSPEC.rawValue)
        public static let invalid = Code(rawValue: GIT_EINVALID.rawValue)
        public static let user = Code(rawValue: GIT_EUSER.rawValue)
    }

    /// libgit2's error class (`git_error_t`), the subsystem that failed, such as `GIT_ERROR_ODB`.
    public struct Class: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: Int32
        public init(rawValue: Int32) { self.rawValue = rawValue }

        public static let none = Class(rawValue: Int32(GIT_ERROR_NONE.rawValue))
        public static let os = Class(rawValue: Int32(GIT_ERROR_OS.rawValue))
        public static let invalid = Class(rawValue: Int32(GIT_ERROR_INVALID.rawValue))
        public static let reference = Class(rawValue: Int32(GIT_ERROR_REFERENCE.rawValue))
        public static let zlib = Class(rawValue: Int32(GIT_ERROR_ZLIB.rawValue))
        public static let repository = Class(rawValue: Int32(GIT_ERROR_REPOSITORY.rawValue))
        public static let config = Class(rawValue: Int32(GIT_ERROR_CONFIG.rawValue))
        public static let odb = Class(rawValue: Int32(GIT_ERROR_ODB.rawValue))
        public static let index = Class(rawValue: Int32(GIT_ERROR_INDEX.rawValue))
        public static let object = Class(rawValue: Int32(GIT_ERROR_OBJECT.rawValue))
        public static let tree = Class(rawValue: Int32(GIT_ERROR_TREE.rawValue))
        public static let checkout = Class(rawValue: Int32(GIT_ERROR_CHECKOUT.rawValue))
        public static let filesystem = Class(rawValue: Int32(GIT_ERROR_FILESYSTEM.rawValue))
        public static let sha = Class(rawValue: Int32(GIT_ERROR_SHA.rawValue))
        public static let callback = Class(rawValue: Int32(GIT_ERROR_CALLBACK.rawValue))

        public var description: String {
            switch self {
            case .none: "none"
            case .os: "os"
            case .invalid: "invalid"
            case .reference: "reference"
            case .zlib: "zlib"
            case .repository: "repository"
            case .config: "config"
            case .odb: "odb"
            case .index: "index"
            case .object: "object"
            case .tree: "tree"
            case .checkout: "checkout"
            case .filesystem: "filesystem"
            case .sha: "sha"
            case .callback: "callback"
            default: "class \(rawValue)"
            }
        }
    }

    public let code: Code
    public let errorClass: Class
    public let message: String

    public init(code: Code, errorClass: Class, message: String) {
        self.code = code
        self.errorClass = errorClass
        self.message = message
    }

    public var description: String {
        "\(message) (libgit2 \(errorClass), code \(code.rawValue))"
    }

    /// Reads and clears libgit2's per-thread last error right after a failing call.
    ///
    /// Wraps `git_error_last` and `git_error_clear`. Must run on the thread that made the call,
    /// with no suspension point in between.
    static func last(code: Int32) -> GitError {
        let message: String
        let errorClass: Class
        if let raw = git_error_last() {
            message = String(cString: raw.pointee.message)
            errorClass = Class(rawValue: raw.pointee.klass)
        } else {
            message = "libgit2 returned \(code) without an error message"
            errorClass = .none
        }
        git_error_clear()
        return GitError(code: Code(rawValue: code), errorClass: errorClass, message: message)
    }
}

/// Checks a libgit2 return code: negative values become a ``GitError``.
///
/// - Returns: the non-negative result, for calls that return a count or a flag.
@discardableResult
func check(_ result: Int32) throws(GitError) -> Int32 {
    if result < 0 { throw GitError.last(code: result) }
    return result
}
