import Paths
import ReviewCore
import GitKit
import Dispatch
import Foundation

/// Everything `review` reads from a repository at one revision, as values: the articles with
/// their history facts, the policy, reviewers, disclaimers and sign-off records.
///
/// ``load(from:revision:)`` is the only place that reads the repository for status and check;
/// the workflow engine and the reporters work on this value.
public struct RepositorySnapshot: Sendable {
    public var revision: ObjectID
    public var articles: [ArticleFacts]
    public var policy: Policy
    public var reviewers: [Reviewer]
    public var disclaimers: [String: String]
    /// Earlier canonical wordings of each disclaimer, from its file's history.
    public var disclaimerHistory: [String: [String]] = [:]
    /// Findings about files that are not articles, or records that belong to no article.
    public var strayFindings: [Finding]
    /// The configuration chain in force (empty where no root governs).
    public var governance: GovernanceChain = GovernanceChain()
    /// Findings about the configuration's governance (unsigned changes, the root and its pin).
    public var trustFindings: [Finding] { governance.findings }
    public var reachedShallowBoundary: Bool
    /// Every sign-off record file the branch's history ever held, in history order (what a
    /// signed publication attests).
    var recordHistory: [HeldRecord] = []
    /// The site's stylesheet, footer and logo (`Reviews/site/`) of the configuration in force:
    /// what publish and the desk's preview draw pages with (never what was merely committed).
    public var siteFiles: [GitPath: [UInt8]] = [:]
    /// The accepted-findings baseline in force (`Reviews/accepted-findings.yml`; signed where a
    /// root governs).
    public var acceptedFindings = AcceptedFindings()

    public static let articlesDirectory = ContentLayout.articlesDirectory
    public static let disclaimersDirectory = ContentLayout.disclaimersDirectory
    public static let signOffsDirectory = ContentLayout.signOffsDirectory
    public static let publishedReference = ContentLayout.publishedReference

    /// The workflow configuration with `asOf` as today.
    public func configuration(asOf: Day) -> WorkflowConfiguration {
        var configuration = WorkflowConfiguration(policy: policy, reviewers: reviewers, disclaimers: disclaimers, disclaimerHistory: disclaimerHistory,
                                                  asOf: asOf)
        configuration.acceptedFindings = acceptedFindings
        return configuration
    }

    /// Reads the revision: configuration first (a broken one stops here), then every article
    /// and its last change in one history walk.
    ///
    /// - Parameters:
    ///   - only: the article paths to read (all when `nil`).
    ///   - since: a commit the `only` articles changed after; history is walked from it only,
    ///     unless an article's answer or sign-off history lies further back.
    ///   - trackAll: follow every loaded article's whole history (for `review log`), not only
    ///     those with sign-offs.
    ///   - usesCaches: read and extend the history index and the article cache under the git
    ///     directory (the answers are the same without them).
    ///   - pinnedRoot: the trust root's fingerprint, given outside the repository.
    ///   - bodies: which articles must come with their bodies.
    public static func load(from repository: Repository, revision: ObjectID, only: Set<GitPath>? = nil,
                            since: ObjectID? = nil, trackAll: Bool = false, usesCaches: Bool = true,
                            progress: ProgressHandler? = nil, pinnedRoot: TrustPin? = nil,
                            bodies: BodyNeed = .all) throws(ReviewError) -> RepositorySnapshot {
        try ReviewError.wrapping {
            try SnapshotLoader(repository: repository, revision: revision, only: only, since: since, trackAll: trackAll,
                               usesCaches: usesCaches, progress: progress, pinnedRoot: pinnedRoot, bodies: bodies).load()
        }
    }
}

extension RepositorySnapshot {
    /// Tests: what a load on this task did with the articles it did not take whole from the
    /// caches: how many it parsed, and how many took only their body from their blob.
    final class LoadCounts: @unchecked Sendable {
        private let lock = NSLock()
        private var value = (parsed: 0, bodiesFromBlobs: 0)  // under `lock`

        var counts: (parsed: Int, bodiesFromBlobs: Int) {
            get { lock.withLock { value } }
            set { lock.withLock { value = newValue } }
        }
    }

    @TaskLocal static var loadCounts: LoadCounts?
}

/// Which articles a read must hold with their bodies.
public enum BodyNeed: Sendable {
    /// Every one (the site, the dashboard, anything that shows or compares text).
    case all
    /// Only where evaluating them reads them (``WorkflowEngine/readsBodies(_:signOffs:)``): for
    /// `status` and `check`, which report what was evaluated. The others' bodies are empty.
    case whereEvaluationReadsThem
}

/// Does the reading for ``RepositorySnapshot/load(from:revision:)``.
private struct SnapshotLoader {
    let repository: Repository
    let revision: ObjectID
    let only: Set<GitPath>?
    let since: ObjectID?
    let trackAll: Bool
    let usesCaches: Bool
    let progress: ProgressHandler?
    let pinnedRoot: TrustPin?
    let bodies: BodyNeed

    func wanted(_ path: GitPath) -> Bool { Self.wanted(path, only: only) }

    /// Whether a read limited to `only` (all: `nil`) reads the file at `path`.
    static func wanted(_ path: GitPath, only: Set<GitPath>?) -> Bool { only?.contains(path) ?? true }

    func load() throws -> RepositorySnapshot {
        let tree = try repository.commit(revision).tree
        // Parsed articles come from the cache, read and decoded on another thread while the
        // configuration and history are read here; or (when there is none: a first run, or a
        // new build) from the threads that parse ahead meanwhile. With a cache, the few articles
        // that changed are parsed below, on all cores.
        let usesCache = usesCaches && (only.map { $0.count > 100 } ?? true)
        let gitDirectory = repository.gitDirectory
        let stored = usesCache && ArticleCache.isPresent(gitDirectory: gitDirectory)
            ? Eventually { ArticleCache.load(gitDirectory: gitDirectory) } : nil
        let bodyCacheExists = usesCache && BodyCache.isPresent(gitDirectory: gitDirectory)
        // A first run (no article cache) parses every article ahead, and builds the caches, as
        // the committed policy says (the one in force is known only after the walk). Not read
        // where neither happens (a pull request's few pages: 15-20 ms of its check on
        // windows-powershell-docs).
        let readsAhead = only == nil && stored == nil
        let committed = readsAhead || (usesCache && stored == nil && !bodyCacheExists)
            ? try? Configuration.read(from: repository, tree: tree, at: revision, readingReviewers: false) : nil
        let committedReadsBodies = committed.map { WorkflowEngine.readsBodies($0.policy, signOffs: true) } ?? true
        // Bodies are kept apart (``BodyCache``), read on another thread too: from the start when
        // every article needs one, else once the configuration in force says evaluating reads
        // them (below). A body cache that was not read is not written over either, unless there
        // is none: then it is built as the articles are parsed (``BodyCacheBuffer``), and the
        // articles keep no body where evaluating them reads none. A first run builds one only
        // where something may read it (asked for every body, or evaluating under the committed
        // policy reads them): on nodejs.org, building one for a `status` that reads no body was
        // 6% of a cold run's CPU (19 MB encoded, sealed and written). The first run that reads
        // bodies builds it then (below).
        let buildsBodies = usesCache && !bodyCacheExists && (bodies == .all || committedReadsBodies)
        let bodyBuffer = buildsBodies ? BodyCacheBuffer(gitDirectory: gitDirectory) : nil
        // Without an article cache, the new one is written as the articles are parsed too.
        let articleBuffer = usesCache && stored == nil ? ArticleCacheBuffer(gitDirectory: gitDirectory) : nil
        let prefetch = readsAhead
            ? parseAhead(tree: tree, committed: committed, keepsBodies: bodies == .all || committedReadsBodies, bodies: bodyBuffer,
                         articles: articleBuffer)
            : nil
        defer { prefetch?.cancel() }
        func readBodies() -> Eventually<BodyCache>? { bodyCacheExists ? Eventually { BodyCache.load(gitDirectory: gitDirectory) } : nil }
        var storedBodies = bodies == .all ? readBodies() : nil
        // One engine for every walk: the history index is read once.
        var engine = HistoryEngine(usesCache: usesCaches, progress: progress)
        // Where the articles come from the cache, the history index's projection runs on the
        // cores (the other one is idle meanwhile). Not where they are parsed ahead: the parse
        // holds the other cores, and another thread's allocations would add to the peak.
        if stored != nil { engine.concurrently = { count, body in DispatchQueue.concurrentPerform(iterations: count, execute: body) } }
        let partial = since != nil || !usesCaches
        let governed = try GovernedConfiguration.read(from: repository, revision: revision, tree: tree, engine: engine,
                                                      partial: partial, pinned: pinnedRoot)
        let configuration = governed.current
        let policy = configuration.policy
        let layout = policy.content
        let walk = layout.walkDirectory
        // The revision's files below the articles' folder, listed once: the walk answers for
        // them, and the links are checked against them.
        let listed = try repository.files(under: GitPath(walk), inTree: tree)
        let allPaths = listed.map(\.path)
        // The same files by their case-folded key, for links whose target differs only in case.
        let byFoldedCase = Eventually { ConfusablePaths.byKey(allPaths) }
        // The articles the cache holds are placed on another core while this one reads the
        // record log and walks history, with their bodies where evaluating may read them (the
        // body cache is read from now on then). Whether it does depends on whether there are
        // records too: where it turns out not to, what was placed with bodies is not used.
        let mayNeedBodies = bodies == .all || WorkflowEngine.readsBodies(policy, signOffs: true)
        if mayNeedBodies, stored != nil, storedBodies == nil { storedBodies = readBodies() }
        let frontMatter = policy.frontMatter
        let revisionName = revision.short
        // Whether reading levels are read: an article parsed without one (where none was read)
        // is parsed again. (Parsed ahead under a committed policy that reads none while the one
        // in force does, the article cache being written keeps that first value: the next run
        // parses it again too, and writes the cache with the measure.)
        let needsReadability = WorkflowEngine.readsReadability(policy)
        let ahead = stored.map { stored in
            PlacingAhead(listed, cache: stored, only: self.only, layout: layout, frontMatter: frontMatter,
                         bodies: mayNeedBodies ? .some(storedBodies) : nil, readability: needsReadability) { content, path, existing in
                Self.placement(content, at: path, layout: layout, frontMatter: frontMatter, existing: existing, byFoldedCase: byFoldedCase,
                               walk: walk, revision: revisionName)
            }
        }
        // Where reading fails before the placing is taken, it stops at its next look.
        defer { ahead?.cancel() }

        // A rewrite that erased what the latest signed publication attests (issue 31, item 3).
        let recordHistory = PublishedRecordLog.held(governed)
        var stray = try PublishedRecordLog.rewriteFindings(repository, revision: revision, governed: governed, held: recordHistory)
        let wantedSlugs = only.map { Set($0.map { GitPath(layout.recordDirectory(of: $0)) }) }
        var log = try RecordLog.read(from: repository, tree: tree, governed: governed, slugs: wantedSlugs, usesCaches: usesCaches)
        let needsBodies = bodies == .all || WorkflowEngine.readsBodies(policy, signOffs: !log.records.isEmpty)
        if needsBodies, storedBodies == nil { storedBodies = readBodies() }
        let disclaimerFiles = try governed.signedDisclaimerFiles()
            ?? engine.directoryVersions(in: repository, at: revision, under: ContentLayout.disclaimersDirectory, partial: partial)
            .sorted { ($0.path, $0.blob) < ($1.path, $1.blob) }
            .filter { $0.kind == .blob || $0.kind == .executable }
            .map { (path: $0.path, bytes: try repository.blob($0.blob)) }
        let disclaimerHistory = Self.disclaimerHistory(disclaimerFiles, current: configuration.disclaimers)
        // Records are filed by slug; their history is followed under the paths they name.
        var records: [GitPath: [SignOffRecord]] = [:]
        for list in log.records.values { for record in list { records[record.signOff.article, default: []].append(record) } }

        // Follow the whole history of articles that have sign-offs (for self-approval and to
        // know which revisions are theirs); a blob that never exists keeps the walk going.
        let never = ObjectID(hex: String(repeating: "f", count: 40))!
        var tracking = records.filter { wanted($0.key) }.mapValues { _ in Set([never]) }
        if trackAll {
            for file in listed where wanted(file.path) && layout.isArticle(file.path) {
                tracking[file.path] = [never]
            }
        }
        // Without it, the files below Articles/ as a set, for the articles' relative links.
        let existing = ahead == nil ? Eventually { Set(allPaths) } : nil
        var report = try engine.lastChanges(in: repository, at: revision, under: walk, listed: listed,
                                                     tracking: tracking, since: since)
        if since != nil, report.files.contains(where: { wanted($0.path) && report.unresolved.contains($0.path) }) {
            // Some answer lies before `since` (or sign-offs need older history): walk it all.
            report = try engine.lastChanges(in: repository, at: revision, under: walk, listed: listed,
                                                     tracking: tracking)
        }
        // An article whose last change is an ignored revision: follow its history to the change before.
        let ignored = configuration.ignoredRevisions
        let throughIgnored = report.files.filter { file in
            !ignored.isEmpty && wanted(file.path) && tracking[file.path] == nil && file.commitID.map { ignored.contains($0.hex) } == true
        }
        if !throughIgnored.isEmpty {
            for file in throughIgnored { tracking[file.path] = [never] }
            report = try engine.lastChanges(in: repository, at: revision, under: walk, listed: listed, tracking: tracking)
        }
        // What was placed meanwhile (indexed as `listed`, which the report's files are).
        let placedAhead = ahead?.finish()
        let published = try repository.referenceTarget(RepositorySnapshot.publishedReference)
            .map { (id) throws(RepositoryError) in try repository.commit(id).tree }

        var articles: [ArticleFacts]
        // Slug scope (bytes), NUL, slug → the first article with it.
        var slugs: [GitPath: GitPath] = [:]
        // The published blob of each path, listed once.
        var publishedBlobs: [GitPath: String] = [:]
        if let published {
            for file in try repository.files(under: GitPath(walk), inTree: published) where layout.isArticle(file.path) {
                publishedBlobs[file.path] = file.id.hex
            }
        }
        // Blobs parsed by an earlier run come from the cache, and most others were parsed ahead;
        // the rest are read on this thread (libgit2 handles are not shared) and parsed on all
        // cores. A few articles (`approve`, most `check --changed-since` runs) are parsed
        // directly: loading the whole cache would cost more than it saves.
        var cache = stored?.value ?? ArticleCache()
        var bodyCache = storedBodies?.value ?? BodyCache()
        // Bodies go into a body cache where one is being built, or was read; where there is none
        // and none is being built (a first run's committed policy read no body), into a new one
        // if evaluating reads them after all.
        let keepsBodies = usesCache && (storedBodies != nil || bodyBuffer != nil || (!bodyCacheExists && needsBodies))
        func cachedContent(_ blob: ObjectID) -> ParsedContent? {
            Self.cachedContent(blob, cache: cache, bodyCache: bodyCache, bodyBuffer: bodyBuffer, needsReadability: needsReadability,
                               needsBodies: needsBodies)
        }
        /// `streamed`: the content is in `articleBuffer` already.
        func remember(_ content: ParsedContent, for blob: ObjectID, streamed: Bool = false) {
            cache.insert(content, for: blob)
            if let articleBuffer, !streamed {
                let encoded = ArticleCache.encoding(content)
                articleBuffer.append(encoded: encoded, for: blob)
            }
            guard content.hasBody else { return }
            keepBody(content.article.body, for: blob)
        }
        /// Keeps a body in the body cache being built or read (where bodies are kept).
        func keepBody(_ body: String, for blob: ObjectID) {
            guard keepsBodies else { return }
            if let bodyBuffer { bodyBuffer.append(body, for: blob) } else { bodyCache.insert(body, for: blob) }
        }
        if let prefetch {
            for (blob, parsed) in prefetch.finish(reading: repository) {
                // Without its body where it was parsed without one (its body is in `bodyBuffer`).
                remember(parsed, for: blob, streamed: articleBuffer != nil)
            }
        }
        // The articles' files, and the bytes of those the cache does not hold.
        var inputs: [(file: FileLastChange, bytes: [UInt8])] = []
        // Hidden files (like .gitkeep) are git's business; other files (images, documents,
        // toc.yml, excluded pages) are assets, published beside the articles that link them.
        let only = only
        let isAnyArticle = Array(report.files.indices).parallelMap { [files = report.files] in layout.isArticle(files[$0].path) }
        let isArticle = report.files.indices.map { isAnyArticle[$0] && Self.wanted(report.files[$0].path, only: only) }
        // Articles whose paths read alike (every article at the revision, read or not): each
        // keeps its own history and records, and each gets a blocking finding. Found on another
        // thread while the articles are read here, as are the sets of paths below.
        let articlePaths = report.files.indices.filter { isAnyArticle[$0] }.map { allPaths[$0] }
        let confusable = Eventually { Dictionary(grouping: ConfusablePathRule.findings(articlePaths, what: "article"), by: \.path) }
        // Each of these arrays at its size from the start: grown by doubling, a large site's
        // were copied step by step, and the old buffers stayed resident.
        inputs.reserveCapacity(isArticle.count(where: { $0 }))
        // Each input's index among the revision's files.
        var positions: [Int] = []
        positions.reserveCapacity(inputs.capacity)
        for (done, file) in report.files.enumerated() {
            if done % 500 == 0 { progress?("reading articles", done, report.files.count) }
            guard isArticle[done] else { continue }
            guard file.kind == .blob || file.kind == .executable else {
                stray.append(Finding(.invalidFrontMatter, path: file.path,
                                     "a \(file.kind) is not an article and is not read; replace it with a Markdown file"))
                continue
            }
            inputs.append((file, []))
            positions.append(done)
        }
        // Each article's cached content, looked up on all cores: one after another, the lookups
        // were most of a warm run's reading (each touches a parsed article's objects for the
        // first time), with the other core idle. Nothing writes the caches meanwhile.
        // An article the cache holds parsed whose body no body cache holds (none was built: the
        // first run read no body) takes its body from its blob (`bodyFromBlob`), not a parse.
        var lookedUp = Array(inputs.indices).parallelMap { [inputs, cache, bodyCache] i -> (content: ParsedContent?, hit: Bool, bodyFromBlob: Bool) in
            // (`hit` apart: testing `content` for nil copied it.)
            let blob = inputs[i].file.blob
            guard let content = Self.cachedContent(blob, cache: cache, bodyCache: bodyCache, bodyBuffer: bodyBuffer,
                                                   needsReadability: needsReadability, needsBodies: false) else {
                return (nil, false, false)
            }
            guard needsBodies, !content.hasBody else { return (content, true, false) }
            guard let body = Self.cachedBody(blob, bodyCache: bodyCache, bodyBuffer: bodyBuffer) else { return (content, true, true) }
            return (content.with(body: body), true, false)
        }
        // The others, and the blobs bodies are taken from, are read here (libgit2 handles are not
        // shared); the others are parsed on all cores, and the bodies taken likewise.
        for i in inputs.indices where !lookedUp[i].hit || lookedUp[i].bodyFromBlob { inputs[i].bytes = try repository.blob(inputs[i].file.blob) }
        let misses = inputs.indices.filter { !lookedUp[$0].hit }
        var fresh: [ParsedContent?] = misses.parallelMap { [inputs] i in ParsedContent(inputs[i].bytes, measuringReadability: needsReadability) }
        let bodiless = inputs.indices.filter { lookedUp[$0].bodyFromBlob }
        for (k, body) in bodiless.parallelMap({ [inputs] i in ArticleParser.body(inputs[i].bytes) }).enumerated() {
            lookedUp[bodiless[k]].content = lookedUp[bodiless[k]].content.take()?.with(body: body)
        }
        RepositorySnapshot.loadCounts?.counts = (misses.count, bodiless.count)
        // Each content is moved into place, not copied: a copy retained each of its strings and
        // lists (objects made on whichever core decoded them, read here for the first time), and
        // the two arrays released them again (on windows-powershell-docs, warm, 14,142 articles).
        var moved: [ParsedContent] = []
        moved.reserveCapacity(inputs.count)
        var nextMiss = 0
        for i in inputs.indices {
            if lookedUp[i].hit {
                if let content = lookedUp[i].content.take() { moved.append(content) }
            } else {
                if let content = fresh[nextMiss].take() { moved.append(content) }
                nextMiss += 1
            }
        }
        let parsed = moved
        let existingFiles = placedAhead?.existing ?? existing?.value ?? Set(allPaths)
        var used: Set<ObjectID> = []
        used.reserveCapacity(inputs.count)
        // Where the records of the articles read are filed (where there are records to file).
        var readSlugs: Set<GitPath> = []
        // Each article as the file at its path, and its links checked against the revision's
        // files, on all cores (pure); links that leave the articles' folder are looked up here.
        let histories = report.histories
        let files = inputs.map(\.file)
        // (Indexed as the report's files: the same listing, so the same count.) Placed with
        // bodies exactly where the articles here are.
        let early = placedAhead.map { $0.placements.count == report.files.count && mayNeedBodies == needsBodies ? $0.placements : [] } ?? []
        let placed = Array(inputs.indices).parallelMap { [positions] i in
            // Each field read in place: a copy of the file retained the box of its last commit,
            // which most files of a large site share (one commit changed most of them last).
            let path = files[i].path
            let placement = (early.isEmpty ? nil : early[positions[i]])
                ?? Self.placement(parsed[i], at: path, layout: layout, frontMatter: frontMatter, existing: existingFiles,
                                  byFoldedCase: byFoldedCase, walk: walk, revision: revisionName)
            // The article's changes, newest first (its whole history when followed).
            var changes: [ChangeFact] = histories[path].map { $0.map { Self.changeFact($0.commit, blob: $0.blob) } }
                ?? files[i].withCommit { [Self.changeFact($0, blob: files[i].blob)] } ?? []
            if files[i].onlyMoved, !changes.isEmpty { changes[0].changedContent = false }
            if !ignored.isEmpty, changes.contains(where: { ignored.contains($0.commit) }) {
                // Ignored revisions are skipped; an article only they ever changed keeps its first.
                let kept = changes.filter { !ignored.contains($0.commit) }
                changes = kept.isEmpty ? [changes[changes.count - 1]] : kept
            }
            var placed = Placed(article: placement.article, findings: placement.findings, changes: changes, links: placement.links,
                                // Where slugs must be unique (across all folders, or within each: content: unique-slugs),
                                // and where the article's records are filed.
                                slugKey: layout.slugScope(of: path) + "\u{0}" + placement.article.slug, directory: GitPath(layout.recordDirectory(of: path)))
            placed.textChangeCandidate = Self.isTextChangeCandidate(placed, mapping: frontMatter)
            return placed
        }
        let recordsOf = Self.recordOwners(log.records, files: files, placed: placed)
        let textChanges = try textChanges(placed: placed, files: files, tracking: tracking,
                                          followed: histories, engine: engine,
                                          walk: walk, ignored: ignored, shallow: report.reachedShallowBoundary, mapping: frontMatter,
                                          mainLine: report.mainLine)
        let confusableFindings = confusable.value
        // What depends on the articles' order (whose slug came first, which records are taken),
        // or reads through this thread's repository handle, is settled here, one article after
        // another; each article's facts are then put together on all cores.
        var settled: [Settled] = []
        settled.reserveCapacity(inputs.count)
        // At its size from the start: grown by doubling, it was rehashed step by step.
        slugs.reserveCapacity(inputs.count)
        for i in inputs.indices {
            // The file's fields read in place (a copy retained its commit's box).
            let blob = inputs[i].file.blob
            if !lookedUp[i].hit {
                remember(parsed[i], for: blob)
            } else if lookedUp[i].bodyFromBlob {
                keepBody(parsed[i].article.body, for: blob)
            }
            used.insert(blob)
            var here = Settled()
            if placed[i].links.contains(where: \.needsTree) {
                var kept: [Finding] = []
                for check in placed[i].links {
                    switch check {
                    case .broken(let finding): kept.append(finding)
                    case .brokenUnlessInTree(let path, let finding): if try repository.entry(at: path, inTree: tree) == nil { kept.append(finding) }
                    }
                }
                here.linkFindings = kept
            }
            // One lookup where the slug is new (most articles): filed under it, and put back as it
            // was where it is not (the first article keeps it).
            if let other = slugs.updateValue(files[i].path, forKey: placed[i].slugKey) {
                slugs[placed[i].slugKey] = other
                here.slugFinding = Finding(.invalidFrontMatter, path: files[i].path,
                                           "slug '\(placed[i].article.slug)' is also used by \(other.escaped); slugs must be unique \(layout.uniqueSlugs == .everywhere ? "across all folders" : "within a \(layout.uniqueSlugs.rawValue)")")
            }
            let directory = placed[i].directory
            if !log.records.isEmpty { readSlugs.insert(directory) }
            if !log.findings.isEmpty { here.recordFindings = log.findings.removeValue(forKey: directory) ?? [] }
            let mine = recordsOf[i]
            let known: Set<String> = mine.isEmpty ? [] : Set(placed[i].changes.compactMap { $0.blobAfter })
            for record in mine where record.signOff.blob != blob.hex && known.contains(record.signOff.blob) {
                guard here.revisions[record.signOff.blob] == nil, let id = ObjectID(hex: record.signOff.blob) else { continue }
                let old: ParsedContent
                if let cached = cachedContent(id) {
                    old = cached
                } else {
                    old = ParsedContent(try repository.blob(id))
                    remember(old, for: id)
                }
                used.insert(id)
                here.revisions[record.signOff.blob] = (old.located(at: files[i].path, content: layout, frontMatter: policy.frontMatter).0, old.sha256)
            }
            settled.append(here)
        }
        let unresolved = report.unresolved
        let ancestry = log.ancestry, recordHistoryTruncated = log.truncated
        articles = Array(inputs.indices).parallelMap { [settled, publishedBlobs] i in
            let path = files[i].path  // (in place, as above)
            var article = placed[i].article
            // `last-updated-from: history`: the last change stands for a last-updated the front matter lacks.
            if frontMatter.lastUpdatedFromHistory, article.lastUpdated == nil, let last = placed[i].changes.first { article.lastUpdated = last.date }
            var findings = placed[i].findings + (confusableFindings[path] ?? [])
            if let kept = settled[i].linkFindings {
                findings += kept
            } else {
                for case .broken(let finding) in placed[i].links { findings.append(finding) }
            }
            if let finding = settled[i].slugFinding { findings.append(finding) }
            var facts = ArticleFacts(
                article: article, parseFindings: findings, blob: files[i].blob.hex, sha256: parsed[i].sha256,
                changes: placed[i].changes, historyTruncated: files[i].commitID == nil || unresolved.contains(path),
                signOffs: recordsOf[i], revisions: settled[i].revisions, publishedBlob: publishedBlobs[path])
            facts.recordFindings = settled[i].recordFindings
            facts.textChange = textChanges[i]?.change ?? .notLookedFor
            facts.textChangeArrival = textChanges[i]?.arrival
            // Which record-adding commits descend from which (decisions on two branches are concurrent).
            facts.ancestry = ancestry
            facts.recordHistoryTruncated = recordHistoryTruncated
            return facts
        }
        // Each translation's source and basis (issue 37).
        if !policy.translations.isEmpty {
            let articlePaths = Set(report.files.indices.filter { isAnyArticle[$0] }.map { report.files[$0].path })
            try TranslationBasis(repository: repository, revision: revision, walk: walk, engine: engine, policy: policy,
                                 usesCaches: usesCaches, readsEverything: only == nil)
                .attach(&articles, articlePaths: articlePaths)
        }
        // Done with history. Where this run parsed the articles (no article cache yet), the
        // history index is freed now, not kept to the exit with what only the reading needed
        // (below): what comes next (the cache files' buffers, evaluating, the answer's bytes)
        // reuses its memory instead of growing past it (a cold run's peak: 5-9 MB higher on the
        // generated corpus when kept). Where the articles came from the cache, no such buffers
        // follow, and it is let go of at the exit (``Teardown``): freeing its arrays and paths
        // one by one took 3 ms, alone on this thread, of a warm status of
        // windows-powershell-docs.
        if stored != nil {
            Teardown.release(engine.releaseIndex())
        } else {
            _ = engine.releaseIndex()
        }
        // A full read keeps only what the tip uses, so the cache does not grow with history.
        if only == nil {
            // Every blob used was looked up in the article cache or remembered into it, so a
            // cache of as many entries holds exactly those (most warm runs): looking each entry
            // up in `used` again took 2 ms, alone on one core, on windows-powershell-docs.
            if cache.entries.count != used.count { cache.keep(only: used) }
            bodyCache.keep(only: used)
        }
        if let articleBuffer { articleBuffer.save(repository, keeping: only == nil ? used : nil) } else if usesCache { cache.save(repository) }
        if keepsBodies {
            if let bodyBuffer { bodyBuffer.save(repository, keeping: only == nil ? used : nil) } else { bodyCache.save(repository) }
        }
        // Records of articles that are gone (or not read this time) attach to nothing.
        for (slug, list) in log.records where !readSlugs.contains(slug) {
            stray += list.map {
                Finding(.unattachedRecord, path: $0.path,
                        "sign-off for \($0.signOff.article), which is not an article at \(revision.short); it is kept and applies to nothing")
            }
        }
        for findings in log.findings.values { stray += findings }
        // Disclaimer files whose paths read alike (the other configuration files have fixed names).
        stray += ConfusablePathRule.findings(try repository.files(under: GitPath(ContentLayout.disclaimersDirectory), inTree: tree).map(\.path),
                                             what: "disclaimer file")
        var snapshot = RepositorySnapshot(revision: revision, articles: articles, policy: policy, reviewers: configuration.reviewers,
                                          disclaimers: configuration.disclaimers, strayFindings: stray.sorted(),
                                          reachedShallowBoundary: report.reachedShallowBoundary)
        snapshot.disclaimerHistory = disclaimerHistory
        snapshot.governance = governed.chain
        snapshot.recordHistory = recordHistory
        snapshot.siteFiles = configuration.siteFiles
        snapshot.acceptedFindings = configuration.acceptedFindings
        // What only the reading needed (the cache, the parsed files) is let go of by a process
        // that exits next, not freed object by object (``Teardown``).
        Teardown.release((engine, report, cache, bodyCache, inputs, lookedUp, parsed, placed, early, existingFiles, used, slugs, records, tracking, log))
        return snapshot
    }

    /// For each article whose last change lands after its last-updated (and the rule's
    /// tolerance), the newest change readers can see (``ArticleFacts/textChange``): its history is
    /// followed (one more walk, for those articles only) and each change compared with the
    /// revision before it, newest first, until one altered the text, or the changes reach
    /// last-updated, or the commit that created the file. A revision listed in ignore-revisions
    /// is never the answer, but stays in the history as what the next change is compared with:
    /// skipping it compared that change with the text before the ignored one, so the ignored
    /// commit's edits were blamed on the next commit (windows-powershell-docs: a front-matter
    /// cleanup cited for the cmdlet list an ignored commit had added). For the change found,
    /// also how it and the date reached the main line (``TextChangeArrival``). Keyed by index
    /// into `files`. Answers found by an earlier run are taken from the ``TextChangeCache`` (when
    /// caches are used), so a run where those articles did not change neither walks nor reads for
    /// them; how the change arrived is checked again against this revision's main line.
    private func textChanges(placed: [Placed], files: [FileLastChange], tracking: [GitPath: Set<ObjectID>],
                             followed: [GitPath: [FileRevision]], engine: HistoryEngine, walk: String, ignored: Set<String>,
                             shallow: Bool, mapping: FrontMatterMapping,
                             mainLine: MainLine) throws -> [Int: (change: TextChange, arrival: TextChangeArrival?)] {
        let candidates = placed.indices.filter { placed[$0].textChangeCandidate }
        guard !candidates.isEmpty else { return [:] }
        func arrival(_ commit: String) -> String? { ObjectID(hex: commit).flatMap { mainLine.arrival(of: $0)?.hex } }
        // What each answer depends on (a history cut short by a shallow clone is not stored).
        var store = usesCaches && !shallow ? TextChangeCache.load(gitDirectory: repository.gitDirectory) : nil
        let ignoredDigest = TextChangeCodec.digest(ignored: ignored)
        // Each candidate's keys: the answer's own, and the same at this revision (for an answer
        // whose history passed a merge that changed the file: its order is fixed only here).
        var keys: [Int: (own: TextChangeCodec.Key, atRevision: TextChangeCodec.Key)] = [:]
        var out: [Int: (change: TextChange, arrival: TextChangeArrival?)] = [:]
        if store != nil {
            for i in candidates {
                guard let last = files[i].commitID, let date = placed[i].article.lastUpdated else { continue }
                func key(at revision: ObjectID?) -> TextChangeCodec.Key {
                    TextChangeCodec.key(path: files[i].path, lastChange: last, blob: files[i].blob, lastUpdated: date, mapping: mapping,
                                        ignored: ignoredDigest, followed: tracking[files[i].path] != nil, onlyMoved: files[i].onlyMoved,
                                        at: revision)
                }
                let own = key(at: nil), atRevision = key(at: revision)
                keys[i] = (own, atRevision)
                func stored(_ key: TextChangeCodec.Key) -> TextChangeCodec.Entry? { store?[key.id].flatMap { $0.key == key.material ? $0 : nil } }
                guard let entry = stored(own) ?? stored(atRevision) else { continue }
                guard case .change(let found) = entry.answer else { out[i] = (.none, nil); continue }
                // Which changes arrived with it is fixed by the main-line commit that brought it:
                // the answer holds while that is the same one.
                let brought = arrival(found.commit)
                guard brought == entry.arrival else { continue }
                out[i] = (entry.answer, brought.map { TextChangeArrival(change: $0, dateSetBy: entry.dateSetBy) })
            }
        }
        var views: [String: ReaderView?] = [:]
        func view(_ blob: String?) throws -> ReaderView? {
            guard let blob, let id = ObjectID(hex: blob) else { return nil }
            if let known = views[blob] { return known }
            let found = ArticleParser.readerView(try repository.blob(id), mapping: mapping)
            views[blob] = found
            return found
        }
        // The cheap answer first: a last change made on the main line itself (not a merge, not
        // ignored, not a rename) that altered the text readers see, against its parent, is the
        // answer, and is all that arrived with it; no history needs to be followed. This is the
        // usual pull request (pages edited, the date left): `check --changed-since` would
        // otherwise walk the whole history for it.
        var cheap: [(i: Int, last: ChangeFact, before: ObjectID)] = []
        for i in candidates where out[i] == nil && tracking[files[i].path] == nil && !shallow {
            guard let commit = files[i].commit, commit.parents.count == 1, !files[i].onlyMoved, !ignored.contains(commit.id.hex),
                  mainLine.arrival(of: commit.id) == commit.id, let last = placed[i].changes.first, last.commit == commit.id.hex,
                  let before = try? repository.entry(at: files[i].path, inCommit: commit.parents[0]),
                  before.kind == .blob || before.kind == .executable else { continue }
            cheap.append((i, last, before.id))
        }
        // The views these comparisons need, made ahead on all cores a batch at a time (a view
        // parses the whole page: one after another, they were most of what a cold run did on
        // one core after everything else). A blob that cannot be read here is left to `view`,
        // which reports it where it did; what is made ahead is the same value `view` makes.
        func makeViews(_ wanted: [String]) {
            let chunk = 1024
            var pending: [String] = []
            var taken: Set<String> = []
            for blob in wanted where views[blob] == nil && taken.insert(blob).inserted { pending.append(blob) }
            for start in stride(from: 0, to: pending.count, by: chunk) {
                var blobs: [String] = []
                var bytes: [[UInt8]] = []
                for blob in pending[start..<min(start + chunk, pending.count)] {
                    guard let id = ObjectID(hex: blob), let read = try? repository.blob(id) else { continue }
                    blobs.append(blob)
                    bytes.append(read)
                }
                let made = bytes.parallelMap(spreadFrom: 2) { ArticleParser.readerView($0, mapping: mapping) }
                for (blob, view) in zip(blobs, made) { views[blob] = view }
            }
        }
        makeViews(cheap.flatMap { [files[$0.i].blob.hex, $0.before.hex] })
        for (i, last, before) in cheap {
            guard let now = try view(files[i].blob.hex), let then = try view(before.hex), !now.readsTheSame(as: then) else { continue }
            let setter = now.lastUpdated != then.lastUpdated ? last.commit : nil
            let arrived = TextChangeArrival(change: last.commit, dateSetBy: setter)
            out[i] = (.change(last), arrived)
            if let key = keys[i]?.own {
                store?.insert(TextChangeCodec.Entry(key: key.material, answer: .change(last), arrival: last.commit, dateSetBy: setter), for: key.id)
            }
        }
        let searched = candidates.filter { out[$0] == nil }
        let never = ObjectID(hex: String(repeating: "f", count: 40))!
        var histories: [GitPath: [ChangeFact]] = [:]
        // Merges among the changes followed (by commit), whose two sides' order may depend on later commits.
        var merges: [String: [ObjectID]] = [:]  // a merge's commit id: its parents
        for i in searched { for step in followed[files[i].path] ?? [] where step.commit.parents.count > 1 { merges[step.commit.id.hex] = step.commit.parents } }
        let untracked = searched.filter { tracking[files[$0].path] == nil }
        if !untracked.isEmpty {
            var more = tracking
            for i in untracked { more[files[i].path] = [never] }
            let report = try engine.lastChanges(in: repository, at: revision, under: walk, tracking: more)
            for i in untracked {
                guard let steps = report.histories[files[i].path] else { continue }
                for step in steps where step.commit.parents.count > 1 { merges[step.commit.id.hex] = step.commit.parents }
                histories[files[i].path] = steps.map { Self.changeFact($0.commit, blob: $0.blob) }
            }
        }
        // Ahead, on all cores: the two versions each page's first comparison below reads (the
        // same steps up to it: most searches end there; later ones are made as they are reached,
        // as are those of a merge, which may be settled without them).
        // Each searched page's history, ignored revisions included (they are what the next change is
        // compared with), and only the changes that leave a file. A deletion is not text anyone
        // reads: the file at this path was gone until a later change put it back (a folder renamed
        // in letter case and back, say), and what counts is whether it came back saying something
        // else. Compared as "no text", every deletion read as a change (windows-powershell-docs: 24
        // false findings once the re-creating commits were listed in ignore-revisions).
        var searchedChanges: [Int: [ChangeFact]] = [:]
        for i in searched {
            var history = histories[files[i].path] ?? followed[files[i].path].map { $0.map { Self.changeFact($0.commit, blob: $0.blob) } }
                ?? placed[i].changes
            if histories[files[i].path] == nil, followed[files[i].path] != nil, files[i].onlyMoved, !history.isEmpty { history[0].changedContent = false }
            searchedChanges[i] = history.filter { $0.blobAfter != nil }
        }
        var firstCompared: [String] = []
        for i in searched {
            guard let changes = searchedChanges[i], let date = placed[i].article.lastUpdated else { continue }
            for (n, change) in changes.enumerated() {
                guard LastUpdatedNotBumpedRule.isLate(change, after: date), n + 1 < changes.count, merges[change.commit] == nil else { break }
                guard change.changedContent, !ignored.contains(change.commit) else { continue }
                firstCompared += [change.blobAfter, changes[n + 1].blobAfter].compactMap { $0 }
                break
            }
        }
        makeViews(firstCompared)
        // Each page's search, until it needs a view not made yet: the views all pending pages
        // need next are then made on all cores, and those pages searched again (the views made
        // are kept, so a page goes on where it stopped). One page after another, the views found
        // missing on the way were made on one core while the others stood idle (a cold run on
        // windows-powershell-docs: 0.1 s). A view that could not be made ahead is made where it is
        // needed (``view``), which reports a blob that cannot be read as before.
        var combines: [Int: [String: Bool]] = [:]  // page, merge commit: whether the merge only combines
        /// The answer for the searched page `i`, with `look` giving each version's view (`nil`:
        /// the page has no answer to give).
        func search(_ i: Int, look: (String?) throws -> ReaderView?) throws -> (answer: TextChange, arrived: TextChangeArrival?, orderFixed: Bool)? {
            guard let changes = searchedChanges[i], let date = placed[i].article.lastUpdated else { return nil }
            var answer = TextChange.none
            var foundAt: Int?
            // The changes looked at; none a merge: the answer does not depend on their order.
            var orderFixed = true
            for (n, change) in changes.enumerated() {
                guard LastUpdatedNotBumpedRule.isLate(change, after: date) else { break }
                guard n + 1 < changes.count else {
                    // The oldest change known: the file's creation (never a reason to bump), unless
                    // history is cut short. (Both the followed history and the one searched here
                    // reach the creation: an article with a single change was created by it.)
                    if shallow, !ignored.contains(change.commit) { answer = .change(change); foundAt = n }
                    break
                }
                let parents = merges[change.commit]
                if parents != nil { orderFixed = false }
                guard change.changedContent, !ignored.contains(change.commit) else { continue }
                // A merge that only put together changes the team listed as mechanical wrote
                // nothing readers need a date for. (One that brought any other change stays the
                // change found, as before: the commits it brought may be dated before
                // last-updated while readers met their text with the merge.) Worked out once per
                // merge and page, however often the page's search starts again.
                if let parents, let merged = change.blobAfter {
                    let only = try combines[i]?[change.commit] ?? Self.onlyCombines(merged, at: change.commit, parents: parents, path: files[i].path,
                                                                                    in: repository, bringing: changes[(n + 1)...], ignored: ignored)
                    combines[i, default: [:]][change.commit] = only
                    if only { continue }
                }
                if try !ReaderView.same(look(change.blobAfter), look(changes[n + 1].blobAfter)) {
                    answer = .change(change)
                    foundAt = n
                    break
                }
            }
            var arrived: TextChangeArrival?
            if let foundAt, let brought = arrival(changes[foundAt].commit) {
                // The change that set last-updated to its value, among those that reached the
                // main line with the change found: the end of a run of revisions with that value.
                let current = try look(changes[0].blobAfter)?.lastUpdated
                var setter: String?
                if let current {
                    for k in changes.indices where arrival(changes[k].commit) == brought {
                        guard try look(changes[k].blobAfter)?.lastUpdated == current else { continue }
                        // The oldest change known set it only if it created the file (not at a shallow boundary).
                        if try k + 1 == changes.count ? !shallow : look(changes[k + 1].blobAfter)?.lastUpdated != current {
                            setter = changes[k].commit
                            break
                        }
                    }
                }
                arrived = TextChangeArrival(change: brought, dateSetBy: setter)
            }
            return (answer, arrived, orderFixed)
        }
        var tried: Set<String> = []
        var pending = searched
        while !pending.isEmpty {
            var wanted: [String] = []
            var later: [Int] = []
            for i in pending {
                do {
                    guard let found = try search(i, look: { blob in
                        guard let blob, ObjectID(hex: blob) != nil else { return nil }
                        if let known = views[blob] { return known }
                        guard tried.contains(blob) else { throw ViewNotMade(blob: blob) }
                        return try view(blob)
                    }) else { continue }
                    out[i] = (found.answer, found.arrived)
                    // An answer whose order later commits may change holds at this revision only.
                    if let key = keys[i].map({ found.orderFixed ? $0.own : $0.atRevision }) {
                        store?.insert(TextChangeCodec.Entry(key: key.material, answer: found.answer, arrival: found.arrived?.change,
                                                            dateSetBy: found.arrived?.dateSetBy), for: key.id)
                    }
                } catch let missing as ViewNotMade {
                    wanted.append(missing.blob)
                    later.append(i)
                }
            }
            tried.formUnion(wanted)
            makeViews(wanted)
            pending = later
        }
        if var store {
            // A full read keeps only what this revision's articles use, so the cache does not grow with history.
            if only == nil { store.keep(only: Set(keys.values.flatMap { [$0.own.id, $0.atRevision.id] })) }
            store.save(repository)
        }
        return out
    }

    /// Whether the merge `merge`, whose version of `path` is the blob `merged`, only put
    /// together changes listed in ignore-revisions: every change to the file among `older` (the
    /// file's history before the merge) that the merge brought (an ancestor of the merge, not
    /// of the common ancestor) is listed in `ignored`, and the merge wrote nothing of its own.
    /// It wrote nothing when its lines are what a clean line merge of its parents' versions
    /// from their common ancestor gives (the lines any side added and the ancestor's lines no
    /// side removed, compared as sets, so order is not checked), or, for a merge that resolved
    /// a conflict, when each of its lines is one of a parent's and no lines were dropped from
    /// every parent at one place (``MergeLines/takesEveryLineFromAParent(result:parents:)``:
    /// `git diff --cc` shows nothing). Either way, `git blame` would blame none of its lines on
    /// it, and what it brought was declared mechanical. A merge that wrote lines of its own,
    /// dropped what every parent had, brought a change not listed, or whose versions cannot all
    /// be read (a rename across it, no common ancestor, a shallow clone): `false`, and it is
    /// compared as any commit is.
    static func onlyCombines(_ merged: String, at merge: String, parents: [ObjectID], path: GitPath, in repository: Repository,
                             bringing older: ArraySlice<ChangeFact>, ignored: Set<String>) throws -> Bool {
        typealias Lines = Set<ArraySlice<UInt8>>
        func bytes(at commit: ObjectID) throws -> [UInt8]? {
            guard let entry = try? repository.entry(at: path, inCommit: commit) else { return [] }  // absent: no lines
            guard entry.kind == .blob || entry.kind == .executable else { return nil }
            return try repository.blob(entry.id)
        }
        func lines(at commit: ObjectID) throws -> Lines? {
            try bytes(at: commit).map { Set($0.split(separator: 0x0A, omittingEmptySubsequences: false)) }
        }
        guard let id = ObjectID(hex: merged), let commit = ObjectID(hex: merge),
              (try? repository.entry(at: path, inCommit: commit))?.id == id,
              let base = repository.mergeBase(of: parents) else { return false }
        // What the merge brought: every such change must be one the team listed.
        for change in older {
            guard let brought = ObjectID(hex: change.commit) else { return false }
            if repository.contains(brought, in: base) { continue }
            guard repository.contains(brought, in: commit) else { continue }
            guard ignored.contains(change.commit) || !change.changedContent else { return false }
        }
        guard let ancestor = try lines(at: base), let result = try lines(at: commit) else { return false }
        var sides: [Lines] = []
        for parent in parents {
            guard let side = try lines(at: parent), !side.isEmpty else { return false }
            sides.append(side)
        }
        let added = sides.reduce(into: Lines()) { $0.formUnion($1.subtracting(ancestor)) }
        let kept = sides.reduce(ancestor) { $0.intersection($1) }
        if result == added.union(kept) { return true }
        // A conflict resolved: only lines its parents had, in their places.
        var versions: [[UInt8]] = []
        for parent in parents {
            guard let version = try bytes(at: parent) else { return false }
            versions.append(version)
        }
        guard let merged = try bytes(at: commit) else { return false }
        return MergeLines.takesEveryLineFromAParent(result: merged, parents: versions) == true
    }

    /// The records each article read owns (by index into `files`). Records are filed by the
    /// folder ``ContentRoots/recordDirectory(of:)`` names; where several articles share one
    /// (paths that differ only in normalization or case, or a repeated slug), a record belongs
    /// to the article whose path it names byte for byte, else to the one whose history holds the
    /// revision it names (a renamed article), else to the first (where it applies to nothing
    /// and says so). No record is given to two articles, and none is lost.
    private static func recordOwners(_ records: [GitPath: [SignOffRecord]], files: [FileLastChange], placed: [Placed]) -> [[SignOffRecord]] {
        var out = [[SignOffRecord]](repeating: [], count: files.count)
        guard !records.isEmpty else { return out }
        var byDirectory: [GitPath: [Int]] = [:]
        for i in files.indices { byDirectory[placed[i].directory, default: []].append(i) }
        for (directory, sharing) in byDirectory {
            guard let filed = records[directory] else { continue }
            guard sharing.count > 1 else { out[sharing[0]] = filed; continue }
            for record in filed {
                let named = sharing.first { files[$0].path == record.signOff.article }
                let holding = sharing.first { i in
                    files[i].blob.hex == record.signOff.blob || placed[i].changes.contains { $0.blobAfter == record.signOff.blob }
                }
                out[named ?? holding ?? sharing[0]].append(record)
            }
        }
        return out
    }

    /// Starts parsing, on the other cores, the article blobs of `tree`, as the committed policy
    /// lays articles out (where the policy in force differs, the loader parses what it lacks
    /// itself). A tree that cannot be listed is left to the loader to report.
    ///
    /// - Parameters:
    ///   - committed: the committed configuration (`nil`: unreadable).
    ///   - keepsBodies: whether the articles parsed ahead keep their bodies: where evaluating
    ///     under the committed policy reads none, they keep none (the loader takes any it needs
    ///     after all from `bodies`, or from the article's blob where no body cache is built).
    private func parseAhead(tree: ObjectID, committed: Configuration?, keepsBodies: Bool, bodies: BodyCacheBuffer?,
                            articles: ArticleCacheBuffer?) -> ParsePrefetch? {
        let threads = ParsePrefetch.spareThreads
        guard threads > 0 else { return nil }
        let layout = committed?.policy.content ?? ContentRoots()
        // Likewise reading levels: measured where the committed policy reads them.
        let measuresReadability = committed.map { WorkflowEngine.readsReadability($0.policy) } ?? true
        var seen: Set<ObjectID> = []
        guard let files = try? repository.files(under: GitPath(layout.walkDirectory), inTree: tree) else { return nil }
        let blobs = files.compactMap { file -> ObjectID? in
            guard file.kind == .blob || file.kind == .executable, layout.isArticle(file.path), seen.insert(file.id).inserted else { return nil }
            return file.id
        }
        return ParsePrefetch(gitDirectory: repository.gitDirectory, blobs: blobs, threads: threads, bodies: bodies, keepsBodies: keepsBodies,
                             articles: articles, measuresReadability: measuresReadability)
    }

    /// An article as the file at its path, with what placing it found (``load()``).
    struct Placed: Sendable {
        var article: Article
        var findings: [Finding]
        /// Its changes, newest first (its whole history when followed).
        var changes: [ChangeFact]
        var links: [LinkCheck]
        /// Where its slug must be unique: the slug's scope, NUL, the slug.
        var slugKey: GitPath
        /// Where its records are filed.
        var directory: GitPath
        /// Whether its last change lands after its last-updated (the text-change search looks
        /// for what readers saw change): decided here, on all cores, not in a loop over every
        /// article after the placing.
        var textChangeCandidate = false
    }

    /// Whether the text-change search looks at `placed`: its last change altered its content and
    /// lands after its last-updated (which its front matter states) and the rule's tolerance.
    static func isTextChangeCandidate(_ placed: Placed, mapping: FrontMatterMapping) -> Bool {
        guard let date = placed.article.lastUpdated, placed.article.line(of: mapping.lastUpdated) != nil,
              let last = placed.changes.first, last.changedContent else { return false }
        return LastUpdatedNotBumpedRule.isLate(last, after: date)
    }

    /// A page's text-change search stopped: it needs the view of `blob`, not made yet.
    private struct ViewNotMade: Error { let blob: String }

    /// A link that leads nowhere, or may: one outside the articles' folder is broken only if
    /// the revision's tree has nothing at its path (looked up by the caller).
    enum LinkCheck: Sendable {
        case broken(Finding)
        case brokenUnlessInTree(path: GitPath, Finding)

        /// Whether the revision's tree must be looked at to know.
        var needsTree: Bool { if case .brokenUnlessInTree = self { true } else { false } }
    }

    /// What is settled about an article one article after another, before its facts are put
    /// together on all cores.
    private struct Settled: Sendable {
        /// Its broken links' findings, where some needed the tree looked at (`nil`: all of its
        /// `.broken` ones).
        var linkFindings: [Finding]?
        /// Its slug is taken by an article before it.
        var slugFinding: Finding?
        /// Findings about the records filed where its records are.
        var recordFindings: [Finding] = []
        /// The earlier revisions its sign-offs name.
        var revisions: [String: (article: Article, sha256: String)] = [:]
    }

    /// An article as the file at `path` (``ParsedContent/located(at:content:frontMatter:)``), with
    /// its links checked (``linkChecks(_:existing:byFoldedCase:walk:revision:)``): what placing it
    /// needs of neither its history nor other articles.
    static func placement(_ content: ParsedContent, at path: GitPath, layout: ContentRoots, frontMatter: FrontMatterMapping,
                          existing: Set<GitPath>, byFoldedCase: Eventually<[String: [GitPath]]>, walk: String,
                          revision: String) -> PlacingAhead.Placement {
        let (article, findings) = content.located(at: path, content: layout, frontMatter: frontMatter)
        return PlacingAhead.Placement(article: article, findings: findings,
                                      links: linkChecks(article, existing: existing, byFoldedCase: byFoldedCase, walk: walk, revision: revision))
    }

    /// The relative links and images of the article that lead to nothing at this revision
    /// (files below the articles' folder are `existing`; others are for the caller to look up
    /// in the tree), in the article's order.
    private static func linkChecks(_ article: Article, existing: Set<GitPath>, byFoldedCase: Eventually<[String: [GitPath]]>, walk: String,
                                   revision: String) -> [LinkCheck] {
        let directory = SiteLinks(articlePath: article.path).directory
        var checks: [LinkCheck] = []
        for link in article.relativeLinks {
            let target = SiteLinks.withoutQueryOrFragment(link.url)
            guard !target.isEmpty else { continue }
            guard let path = SiteLinks.resolve(target, from: directory).map({ GitPath($0) }) else {
                checks.append(.broken(Finding(.brokenLink, path: article.path, line: link.line,
                                              "the link '\(link.url)' leads outside the repository; link inside it or use a full https address")))
                continue
            }
            if existing.contains(path) { continue }
            let folded = byFoldedCase.value[ConfusablePaths.key(path)] ?? []
            if folded.count == 1, let real = folded.first {
                checks.append(.broken(Finding(.linkCaseMismatch, path: article.path, line: link.line,
                                              "the link '\(link.url)' differs only in letter case from \(real.escaped): it works on case-insensitive hosts and breaks on case-sensitive ones; write the link as '\(Self.recased(link.url, to: real))'")))
                continue
            }
            // A link to another extension of a file that exists (Set-MpPreference.yml for .md).
            let sibling = Self.withOtherExtension(path, in: existing)
            let finding = Finding(.brokenLink, path: article.path, line: link.line,
                                  "the link '\(link.url)' leads to \(path), which does not exist at \(revision)"
                                  + (sibling.map { "; \($0.escaped) exists beside it: link to that" } ?? "; fix the address or add the file"))
            checks.append(walk.isEmpty || path.hasPrefix(walk + "/") ? .broken(finding) : .brokenUnlessInTree(path: path, finding))
        }
        return checks
    }

    /// The content of `blob` as cached, with its body where one is needed (`nil`: parse it again).
    private static func cachedContent(_ blob: ObjectID, cache: ArticleCache, bodyCache: BodyCache, bodyBuffer: BodyCacheBuffer?,
                                      needsReadability: Bool, needsBodies: Bool) -> ParsedContent? {
        guard let content = cache[blob], content.article.readability != nil || !needsReadability else { return nil }
        guard needsBodies, !content.hasBody else { return content }
        return cachedBody(blob, bodyCache: bodyCache, bodyBuffer: bodyBuffer).map { content.with(body: $0) }
    }

    /// A body the body cache read or being built holds.
    private static func cachedBody(_ blob: ObjectID, bodyCache: BodyCache, bodyBuffer: BodyCacheBuffer?) -> String? {
        bodyCache[blob] ?? bodyBuffer?.body(for: blob)
    }

    /// The link `url` with its path's last components spelt as in `real` (the query and fragment kept).
    static func recased(_ url: String, to real: GitPath) -> String {
        let target = SiteLinks.withoutQueryOrFragment(url)
        let rest = url.dropFirst(target.count)
        var parts = target.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let realParts = real.text.split(separator: "/").map(String.init)
        // Walk back from the end: each component that names a real one (up to case) takes its spelling.
        var r = realParts.count - 1
        for i in parts.indices.reversed() where r >= 0 {
            let part = parts[i]
            if part == "." || part == ".." || part.isEmpty { break }
            guard part.lowercased() == realParts[r].lowercased() else { break }
            parts[i] = realParts[r]
            r -= 1
        }
        return parts.joined(separator: "/") + rest
    }

    /// A file beside `path` with the same name but another extension (`.md` for `.yml`), if
    /// exactly one exists.
    static func withOtherExtension(_ path: GitPath, in existing: Set<GitPath>) -> GitPath? {
        let text = path.text
        guard let dot = text.lastIndex(of: "."), !text[dot...].contains("/") else { return nil }
        let stem = text[..<dot]
        let found = [".md", ".mdx", ".yml", ".yaml"].map { GitPath(stem + $0) }.filter { $0 != path && existing.contains($0) }
        return found.count == 1 ? found[0] : nil
    }

    /// Every earlier wording each disclaimer file held (in a stable order), without the current one.
    private static func disclaimerHistory(_ files: [(path: GitPath, bytes: [UInt8])], current: [String: String]) -> [String: [String]] {
        var out: [String: [String]] = [:]
        // Files directly in the folder only, as for the current wordings.
        for file in files where file.path.hasSuffix(".md") && file.path.parent == GitPath(ContentLayout.disclaimersDirectory) {
            let id = Slug.of(file.path.text)
            guard case .success(let text) = TextDecoding.decode(file.bytes),
                  text.contains(where: { !$0.isWhitespace }), text != current[id], out[id]?.contains(text) != true else { continue }
            out[id, default: []].append(text)
        }
        return out
    }

    private static func changeFact(_ commit: CommitInfo, blob: ObjectID?) -> ChangeFact {
        var fact = ChangeFact(commit: commit.id.hex, authorName: commit.author.name, authorEmail: commit.author.email,
                              date: Day(secondsSinceEpoch: commit.committer.time),
                              localDate: Day(secondsSinceEpoch: commit.committer.time + Int64(commit.committer.offsetMinutes) * 60),
                              blobAfter: blob?.hex)
        fact.time = commit.committer.time
        fact.authorTime = commit.author.time
        fact.coAuthors = commit.coAuthors
        fact.committerName = commit.committer.name
        fact.committerEmail = commit.committer.email
        return fact
    }
}

/// The review configuration at one revision: policy, reviewers and disclaimers, read the one
/// way every command reads them (a broken file is a ``ReviewError`` naming it).
struct Configuration {
    var policy: Policy
    var reviewers: [Reviewer]
    /// Disclaimer id → canonical text.
    var disclaimers: [String: String]
    /// Commits that are never an article's last change (`Reviews/ignore-revisions`).
    var ignoredRevisions: Set<String> = []
    /// Record files that cannot count and no longer block (`Reviews/acknowledged-records`).
    var acknowledgedRecords: Set<AcknowledgedRecords.Entry> = []
    /// Content-rule findings counted as in the baseline (`Reviews/accepted-findings.yml`).
    var acceptedFindings = AcceptedFindings()
    /// The site's stylesheet, footer and logo (`Reviews/site/`), as the configuration in force has them.
    var siteFiles: [GitPath: [UInt8]] = [:]

    /// - Parameter readingReviewers: parse reviewers.yml too (`reviewer add` edits its text
    ///   instead, and can repair a reviewers file that does not parse).
    static func read(from repository: Repository, tree: ObjectID, at revision: ObjectID, readingReviewers: Bool = true) throws -> Configuration {
        var files: [GitPath: [UInt8]] = [:]
        for path in [Policy.path, Reviewer.path, IgnoreRevisions.path, AcknowledgedRecords.path, AcceptedFindings.path] {
            files[path] = try fileBytes(path, in: repository, tree: tree)
        }
        for directory in [ContentLayout.disclaimersDirectory, ConfigurationFiles.siteDirectory] {
            for entry in try repository.files(under: GitPath(directory), inTree: tree) where entry.kind == .blob {
                files[entry.path] = try repository.blob(entry.id)
            }
        }
        return try parse(files, at: revision, readingReviewers: readingReviewers)
    }

    /// The configuration in `files` (path → bytes: the policy, reviewers and disclaimer files).
    static func parse(_ files: [GitPath: [UInt8]], at revision: ObjectID, readingReviewers: Bool = true) throws(ReviewError) -> Configuration {
        var disclaimers: [String: String] = [:]
        let prefix = ContentLayout.disclaimersDirectory + "/"
        // A disclaimer is a file directly in the folder (a copy in a subfolder never stands in for
        // it), and its id is its name: two files whose names read alike (normalization or case)
        // would be one id, so neither is taken (issue 31: a twin replaced the legal wording).
        var named: [String: GitPath] = [:]
        for (path, bytes) in files.sorted(by: { $0.key < $1.key }) where path.hasPrefix(prefix) && path.hasSuffix(".md") {
            guard path.parent == GitPath(ContentLayout.disclaimersDirectory) else { continue }
            let id = Slug.of(path.text)
            if let other = named[id.lowercased()] {
                throw ReviewError(file: path.text, "this disclaimer and \(other.escaped) ('\(path.escaped)') have names that read alike, so which one a category requires is unclear",
                                  remedy: "rename or remove one of them (git mv)")
            }
            named[id.lowercased()] = path
            guard case .success(let text) = TextDecoding.decode(bytes) else {
                throw ReviewError(file: path.text, line: 1, "the disclaimer is not UTF-8 text", remedy: "save it as UTF-8")
            }
            guard text.contains(where: { !$0.isWhitespace }) else {
                throw ReviewError(file: path.text, line: 1, "the disclaimer is empty, so every article would carry it trivially",
                                  remedy: "write the disclaimer's text into it")
            }
            disclaimers[id] = text
        }
        guard let policyBytes = files[Policy.path] else {
            throw ReviewError(file: Policy.path.text, "there is no review policy at \(revision.short)",
                              remedy: "run 'review init' or commit \(Policy.path)")
        }
        let policy = try PolicyParser.parse(policyBytes, disclaimerIDs: Set(disclaimers.keys))
        let ignored = try files[IgnoreRevisions.path].map { (bytes) throws(ReviewError) in try IgnoreRevisions.parse(bytes) } ?? []
        let acknowledged = try files[AcknowledgedRecords.path].map { (bytes) throws(ReviewError) in try AcknowledgedRecords.parse(bytes) } ?? []
        let accepted = try files[AcceptedFindings.path].map { (bytes) throws(ReviewError) in try AcceptedFindings.parse(bytes) } ?? AcceptedFindings()
        let site = files.filter { $0.key.hasPrefix(ConfigurationFiles.siteDirectory + "/") }
        guard readingReviewers else {
            return Configuration(policy: policy, reviewers: [], disclaimers: disclaimers, ignoredRevisions: ignored, acknowledgedRecords: acknowledged,
                                 acceptedFindings: accepted, siteFiles: site)
        }
        let reviewers = try files[Reviewer.path].map { (bytes) throws(ReviewError) in
            try ReviewersParser.parse(bytes, roles: policy.roles)
        } ?? []
        return Configuration(policy: policy, reviewers: reviewers, disclaimers: disclaimers, ignoredRevisions: ignored, acknowledgedRecords: acknowledged,
                             acceptedFindings: accepted, siteFiles: site)
    }

    /// Where articles live as the committed policy at `commit` says (the contract's layout when
    /// it cannot be read: every command that reads it fully reports why). Only for finding
    /// paths cheaply before the snapshot is read (article lookup, `--changed-since` scope): the
    /// snapshot then judges with the layout in force, and a committed layout that differs is an
    /// unsigned change, itself a blocking finding of the same run.
    static func layout(in repository: Repository, at commit: ObjectID) -> ContentRoots {
        guard let tree = try? repository.commit(commit).tree,
              let configuration = try? read(from: repository, tree: tree, at: commit, readingReviewers: false) else { return ContentRoots() }
        return configuration.policy.content
    }

    /// The bytes of a regular file in `tree`, or `nil` when there is none.
    static func fileBytes(_ path: GitPath, in repository: Repository, tree: ObjectID) throws -> [UInt8]? {
        guard let entry = try repository.entry(at: path, inTree: tree), entry.kind == .blob || entry.kind == .executable else { return nil }
        return try repository.blob(entry.id)
    }
}

extension SnapshotLoader {
    /// The articles the cache holds, each located and its links checked (``placement(_:at:layout:frontMatter:existing:byFoldedCase:walk:revision:)``)
    /// on another thread while the loader reads the record log and walks history: neither needs
    /// history, and a warm run's other core was otherwise idle for that walk (windows-powershell-docs'
    /// warm `status`: 0.708 to 0.660 s). ``finish()`` stops it where it is; the loader places the
    /// rest on all cores, as it places articles that were not cached.
    final class PlacingAhead: @unchecked Sendable {
        struct Placement: Sendable {
            var article: Article
            var findings: [Finding]
            var links: [LinkCheck]
        }

        /// Set by ``cancel()``, under `lock`: the placing thread stops at its next look.
        private let lock = NSLock()
        private var stopping = false
        private let done = DispatchGroup()
        /// Written once by the placing thread before `done` is left; read only after waiting.
        private var existing: Set<GitPath> = []
        private var placements: [Placement?] = []

        /// - Parameters:
        ///   - files: the revision's files below the articles' folder (what `placements` is indexed by).
        ///   - only: the articles read (all: `nil`).
        ///   - bodies: where articles are placed with their bodies, the body cache (`.some(nil)`
        ///     where there is none: an article cached without its body is left to the loader).
        ///   - readability: whether reading levels are read (an article cached without one is
        ///     left to the loader).
        ///   - place: ``placement(_:at:layout:frontMatter:existing:byFoldedCase:walk:revision:)``, given
        ///     the files' paths as a set.
        init(_ files: [TreeFile], cache: Eventually<ArticleCache>, only: Set<GitPath>?, layout: ContentRoots, frontMatter: FrontMatterMapping,
             bodies: Eventually<BodyCache>??, readability: Bool, place: @escaping @Sendable (ParsedContent, GitPath, Set<GitPath>) -> Placement) {
            done.enter()
            DispatchQueue.global(qos: .userInitiated).async { [self] in
                let existing = Set(files.lazy.map { $0.path })
                var placements = [Placement?](repeating: nil, count: files.count)
                let cache = cache.value
                let bodyCache = bodies.map { $0?.value }
                for (i, file) in files.enumerated() {
                    // It looks every 32 files, never before the 32nd: a small site is placed
                    // here whole, whenever it is stopped (and its tests check this path).
                    if i > 0, i % 32 == 0, lock.withLock({ stopping }) { break }
                    guard file.kind == .blob || file.kind == .executable, layout.isArticle(file.path), SnapshotLoader.wanted(file.path, only: only),
                          var content = cache[file.id], content.article.readability != nil || !readability else { continue }
                    // As the loader's `cachedContent` has it.
                    if let bodyCache, !content.hasBody {
                        guard let body = bodyCache?[file.id] else { continue }
                        content = content.with(body: body)
                    }
                    placements[i] = place(content, file.path, existing)
                }
                self.existing = existing
                self.placements = placements
                done.leave()
            }
        }

        /// Stops the placing and returns the files as a set and what was placed, indexed as the files.
        func finish() -> (existing: Set<GitPath>, placements: [Placement?]) {
            cancel()
            done.wait()
            return (existing, placements)
        }

        /// Stops the placing at its next look, without waiting for it.
        func cancel() { lock.withLock { stopping = true } }
    }
}
