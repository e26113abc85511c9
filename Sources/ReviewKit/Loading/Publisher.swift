import Paths
import ReviewCore
import SystemCrypto
import Foundation
import GitKit

/// `review publish`: moves `refs/heads/published` to a commit holding only approved,
/// current, complete revisions, and renders the site from it.
public enum Publisher {
    public struct Outcome: Sendable {
        public var plan: PublishPlan
        /// The new published commit (40 hex digits); `nil` for a dry run or when nothing changed.
        public var commit: String?
        /// Whether the published ref already held exactly this.
        public var upToDate: Bool
        /// Why nothing was moved although there was something to publish: the plan takes down
        /// more published articles than the policy allows in one run.
        public var refusal: String? = nil
        /// A configuration change waiting for governance signatures: this publication used the
        /// version in force, not it (said, never silent: issue 34).
        public var pendingConfiguration: String? = nil
    }

    public static let reference = RepositorySnapshot.publishedReference

    /// Plans (and unless `dryRun`, commits) the published tree. Never touches the work tree.
    ///
    /// - Throws: ``ReviewError`` when the repository cannot be read, or when someone else moved
    ///   the published ref meanwhile (run again).
    /// - Parameter allowRemovals: take down more published articles than `max-unpublish-percent` allows.
    /// A publisher key the root lists, to sign the publication with.
    public struct Signer: Sendable {
        public var id: String
        public var key: Curve25519.Signing.PrivateKey

        public init(id: String, key: Curve25519.Signing.PrivateKey) {
            self.id = id
            self.key = key
        }
    }

    /// - Parameter signer: required when the root in force lists publisher keys.
    public static func publish(repository: Repository, asOf: Day, dryRun: Bool, author: Signature,
                               allowRemovals: Bool = false, signer: Signer? = nil, pinnedRoot: TrustPin? = nil,
                               acceptRewrite: Bool = false) throws(ReviewError) -> Outcome {
        try ReviewError.wrapping {
            let head = try repository.headCommit()
            let snapshot = try RepositorySnapshot.load(from: repository, revision: head, pinnedRoot: pinnedRoot)
            try checkPublishing(repository, snapshot: snapshot, head: head, asOf: asOf, signer: signer, dryRun: dryRun)
            // A branch rewritten since the last signed publication (a decision it attested may be
            // erased) is published only when the rewrite is accepted, by a new signed publication.
            let rewritten = snapshot.strayFindings.filter { $0.rule == .historyRewritten }
            if let first = rewritten.first, !acceptRewrite || signer == nil {
                throw ReviewError(file: first.path,
                                  "\(rewritten.count) history-rewritten finding\(rewritten.count == 1 ? "" : "s"): \(first.message)",
                                  remedy: "see 'review verify'; publish from the rewritten history only if the rewrite was meant: 'review publish --accept-rewrite --as PUBLISHER'")
            }
            let configuration = snapshot.configuration(asOf: asOf)
            let pending = snapshot.trustFindings.first { $0.rule == .unsignedConfiguration || $0.rule == .configurationRollback }?.message
            let evaluation = Evaluation(snapshot: snapshot, asOf: asOf)
            let statuses = evaluation.report.articles
            let fragmentSettings = snapshot.policy.fragments
            let previousCommit = try repository.referenceTarget(reference)
            let previousTree = try previousCommit.map { try repository.commit($0).tree }
            var previous: [GitPath: String] = [:]
            if let previousTree {
                let layout = snapshot.policy.content
                for file in try repository.files(under: GitPath(layout.walkDirectory), inTree: previousTree)
                where layout.isArticle(file.path) && !fragmentSettings.isFragment(file.path) {
                    previous[file.path] = file.id.hex
                }
            }
            var plan = PublishPlan.make(snapshot.articles, statuses: statuses, configuration: configuration, previous: previous)
            // Each article goes out with the fragment revisions that were approved (issue 37).
            var fragments: [GitPath: FragmentPublication.Approved] = [:]
            if fragmentSettings.isOn {
                let facts = Dictionary(snapshot.articles.map { ($0.article.path, $0) }, uniquingKeysWith: { a, _ in a })
                var bodies: [GitPath: String] = [:]
                for entry in plan.entries {
                    guard let article = facts[entry.path] else { continue }
                    bodies[entry.path] = entry.blob == article.blob ? article.article.body : article.revisions[entry.blob]?.article.body
                }
                let approved = FragmentPublication.approved(evaluation.fragments, facts: snapshot.articles.filter { fragmentSettings.isFragment($0.article.path) })
                (plan, fragments) = FragmentPublication.apply(plan, bodies: bodies, approved: approved, settings: fragmentSettings, previous: previous)
            }
            try checkDates(plan, snapshot: snapshot, asOf: asOf)
            let refusal = allowRemovals ? nil
                : plan.removalRefusal(previousCount: Set(previous.keys.map { Slug.of($0.text) }).count, percent: snapshot.policy.maxUnpublishPercent)
            // Nothing to publish and nothing published before: no empty ref is created. (When
            // articles were published before, an empty tree is committed: they must come down.)
            if dryRun || refusal != nil || (plan.entries.isEmpty && previousCommit == nil) {
                return Outcome(plan: plan, commit: nil, upToDate: false, refusal: refusal, pendingConfiguration: pending)
            }

            let previousManifest = try previousTree.flatMap { (tree) throws -> PublishedManifest? in
                guard let entry = try repository.entry(at: PublishedManifest.path, inTree: tree) else { return nil }
                return try? JSONDecoder().decode(PublishedManifest.self, from: Data(try repository.blob(entry.id)))
            }
            // Files the approved texts link (images, documents) go beside them, as HEAD has them;
            // a link to nothing is left out (and stays a dead link).
            let headTree = try repository.commit(head).tree
            var assets: [GitPath: ObjectID] = [:]
            for i in plan.entries.indices {
                plan.entries[i].linkedFiles = try plan.entries[i].linkedFiles.filter { path in
                    guard !path.hasSuffix(".md"), let entry = try repository.entry(at: path, inTree: headTree),
                          entry.kind == .blob || entry.kind == .executable else { return false }
                    assets[path] = entry.id
                    return true
                }
            }
            let manifest = PublishedManifest(plan: plan, site: snapshot.policy.site, previous: previousManifest, asOf: asOf)
            let manifestBytes = Array(manifest.json.utf8)
            let manifestBlob = try repository.writeBlob(manifestBytes)
            var blobs: [(path: GitPath, blob: ObjectID?)] = plan.entries.map { ($0.path, ObjectID(hex: $0.blob)) }
            blobs += assets.filter { path, _ in !plan.entries.contains { $0.path == path } && fragments[path] == nil }.sorted { $0.key < $1.key }
                .map { ($0.key, Optional($0.value)) }
            blobs += fragments.sorted { $0.key < $1.key }.map { ($0.key, ObjectID(hex: $0.value.blob)) }
            blobs.append((PublishedManifest.path, manifestBlob))
            // The rendered site goes on the ref, so the signed statement names every page's
            // digest and a page edited after publication no longer verifies (issue 31, item 9).
            // A signed publication gets a bundle beside each page, which the page points to.
            let pages = try renderPages(manifest: manifest, bundled: signer != nil, content: snapshot.policy.content, siteFiles: snapshot.siteFiles,
                                        repository: repository, fragments: fragments.mapValues(\.body), fragmentSettings: fragmentSettings)
            for (name, bytes) in pages.sorted(by: { $0.key < $1.key }) {
                blobs.append((ContentLayout.publishedSiteDirectory + "/" + name, try repository.writeBlob(bytes)))
            }
            if let signer {
                // The record log the branch held, attested, so a later rewrite that erases a
                // decision is seen (issue 31, item 3).
                let log = try PublishedRecordLog.attestation(repository, held: snapshot.recordHistory)
                blobs.append((RecordLogAttestation.path, try repository.writeBlob(log.bytes)))
                let statement = try attestation(repository, plan: plan, snapshot: snapshot, head: head, asOf: asOf, recordLog: log,
                                                files: blobs.compactMap { file in file.blob.map { (file.path, $0) } })
                let envelope = try SignedEnvelope.sign(statement.json, type: PublicationStatement.payloadType, keyID: signer.id, key: signer.key)
                blobs.append((PublicationStatement.path, try repository.writeBlob(envelope.json)))
            }
            let tree = try repository.buildTree(base: nil, blobs: blobs)
            if tree == previousTree { return Outcome(plan: plan, commit: nil, upToDate: true, pendingConfiguration: pending) }
            var message = "Publish \(plan.entries.count) article\(plan.entries.count == 1 ? "" : "s") from \(head.short)\n\n"
            for entry in plan.entries {
                let approvals = entry.approvals.map { "\($0.role) by \($0.reviewer) on \($0.date)" }.joined(separator: ", ")
                message += "\(entry.path) @ \(entry.blob.prefix(12)): \(approvals)\n"
            }
            let held = plan.summaryLines.filter { $0.hasPrefix("hold") || $0.hasPrefix("remove") }
            if !held.isEmpty { message += "\n" + held.joined(separator: "\n") + "\n" }
            let commit = try repository.createCommit(tree: tree, parents: previousCommit.map { [$0] } ?? [], author: author,
                                                     committer: author, message: message)
            try repository.withWriteLock(lockFiles: [reference + ".lock"]) { () throws(RepositoryError) in
                try repository.updateReference(reference, to: commit, expected: previousCommit, message: "review publish")
            }
            return Outcome(plan: plan, commit: commit.hex, upToDate: false, pendingConfiguration: pending)
        }
    }

    /// Refuses what must never be published: from another branch than the policy's
    /// `publish-branch`, with a date before HEAD's, from a repository whose root does not match
    /// the pin, or without a publisher key the root lists (when it lists any).
    private static func checkPublishing(_ repository: Repository, snapshot: RepositorySnapshot, head: ObjectID, asOf: Day,
                                        signer: Signer?, dryRun: Bool) throws {
        let branch = try repository.currentBranch()
        let wanted = "refs/heads/" + snapshot.policy.publishBranch
        guard branch == wanted else {
            throw ReviewError(file: Policy.path, "publish runs only from the branch '\(snapshot.policy.publishBranch)', and HEAD is on '\(branch.replacingOccurrences(of: "refs/heads/", with: ""))'",
                              remedy: "check out \(snapshot.policy.publishBranch), or set 'publish-branch:' in the policy (a signed change)")
        }
        if let mismatch = snapshot.trustFindings.first(where: { $0.rule == .trustRootMismatch }) {
            throw ReviewError(file: mismatch.path, mismatch.message)
        }
        // A governed repository is published only against a pinned root (issue 31, item 7):
        // unpinned, a rewritten history with another root would be signed and shipped. (A dry
        // run, which moves and signs nothing, may look.)
        if !dryRun, let genesis = snapshot.governance.genesis, snapshot.trustFindings.contains(where: { $0.rule == .unpinnedTrustRoot }) {
            throw ReviewError(file: TrustRoot.path,
                              "publish reads a governed repository only against a pinned root, and none is pinned (no --trust-root, REVIEW_TRUST_ROOT, known-roots entry or signed publication)",
                              remedy: "pin the fingerprint your team publishes: --trust-root \(genesis.root.fingerprint) if that is it, or REVIEW_TRUST_ROOT in CI")
        }
        // A publisher key signs only for a root that lists it (issue 31: an attacker's rewritten
        // history with a root of its own, listing no publisher, was signed with the real key).
        if let signer {
            let listed = snapshot.governance.current?.root.publishers ?? []
            guard listed.contains(where: { $0.publicKey == Array(signer.key.publicKey.rawRepresentation) }) else {
                throw ReviewError(file: TrustRoot.path,
                                  "the key of '\(signer.id)' is not a publisher key of the root in force here (\(listed.isEmpty ? "it lists none" : "it lists " + listed.map(\.id).joined(separator: ", "))), so it signs nothing here",
                                  remedy: "check this is the real repository (pin its root with --trust-root), or publish without --as where no root lists publishers")
            }
        }
        guard !dryRun, let root = snapshot.governance.current?.root, !root.publishers.isEmpty else { return }
        guard let signer else {
            throw ReviewError(file: TrustRoot.path, "the root lists publisher keys (\(root.publishers.map(\.id).joined(separator: ", "))), so every publication must be signed",
                              remedy: "run 'review publish --as ID' with that publisher's key in REVIEW_KEY_DIR")
        }
        guard root.publishers.contains(where: { $0.publicKey == Array(signer.key.publicKey.rawRepresentation) }) else {
            throw ReviewError(file: TrustRoot.path, "the key of '\(signer.id)' is not a publisher key of the root in force",
                              remedy: "use a key listed under publishers: (\(root.publishers.map(\.id).joined(separator: ", ")))")
        }
    }

    /// A publication cannot be dated before what it publishes: the commits that made each
    /// published revision and added its approvals (issue 31: a draft committed with a date in
    /// 2099 refused every page). Names the commit; blames no option.
    private static func checkDates(_ plan: PublishPlan, snapshot: RepositorySnapshot, asOf: Day) throws(ReviewError) {
        let facts = Dictionary(snapshot.articles.map { ($0.article.path, $0) }, uniquingKeysWith: { first, _ in first })
        var newest: (time: Int64, commit: String?, path: GitPath)?
        for entry in plan.entries {
            guard let article = facts[entry.path] else { continue }
            var times = article.changes.first { $0.blobAfter == entry.blob }.map { [($0.time, Optional($0.commit))] } ?? []
            times += article.signOffs.filter { $0.signOff.blob == entry.blob && $0.signOff.decision == .approve }
                .compactMap { record in record.addedTime.map { ($0, record.addedBy) } }
            for (time, commit) in times where time > (newest?.time ?? .min) { newest = (time, commit, entry.path) }
        }
        guard let newest, Day(secondsSinceEpoch: newest.time) > asOf else { return }
        let day = Day(secondsSinceEpoch: newest.time)
        throw ReviewError(file: newest.path,
                          "the publication is dated \(asOf), but commit \(newest.commit.map { String($0.prefix(7)) } ?? "?") that it would publish is dated \(day); a publication cannot be dated before what it publishes",
                          remedy: "check that commit's date (a clock set wrong when it was made), or date the publication \(day) or later")
    }

    /// The signed statement of a publication: every file, and what justifies each article.
    private static func attestation(_ repository: Repository, plan: PublishPlan, snapshot: RepositorySnapshot, head: ObjectID, asOf: Day,
                                    recordLog: RecordLogAttestation, files: [(GitPath, ObjectID)]) throws -> PublicationStatement {
        let subjects = try files.map { path, blob in
            PublicationStatement.Subject(name: path.text, gitBlob: blob.hex, sha256: SignOff.sha256Hex(try repository.blob(blob)))
        }
        let facts = Dictionary(snapshot.articles.map { ($0.article.path, $0) }, uniquingKeysWith: { a, _ in a })
        let articles = plan.entries.map { entry in
            let records = entry.approvals.compactMap { approval in
                facts[entry.path]?.signOffs.first {
                    $0.signOff.reviewer == approval.reviewer && $0.signOff.role == approval.role && $0.signOff.blob == approval.revision
                        && $0.signOff.decision == .approve && $0.signOff.day == approval.date
                }.map { PublicationStatement.RecordReference(path: $0.path, signOff: $0.signOff) }
            }
            return PublicationStatement.Justification(path: entry.path, blob: entry.blob, records: records, page: entry.slug + ".html")
        }
        let chain = snapshot.governance
        return PublicationStatement(subject: subjects, predicate: .init(
            source: head.hex, configurationVersion: chain.current?.version, configurationDigest: chain.current?.statement.digest,
            firstRoot: chain.genesis?.root.fingerprint, publishedOn: asOf.description, articles: articles, recordLog: recordLog))
    }

    /// Renders the tree on the published ref to static HTML in `directory`, atomically: the
    /// site is built beside it and swapped in with `rename`; a failure leaves the old site.
    ///
    /// - Returns: how many articles were rendered.
    /// - Parameter intoExisting: render into a directory that holds files review did not write
    ///   (they are kept); without it such a directory is refused.
    public static func renderSite(repository: Repository, to directory: String, intoExisting: Bool = false) throws(ReviewError) -> Int {
        let site = try SiteDirectory(directory, repository: repository, intoExisting: intoExisting)
        let (count, pages, assets) = try ReviewError.wrapping { () throws -> (Int, [GitPath: [UInt8]], [GitPath: [UInt8]]) in
            guard let published = try repository.referenceTarget(reference) else {
                throw ReviewError("nothing is published yet", remedy: "run 'review publish' first")
            }
            let tree = try repository.commit(published).tree
            guard let manifestEntry = try repository.entry(at: PublishedManifest.path, inTree: tree) else {
                throw ReviewError("\(reference) has no \(PublishedManifest.path)", remedy: "run 'review publish' again")
            }
            let manifest = try JSONDecoder().decode(PublishedManifest.self, from: Data(try repository.blob(manifestEntry.id)))
            // The pages as publish rendered and signed them, byte for byte.
            var pages: [GitPath: [UInt8]] = [:]
            for file in try repository.files(under: ContentLayout.publishedSiteDirectory, inTree: tree) {
                pages[file.path.dropping(first: ContentLayout.publishedSiteDirectory.byteCount + 1)] = try repository.blob(file.id)
            }
            guard !pages.isEmpty || manifest.articles.isEmpty else {
                throw ReviewError("\(reference) was published by an older review, without its rendered pages",
                                  remedy: "run 'review publish' again: it adds them (and signs them, with --as)")
            }
            // Site file (its path below the site, as bytes) → contents.
            var assets: [GitPath: [UInt8]] = [:]
            for article in manifest.articles {
                for path in (article.assets ?? []).map({ GitPath($0) }) {
                    guard let file = try repository.entry(at: path, inTree: tree) else { continue }
                    assets[GitPath(SiteLinks.assetPath(path.text))] = try repository.blob(file.id)
                }
            }
            return (manifest.articles.count, pages, assets)
        }
        // Each page's bundle, from the history at HEAD (its configuration chain and records).
        let bundles = try ReviewError.wrapping { () throws -> [String: [UInt8]] in
            let head = try repository.headCommit()
            let governed = try GovernedConfiguration.read(from: repository, revision: head, tree: try repository.commit(head).tree,
                                                          engine: HistoryEngine(usesCache: true), partial: false, pinned: nil)
            return try BundleBuilder.bundles(repository: repository, head: head, governed: governed)
        }
        var files = pages
        files.merge(assets) { page, _ in page }
        for (slug, bundle) in bundles { files[GitPath(VerificationBundle.sitePath(slug: slug))] = bundle }
        try site.replace(with: files)
        return count
    }

    /// The site's files for `manifest`: each article's page from its published revision, the
    /// index, the sitemap and the stylesheet (file name → bytes).
    ///
    /// - Parameter bundled: whether each page gets a verification bundle beside it (a signed
    ///   publication), which its JSON-LD then points to.
    /// - Parameter fragments: the approved text of each fragment the articles include, shown in
    ///   place of its include (docs/fragments.md).
    static func renderPages(manifest: PublishedManifest, bundled: Bool, content: ContentRoots, siteFiles: [GitPath: [UInt8]],
                            repository: Repository, fragments: [GitPath: String] = [:],
                            fragmentSettings: FragmentSettings = FragmentSettings()) throws -> [GitPath: [UInt8]] {
        var bodies: [GitPath: String] = [:]
        for article in manifest.articles {
            guard let id = ObjectID(hex: article.revision) else { continue }
            let body = ArticleParser.parse(path: article.path, bytes: try repository.blob(id)).0.body
            bodies[article.path] = IncludeScanner.expand(body, from: article.path, syntaxes: fragmentSettings.syntaxes, fragments: fragments)
        }
        let bundles = bundled ? Set(manifest.articles.map(\.slug)) : []
        // The repository's own stylesheet, footer and logo, as the configuration in force has
        // them (signed where a root governs: a stylesheet can hide a disclaimer).
        let stylesheet = siteFiles[SiteRenderer.stylesheetPath].map { String(decoding: $0, as: UTF8.self) }
        let footer = siteFiles[SiteRenderer.footerPath].map { String(decoding: $0, as: UTF8.self) }
        let pages = SiteRenderer.render(manifest, bodies: bodies, bundles: bundles, content: content, stylesheet: stylesheet, footer: footer)
        var out = Dictionary(pages.map { (GitPath($0.key), Array($0.value.utf8)) }, uniquingKeysWith: { first, _ in first })
        if let site = manifest.site, let logo = site.logo, let name = SiteRenderer.logoFile(site) {
            guard let bytes = siteFiles[GitPath(logo)] else {
                throw ReviewError(file: Policy.path, "the site's logo '\(logo)' is not a file of the configuration in force",
                                  remedy: "commit the logo there (and have governance sign it, where a root governs), or fix 'logo:' under site: in the policy")
            }
            out[GitPath(name)] = bytes
        }
        return out
    }
}
