import Paths
import Foundation
import GitKit
import ReviewCore

extension ReviewSession {
    /// What `review baseline` would write: every content-rule finding at `HEAD` that the
    /// policy's `rules:` and the articles' suppression comments leave, the current baseline
    /// set aside (a new baseline replaces it).
    public func acceptedFindings(asOf: Day) throws(ReviewError) -> AcceptedFindings {
        let head = try ReviewError.wrapping { try repository.headCommit() }
        var snapshot = try RepositorySnapshot.load(from: repository, revision: head, usesCaches: options.usesCaches, progress: progress,
                                                   pinnedRoot: pin, bodies: .whereEvaluationReadsThem)
        snapshot.acceptedFindings = AcceptedFindings()
        let report = Evaluation(snapshot: snapshot, asOf: asOf).report
        return AcceptedFindings(report.articles.lazy.flatMap(\.findings))
    }

    /// `review baseline`: writes ``acceptedFindings(asOf:)`` to `Reviews/accepted-findings.yml`
    /// in the work tree, atomically (not committed: commit it, and where a root governs, have it
    /// signed). Everything is read and judged before the file is written; on any error nothing is.
    ///
    /// - Returns: the baseline written and the file's path in the work tree.
    public func writeBaseline(asOf: Day) throws(ReviewError) -> (baseline: AcceptedFindings, path: String) {
        guard let root = repository.workingDirectory else {
            throw ReviewError(file: AcceptedFindings.path, "'baseline' writes a file, and this repository has no work tree",
                              remedy: "run it in a clone with a work tree")
        }
        let baseline = try acceptedFindings(asOf: asOf)
        let path = root + AcceptedFindings.path.text
        do {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(baseline.text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ReviewError(file: AcceptedFindings.path, "cannot write it: \(error.localizedDescription)", remedy: "check the work tree is writable")
        }
        return (baseline, path)
    }
}
