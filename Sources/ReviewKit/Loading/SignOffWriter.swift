import Paths
import ReviewCore
import SystemCrypto
import GitKit

/// A sign-off someone wants to record.
public struct SignOffRequest: Sendable {
    /// A slug or a path under `Articles/`.
    public var article: String
    public var reviewer: String
    public var role: String
    public var decision: SignOff.Decision
    public var comment: String
    /// Seconds since the epoch (UTC): when the decision is signed.
    public var timestamp: Int64
    /// A retraction's public reason (required for `retract`).
    public var reason: String? = nil
    /// An approval's public change note ("What changed" on the page).
    public var changeNote: String? = nil

    public init(article: String, reviewer: String, role: String, decision: SignOff.Decision, comment: String, timestamp: Int64) {
        self.article = article
        self.reviewer = reviewer
        self.role = role
        self.decision = decision
        self.comment = comment
        self.timestamp = timestamp
    }
}

/// How a record gets its signature: signed here with the reviewer's private key (`review
/// approve`), or already signed elsewhere (the dashboard: the reviewer's browser signed it, and
/// the server holds no key).
public enum SignOffSigning {
    case key(Curve25519.Signing.PrivateKey)
    /// A record signed elsewhere; `now` is the server's clock, which the record's time must be
    /// close to (``SignOffWriter/submissionWindow``): an old signed record cannot be replayed.
    case signed(SignOff, now: Int64)
}

/// Writes signed sign-off records and commits them onto the checked-out branch.
public enum SignOffWriter {
    /// How far a record signed elsewhere may be from the server's clock when it is submitted.
    public static let submissionWindow: Int64 = 300

    /// Commits a record signed elsewhere (the dashboard), after exactly the checks `approve`
    /// makes, plus: the signature verifies with the key the configuration in force lists, the
    /// record is for the article's current revision, it was signed within
    /// ``submissionWindow`` of `now`, and the same record is not already in the history.
    public static func record(signed signOff: SignOff, now: Int64, in repository: Repository) throws(ReviewError) -> (SignOffRecord, ObjectID) {
        var request = SignOffRequest(article: signOff.article.text, reviewer: signOff.reviewer, role: signOff.role,
                                     decision: signOff.decision, comment: signOff.comment, timestamp: signOff.timestamp)
        request.reason = signOff.reason
        request.changeNote = signOff.changeNote
        let (records, commit) = try ReviewError.wrapping { try recordUnchecked([request], in: repository, signing: .signed(signOff, now: now)) }
        return (records[0], commit)
    }

    /// Checks the request against the policy, reviewers and history, signs it and commits it.
    ///
    /// Nothing is written when anything is wrong: unknown article, reviewer or role, an expired
    /// key, self-approval, a key that does not match reviewers.yml, or a detached HEAD.
    /// - Returns: the record and the new commit.
    public static func record(_ request: SignOffRequest, in repository: Repository,
                              key: Curve25519.Signing.PrivateKey) throws(ReviewError) -> (SignOff, ObjectID) {
        let (records, commit) = try record([request], in: repository, key: key)
        return (records[0].signOff, commit)
    }

    /// Several decisions by one key (`review approve` of a list or a folder): each checked
    /// exactly as a single one, one signed record per article, all in one commit. When any is
    /// refused, nothing is written and the error names each refusal.
    public static func record(_ requests: [SignOffRequest], in repository: Repository,
                              key: Curve25519.Signing.PrivateKey) throws(ReviewError) -> ([SignOffRecord], ObjectID) {
        guard !requests.isEmpty else { throw ReviewError("no article to sign", remedy: "name articles or a --folder with articles in it") }
        return try ReviewError.wrapping { try recordUnchecked(requests, in: repository, signing: .key(key)) }
    }

    private static func recordUnchecked(_ requests: [SignOffRequest], in repository: Repository,
                                        signing: SignOffSigning) throws -> ([SignOffRecord], ObjectID) {
        let branch = try repository.currentBranch()
        let tip = try repository.headCommit()
        // Read only the articles being signed, with their whole history: once a record exists,
        // status follows that history too (for self-approval), so the judgement here is the
        // one status will make.
        let all = try ArticleLookup.articles(in: repository, at: tip)
        let found = try requests.map { (request) throws(ReviewError) in try ArticleLookup.find(request.article, in: all.articles, content: all.content) }
        var seen: Set<GitPath> = []
        for article in found where !seen.insert(article.path).inserted {
            throw ReviewError(file: article.path, "is named twice", remedy: "name each article once")
        }
        let snapshot = try RepositorySnapshot.load(from: repository, revision: tip, only: Set(found.map(\.path)), trackAll: true)
        var signed: [(SignOff, FileChange)] = []
        var refusals: [ReviewError] = []
        for (request, article) in zip(requests, found) {
            do {
                let signOff = try check(request, article: article, snapshot: snapshot, signing: signing)
                let path = signOff.canonicalPath(in: snapshot.policy.content.recordDirectory(of: signOff.article))
                signed.append((signOff, .write(path, signOff.fileText)))
            } catch let error as ReviewError {
                // A problem with the reviewer, role or key is the same for every article: stop.
                if requests.count == 1 || error.file != article.path.text { throw error }
                refusals.append(error)
            }
        }
        if !refusals.isEmpty {
            let listed = refusals.prefix(3).map { "\($0.file ?? ""): \($0.problem)" }.joined(separator: "; ")
            throw ReviewError("refused \(refusals.count) of \(requests.count) articles, so nothing was written: \(listed)\(refusals.count > 3 ? "; …" : "")",
                              remedy: "leave those out, or fix them and run the command again")
        }

        let first = signed[0].0
        let reviewer = snapshot.configuration(asOf: first.day).reviewer(first.reviewer)!
        let email = reviewer.emails.first ?? "\(reviewer.id)@reviewers.invalid"
        // A record signed elsewhere is committed at the server's time, not the time it claims:
        // the commit is what bounds a record's claimed time (timestamp-out-of-range).
        var time = requests[0].timestamp
        if case .signed(_, let now) = signing { time = now }
        let signature = Signature(name: reviewer.name, email: email, time: time)
        let verb = switch first.decision {
        case .approve: "Approve"
        case .requestChanges: "Request changes on"
        case .retract: "Retract"
        }
        var message: String
        if signed.count == 1 {
            message = "\(verb) \(Slug.of(first.article.text)) (\(first.role)) by \(reviewer.id)\n\n"
                + "Revision \(first.blob) of \(first.article).\n" + (first.comment.isEmpty ? "" : "\n\(first.comment)\n")
                + (first.reason.map { "\nReason (public): \($0)\n" } ?? "") + (first.changeNote.map { "\nChange note (public): \($0)\n" } ?? "")
        } else {
            message = "\(verb) \(signed.count) articles (\(first.role)) by \(reviewer.id)\n\n"
            for (signOff, _) in signed { message += "Revision \(signOff.blob) of \(signOff.article).\n" }
            if !first.comment.isEmpty { message += "\n\(first.comment)\n" }
        }
        let changes = signed.map(\.1)
        let commit = try repository.commit(onto: branch, author: signature, committer: signature, message: message) { (current) throws(RepositoryError) -> [FileChange] in
            // Another writer may have landed first: the records still apply if the articles are unchanged.
            guard let current, current != tip else { return changes }
            for (signOff, change) in signed {
                let blob = try repository.entry(at: signOff.article, inCommit: current)?.id.hex
                // (A retraction names the published revision, whatever the branch holds.)
                guard blob == signOff.blob || signOff.decision == .retract else {
                    throw .aborted("\(signOff.article) changed while this ran; review the new revision and run the command again")
                }
                guard try repository.entry(at: change.path, inCommit: current) == nil else {
                    throw .aborted("\(change.path) is already recorded (another writer landed the same decision first)")
                }
            }
            return changes
        }
        return (signed.map { SignOffRecord(path: $0.1.path, signOff: $0.0) }, commit)
    }

    /// One request judged exactly as `status` will judge its record; returns it signed.
    private static func check(_ request: SignOffRequest, article found: Article, snapshot: RepositorySnapshot,
                              signing: SignOffSigning) throws -> SignOff {
        guard let facts = snapshot.articles.first(where: { $0.article.path == found.path }) else {
            throw ReviewError(file: found.path, "is not a readable article", remedy: "see 'review status'")
        }
        let configuration = snapshot.configuration(asOf: Day(secondsSinceEpoch: request.timestamp))
        guard let reviewer = configuration.reviewer(request.reviewer) else {
            let unsigned = snapshot.trustFindings.contains { $0.rule == .unsignedConfiguration || $0.rule == .configurationRollback }
            throw ReviewError(file: Reviewer.path, "no reviewer '\(request.reviewer)' in the configuration in force",
                              remedy: unsigned ? "a configuration change is waiting for governance signatures; see 'review governance status'"
                                  : "use an id from \(Reviewer.path), or add one with 'review reviewer add'")
        }
        var request = request
        if request.decision == .retract {
            // Who may retract: a reviewer holding a required role of the article's category
            // (the same authority as approving it); without --role, the first such role they hold.
            let required = facts.article.category.flatMap { configuration.policy.categories[$0] }?.requiredRoles ?? configuration.policy.roles
            if request.role.isEmpty {
                guard let role = required.first(where: reviewer.roles.contains) else {
                    throw ReviewError(file: found.path, "\(reviewer.id) holds none of the roles its category requires (\(required.joined(separator: ", "))), so they cannot retract it",
                                      remedy: "ask a reviewer who holds one of them")
                }
                request.role = role
            }
            guard let reason = request.reason, !reason.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) else {
                throw ReviewError("retract needs a --reason: it is shown to readers on the withdrawn page")
            }
        }
        guard configuration.policy.roles.contains(request.role) else {
            throw ReviewError(file: Policy.path, "no role '\(request.role)'",
                              remedy: "use one of: \(configuration.policy.roles.joined(separator: ", "))")
        }
        if case .key(let key) = signing, reviewer.publicKey != Array(key.publicKey.rawRepresentation) {
            throw ReviewError(file: Reviewer.path, line: reviewer.line,
                              "the private key for '\(reviewer.id)' does not match the public key listed for them",
                              remedy: "use the key 'review keygen' made for them, or update their public-key")
        }
        // A record names its article's path as text (YAML): a path that is not UTF-8 cannot be
        // named, and a record signed over its bytes would never verify.
        guard facts.article.path.isUTF8 else {
            throw ReviewError(file: facts.article.path, "the article's path is not UTF-8 text (\(facts.article.path.escaped)), so no record can name it",
                              remedy: "rename the file to a UTF-8 name (git mv), then approve it")
        }
        // A fragment needs no front matter (docs/fragments.md).
        if request.decision == .approve, !snapshot.policy.fragments.isFragment(facts.article.path),
           let broken = facts.parseFindings.first(where: { $0.rule == .invalidFrontMatter }) {
            throw ReviewError(file: broken.path, line: broken.line, "cannot approve an article with broken front matter: \(broken.message)",
                              remedy: "fix it first, or use request-changes")
        }
        if request.decision == .approve, request.changeNote?.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) ?? true,
           let category = facts.article.category.flatMap({ configuration.policy.categories[$0] }),
           let approved = WorkflowEngine.changeNoteRequired(facts, WorkflowEngine.evaluate(facts, configuration), category: category) {
            // The reviewed text changed since the last approved revision: readers are told what.
            throw ReviewError(file: Policy.path, "category '\(category.name)' requires a change note when the reviewed text changed (change-note: required), and it changed since revision \(approved.prefix(7))",
                              remedy: "approve with --change-note \"what changed, for readers\"")
        }
        if request.decision == .requestChanges, request.comment.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) {
            throw ReviewError("request-changes needs a --comment saying what to change")
        }
        // A retraction names the revision readers see: the published one (when its bytes are
        // known here), else the current one.
        let (blob, sha256) = request.decision == .retract ? facts.retractionTarget : (facts.blob, facts.sha256)
        var signOff = SignOff(article: facts.article.path, blob: blob, sha256: sha256, reviewer: reviewer.id,
                              role: request.role, decision: request.decision, timestamp: request.timestamp, comment: request.comment)
        signOff.reason = request.decision == .retract ? request.reason : nil
        signOff.changeNote = request.decision == .approve ? request.changeNote.flatMap { $0.isEmpty ? nil : $0 } : nil
        switch signing {
        case .key(let key):
            try signOff.sign(with: key)
        case .signed(let submitted, let now):
            try checkSubmitted(submitted, current: signOff, reviewer: reviewer, now: now)
            signOff.signature = submitted.signature
        }
        let record = SignOffRecord(path: signOff.canonicalPath(in: snapshot.policy.content.recordDirectory(of: signOff.article)), signOff: signOff)
        if facts.signOffs.contains(where: { $0.signOff.signature == signOff.signature }) {
            throw ReviewError(file: record.path, "is already recorded: the same signed decision cannot count twice",
                              remedy: "sign a new decision if you mean to decide again")
        }
        // The name carries the decision's digest: a file already there holds this very
        // decision (a second, different decision in the same second gets another name).
        if facts.signOffs.contains(where: { $0.path == record.path }) {
            throw ReviewError(file: record.path, "is already recorded: the same decision cannot count twice",
                              remedy: "sign a new decision if you mean to decide again")
        }
        if let problem = WorkflowEngine.problem(with: record, for: facts, configuration) {
            throw ReviewError(file: facts.article.path, "refused: \(problem.message) [\(problem.rule.rawValue)]")
        }
        return signOff
    }
}

extension SignOffWriter {
    /// A record signed elsewhere must be for the revision the branch holds now, signed by the
    /// key the configuration in force lists for its reviewer, and signed moments ago.
    static func checkSubmitted(_ submitted: SignOff, current: SignOff, reviewer: Reviewer, now: Int64) throws(ReviewError) {
        guard submitted.article == current.article else {
            throw ReviewError(file: current.article, "the signed record names '\(submitted.article)', not the article's path",
                              remedy: "sign the record for \(current.article)")
        }
        guard submitted.blob == current.blob, submitted.sha256 == current.sha256 else {
            throw ReviewError(file: current.article, "the signed record is for revision \(submitted.blob.prefix(7)), but the article is now at revision \(current.blob.prefix(7))",
                              remedy: "reload the article, read the new revision and sign again")
        }
        guard submitted.isSigned(by: reviewer.publicKey) else {
            throw ReviewError(file: Reviewer.path, line: reviewer.line,
                              "the signature does not verify with the public key \(Reviewer.path) lists for '\(reviewer.id)'",
                              remedy: "sign with \(reviewer.id)'s own key file (the one 'review keygen \(reviewer.id)' made)")
        }
        // The record written is exactly the one signed: a field the decision cannot carry (a
        // reason on an approval, a change note on anything but an approval, an empty one) or one
        // left out (a retraction's role) would be written otherwise, and never verify.
        guard submitted.canonicalEncoding == current.canonicalEncoding else {
            let fields: [(String, String?, String?)] = [
                ("role", submitted.role, current.role), ("reason", submitted.reason, current.reason),
                ("change-note", submitted.changeNote, current.changeNote),
            ]
            let differ = fields.filter { $0.1 != $0.2 }.map { "\($0.0) (signed \($0.1.map { "'\($0)'" } ?? "none"), recorded \($0.2.map { "'\($0)'" } ?? "none"))" }
            throw ReviewError(file: current.article,
                              "the signed record is not the record a \(current.decision.rawValue) writes: \(differ.isEmpty ? "its fields differ" : differ.joined(separator: ", "))",
                              remedy: "sign a reason only with a retraction and a non-empty change note only with an approval, and name the role")
        }
        let drift = submitted.timestamp - now
        guard abs(drift) <= submissionWindow else {
            throw ReviewError(file: current.article,
                              "the record says it was signed at \(Timestamp.format(submitted.timestamp)), \(abs(drift) / 60) minutes \(drift < 0 ? "before" : "after") the server's clock (\(Timestamp.format(now))): a stale or replayed record is refused",
                              remedy: "sign again now (and check this computer's clock)")
        }
    }
}

/// Finds an article by slug or path, with errors that say what to type instead.
public enum ArticleLookup {
    /// The articles at a commit, by path and slug only (nothing parsed), and where the
    /// committed policy puts them (which names their pages).
    public static func articles(in repository: Repository, at commit: ObjectID) throws(ReviewError) -> (articles: [Article], content: ContentRoots) {
        try ReviewError.wrapping {
            let layout = Configuration.layout(in: repository, at: commit)
            let articles = try repository.files(under: GitPath(layout.walkDirectory), inTree: repository.commit(commit).tree)
                .filter { layout.isArticle($0.path) }
                .map { Article(path: $0.path, slug: layout.slug(of: $0.path)) }
            return (articles, layout)
        }
    }

    /// The article `wanted` names: its path, or a slug or page name exactly one article has
    /// (``ArticleNames``). Two candidates, or none, are an error listing them; nothing is guessed.
    public static func find(_ wanted: String, in articles: [Article], content: ContentRoots) throws(ReviewError) -> Article {
        if wanted.hasPrefix("/") || wanted.split(separator: "/").contains("..") {
            throw ReviewError("'\(wanted)' is not an article: give a slug or a path inside the repository, like Articles/<slug>.md")
        }
        let resolution = ArticleNames(articles: articles, content: content).resolve(wanted)
        guard case .found(let path) = resolution, let match = articles.first(where: { $0.path == path }) else {
            throw ArticleNames.problem(wanted, resolution) ?? ReviewError("no article '\(wanted)'")
        }
        return match
    }
}
