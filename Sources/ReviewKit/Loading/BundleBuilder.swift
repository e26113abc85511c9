import Paths
import GitKit
import ReviewCore

/// Builds each published page's ``VerificationBundle`` from the published ref's signed
/// publication and the branch's history (its configuration chain and records).
enum BundleBuilder {
    /// Slug → bundle bytes; empty when the published ref carries no signed publication (an
    /// ungoverned repository, or one published before its root listed publishers).
    ///
    /// - Parameter governed: the configuration history at HEAD, where the chain and the records
    ///   are read from (and the layout in force, which names the pages).
    static func bundles(repository: Repository, head: ObjectID, governed: GovernedConfiguration) throws -> [String: [UInt8]] {
        guard let published = try repository.referenceTarget(Publisher.reference) else { return [:] }
        let tree = try repository.commit(published).tree
        func bytes(_ path: GitPath) throws -> [UInt8]? {
            guard let entry = try repository.entry(at: path, inTree: tree), entry.kind == .blob else { return nil }
            return try repository.blob(entry.id)
        }
        guard let envelopeBytes = try bytes(PublicationStatement.path), let envelope = SignedEnvelope.decode(envelopeBytes),
              let statement = envelope.payloadBytes.flatMap(PublicationStatement.decode),
              let manifestBytes = try bytes(PublishedManifest.path) else { return [:] }
        let headTree = try repository.commit(head).tree
        let chain = governed.chain
        guard let index = chain.versions.indices.first(where: { chain.versions[$0].statement.digest == statement.predicate.configurationDigest }) else {
            return [:]
        }
        // The chain to that version: the first root, every root change, and the version itself.
        let path = chain.chain(endingAt: index)
        let kept = path.enumerated().filter { i, version in i == 0 || i == path.count - 1 || version.rootVersion != path[i - 1].rootVersion }
        let elements = kept.map { _, version in
            let state = governed.states[version.state]
            return VerificationBundle.ConfigurationVersion(version: version.version, rootVersion: version.rootVersion, files: version.statement.files,
                                                           root: state.files[TrustRoot.path] ?? [], signatures: state.signatures ?? [])
        }
        let log = try RecordLog.read(from: repository, tree: headTree, governed: governed, slugs: nil, usesCaches: true)
        var records: [GitPath: SignOff] = [:]
        for list in log.records.values { for record in list { records[record.path] = record.signOff } }
        var out: [String: [UInt8]] = [:]
        let layout = governed.current.policy.content
        for justification in statement.predicate.articles {
            guard let article = try bytes(justification.path) else { continue }
            var texts: [GitPath: String] = [:]
            for reference in justification.records { texts[reference.path] = records[reference.path]?.fileText }
            let bundle = VerificationBundle(firstRoot: path[0].root.fingerprint, chain: elements, configuration: governed.states[path.last!.state].files,
                                            articlePath: justification.path, article: article, records: texts, manifest: manifestBytes,
                                            publication: envelope)
            out[layout.pageName(of: justification.path)] = bundle.json
        }
        return out
    }
}
