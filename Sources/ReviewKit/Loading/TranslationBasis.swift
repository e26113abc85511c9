import Paths
import ReviewCore
import GitKit

/// Reads each translation's source and basis (issue 37) for ``RepositorySnapshot``: the
/// source the policy's `translations:` names, and the source revision the translation was made
/// from: its front matter's `translated-from` when present (checked to be a revision of the
/// source, through the same history engine), else the source's blob at the commit that last
/// changed the translation (one tree lookup per such commit, no walk).
struct TranslationBasis {
    let repository: Repository
    let revision: ObjectID
    let walk: String
    let engine: HistoryEngine
    let policy: Policy
    /// Whether the reader texts of source revisions are kept in ``ReaderTextCache``; whether
    /// this read saw every article (what it did not use is then dropped from the cache).
    var usesCaches = false
    var readsEverything = false

    /// Sets ``ArticleFacts/translation`` on each translation among `articles`. `articlePaths`:
    /// every article at the revision (read this time or not).
    func attach(_ articles: inout [ArticleFacts], articlePaths: Set<GitPath>) throws {
        let translations = policy.translations
        guard !translations.isEmpty else { return }
        var index: [GitPath: Int] = [:]
        for (i, facts) in articles.enumerated() where index[facts.article.path] == nil { index[facts.article.path] = i }
        var trees: [String: ObjectID] = [:]
        // Front-matter bases not among the source revisions already known: source → blobs.
        var unconfirmed: [GitPath: Set<ObjectID>] = [:]
        var found: [Int] = []
        for i in articles.indices {
            let article = articles[i].article
            guard let located = translations.locate(article) else { continue }
            var facts = TranslationFacts(source: located.source, language: located.language, sourceExists: articlePaths.contains(located.source))
            facts.line = located.line
            found.append(i)
            if let entry = article.frontMatter.first(where: { $0.key == translations.basisKey }) {
                facts.basisFrom = .frontMatter
                facts.line = entry.value.line
                let text = entry.value.string.map { String($0.filter { !$0.isWhitespace }) } ?? ""
                if let id = ObjectID(hex: text.lowercased()) {
                    facts.basis = id.hex
                    if let s = index[located.source], !Self.knownRevisions(of: articles[s]).contains(id.hex) {
                        unconfirmed[located.source, default: []].insert(id)
                    }
                } else {
                    facts.invalidBasis = true
                    facts.basisProblem = "'\(translations.basisKey): \(text)' is not a git blob id; set it to the blob id of the revision of \(located.source.escaped) the translation was made from (git rev-parse COMMIT:\(located.source.text))"
                }
            } else if let last = articles[i].lastChange, !last.changedContent {
                // A rename: the source then is not what the translation was made from (history at
                // the old path is not followed), so the basis is not known: fail closed.
                facts.basisFrom = .history
                facts.basisCommit = last.commit
                facts.basisProblem = "the translation's last change (commit \(last.commit.prefix(7))) only moved it, so history does not say which revision of \(located.source.escaped) it was made from; set \(translations.basisKey): to that revision's blob id"
            } else if let last = articles[i].lastChange {
                facts.basisFrom = .history
                facts.basisCommit = last.commit
                let tree: ObjectID
                if let known = trees[last.commit] {
                    tree = known
                } else {
                    guard let commit = ObjectID(hex: last.commit) else { continue }
                    tree = try repository.commit(commit).tree
                    trees[last.commit] = tree
                }
                if let entry = try repository.entry(at: located.source, inTree: tree), entry.kind == .blob || entry.kind == .executable {
                    facts.basis = entry.id.hex
                } else {
                    facts.basisProblem = "\(located.source.escaped) did not exist when the translation last changed (commit \(last.commit.prefix(7))), so the revision it was made from is unknown; set \(translations.basisKey): to it"
                }
            } else {
                facts.basisFrom = .history
                facts.basisProblem = "the commit that last changed the translation is past the history this clone holds, so the revision it was made from is unknown; fetch more history or set \(translations.basisKey):"
            }
            articles[i].translation = facts
        }
        guard !found.isEmpty else { return }
        // Front-matter bases history has not shown yet: follow those sources back until each
        // basis turns up, or history ends (then it is no revision of the source).
        var confirmed: [GitPath: Set<String>] = [:]
        if !unconfirmed.isEmpty {
            let report = try engine.lastChanges(in: repository, at: revision, under: walk, tracking: unconfirmed)
            for (path, steps) in report.histories { confirmed[path] = Set(steps.compactMap { $0.blob?.hex }) }
        }
        // What readers see (title, summary, body as read) of source revisions, as a digest of
        // the text, each read once, and kept for the next run.
        let mapping = policy.frontMatter
        let keys = ReaderTextCodec.keys(mapping)
        var store = usesCaches ? ReaderTextCache.load(repository) : nil
        var used: Set<ObjectID> = []
        var texts: [String: [UInt8]?] = [:]
        func text(_ blob: String) throws -> [UInt8]? {
            if let known = texts[blob] { return known }
            guard let id = ObjectID(hex: blob) else { texts[blob] = .some(nil); return nil }
            used.insert(id)
            let entry: ReaderTextCodec.Entry
            if let stored = store?[id], stored.keys == keys {
                entry = stored
            } else {
                entry = ReaderTextCodec.entry(try repository.blob(id), mapping: mapping)
                store?.insert(entry, for: id)
            }
            texts[blob] = entry.digest
            return entry.digest
        }
        for i in found {
            guard var facts = articles[i].translation, let s = index[facts.source] else { continue }
            let source = articles[s]
            let known = Self.knownRevisions(of: source)
            if facts.basisFrom == .frontMatter, let basis = facts.basis, !known.contains(basis), confirmed[facts.source]?.contains(basis) != true {
                facts.invalidBasis = true
                facts.basisProblem = "'\(policy.translations.basisKey): \(basis)' is no revision of \(facts.source.escaped) in this branch's history; set it to the blob id of the revision the translation was made from (git rev-parse COMMIT:\(facts.source.text))"
            }
            if let basis = facts.basis, !facts.invalidBasis {
                // The source's revisions an approval names (and its current one) that read as the basis does.
                let candidates = Set(source.signOffs.map(\.signOff.blob) + [source.blob]).subtracting([basis])
                if !candidates.isEmpty, let basisText = try text(basis) {
                    for candidate in candidates.sorted() where try text(candidate) == basisText { facts.sameText.insert(candidate) }
                }
            }
            articles[i].translation = facts
        }
        if var store {
            if readsEverything { store.keep(only: used) }
            store.save(repository)
        }
    }

    /// The revisions of a source that its history, as read, already shows.
    static func knownRevisions(of facts: ArticleFacts) -> Set<String> {
        Set(facts.changes.compactMap(\.blobAfter) + [facts.blob])
    }
}
