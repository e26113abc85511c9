import Paths
import ReviewCore
import GitKit

/// The configuration that counts at a revision, and at every commit before it: read from the
/// history of `Reviews/` once (the same index the record log uses), judged by
/// ``GovernanceChain``. Where a root governs, the version in force is what its governance keys
/// signed, whatever was committed since; before any root, the committed files count.
struct GovernedConfiguration {
    /// The history of `Reviews/` (records and configuration).
    var history: DirectoryHistory
    var chain: GovernanceChain
    /// The configuration's files as each distinct state (parallel to `history.states`).
    var states: [ConfigurationState]
    /// What each state's files say alone (parsed root and signatures, verified signers).
    var checks: [ConfigurationState.Check]
    /// The configuration in force at the revision.
    var current: Configuration
    /// Per position, the reviewers in force there (index into `reviewerLists`; -1: none listed).
    var reviewersAt: [Int32]
    /// Each effective state's reviewers (`nil` where the file does not parse).
    var reviewerLists: [[Reviewer]?]

    static func read(from repository: Repository, revision: ObjectID, tree: ObjectID, engine: HistoryEngine, partial: Bool,
                     pinned: TrustPin?) throws -> GovernedConfiguration {
        var engine = engine
        if engine.expectedFolders == nil {
            // The history index compares only the folders asked about; the content root is asked
            // about next, so an index built (or widened) now covers the one the committed policy
            // names too. Where the policy in force names another, that is added when asked.
            engine.expectedFolders = {
                let bytes = try? Configuration.fileBytes(Policy.path, in: repository, tree: tree)
                return [ContentLayout.reviewsDirectory] + (bytes.flatMap { $0 }.flatMap(PolicyParser.walkDirectory).map { [$0] } ?? [])
            }
        }
        let history = try engine.directoryHistory(in: repository, at: revision, under: ContentLayout.reviewsDirectory,
                                                  watching: ConfigurationFiles.watched, partial: partial)
        // Most files are shared between states: each blob is read, hashed and (a root) parsed once.
        var blobs: [ObjectID: (bytes: [UInt8], sha256: String)] = [:]
        func read(_ id: ObjectID) throws -> (bytes: [UInt8], sha256: String) {
            if let known = blobs[id] { return known }
            let bytes = try repository.blob(id)
            let read = (bytes, SignOff.sha256Hex(bytes))
            blobs[id] = read
            return read
        }
        var roots: [ObjectID: Result<TrustRoot, ReviewError>] = [:]
        var rootOf: [Result<TrustRoot, ReviewError>?] = []
        let states = try history.states.map { files in
            var contents: [GitPath: [UInt8]] = [:], digests: [GitPath: String] = [:]
            var signatures: [GitPath: [UInt8]] = [:]
            var root: Result<TrustRoot, ReviewError>?
            for (path, blob) in files {
                if ConfigurationFiles.isSignatures(path) {
                    signatures[path] = try read(blob).bytes
                } else if ConfigurationFiles.isConfiguration(path) {
                    let file = try read(blob)
                    contents[path] = file.bytes
                    digests[path] = file.sha256
                    if path == TrustRoot.path {
                        root = roots[blob] ?? Result { () throws(ReviewError) in try TrustRootParser.parse(file.bytes) }
                        roots[blob] = root
                    }
                }
            }
            rootOf.append(root)
            return ConfigurationState(files: contents, signatureFiles: signatures, digests: digests)
        }
        let checks = Array(zip(states, rootOf)).parallelMap { state, root in state.check(root: root) }
        let commits = history.commits
        let chain = GovernanceChain.evaluate(count: commits.count, parents: commits.parents, commitID: { commits.ids[$0].hex },
                                             stateAt: history.stateAt, states: states, checks: checks, pinned: pinned,
                                             isBoundary: { commits.isBoundary[$0] })
        // The configuration in force: the signed version, or (ungoverned, or no history) the
        // committed files.
        let current: Configuration
        if commits.count > 0 {
            let state = chain.effectiveState(at: commits.count - 1, committed: history.stateAt)
            current = try Configuration.parse(states[state].files, at: revision)
        } else {
            current = try Configuration.read(from: repository, tree: tree, at: revision)
        }
        // The reviewers in force at each commit, each distinct file parsed once.
        var listNumber: [[UInt8]: Int32] = [:]
        var reviewerLists: [[Reviewer]?] = []
        var numberOfState: [Int: Int32] = [:]
        var reviewersAt = [Int32](repeating: -1, count: commits.count)
        for position in 0..<commits.count {
            let state = chain.effectiveState(at: position, committed: history.stateAt)
            if let known = numberOfState[state] { reviewersAt[position] = known; continue }
            var number: Int32 = -1
            if let file = states[state].files[Reviewer.path] {
                if let known = listNumber[file] {
                    number = known
                } else {
                    number = Int32(reviewerLists.count)
                    listNumber[file] = number
                    reviewerLists.append(try? ReviewersParser.parse(file, roles: nil))
                }
            }
            numberOfState[state] = number
            reviewersAt[position] = number
        }
        return GovernedConfiguration(history: history, chain: chain, states: states, checks: checks, current: current, reviewersAt: reviewersAt,
                                     reviewerLists: reviewerLists)
    }

    /// Every disclaimer file of every signed version (`nil` when no root governs): where a root
    /// governs, only a signed wording is ever a disclaimer's earlier wording.
    func signedDisclaimerFiles() -> [(path: GitPath, bytes: [UInt8])]? {
        guard !chain.versions.isEmpty else { return nil }
        var seen: Set<Int> = []
        var out: [(path: GitPath, bytes: [UInt8])] = []
        for version in chain.versions where seen.insert(version.state).inserted {
            for (path, bytes) in states[version.state].files where path.hasPrefix(ContentLayout.disclaimersDirectory + "/") {
                out.append((path, bytes))
            }
        }
        return out
    }
}
