import Paths

/// The decisions that count for one article, added in history order, and what follows from
/// them: each role's newest decision on each revision class, which classes every required
/// role approved, and each role's own review date.
///
/// Every update and query is constant time in the number of records (linear in the number of
/// revision classes at worst), so judging tens of thousands of records stays linear.
struct DecisionLedger {
    let required: [String]
    let revisions: RevisionClasses
    let ancestry: CommitAncestry
    /// Per revision class and role: the decisions no later decision of that role was made on
    /// top of (more than one only where history forked), with their positions.
    private var heads: [String: [String: [(introductions: [Int], decision: SignOff)]]] = [:]
    /// Every counted decision, in history order.
    private(set) var counted: [SignOff] = []
    /// Per revision class: each role's newest counted decision.
    private(set) var newest: [String: [String: SignOff]] = [:]
    /// Per revision class: the blob of its newest counted decision.
    private var newestMember: [String: String] = [:]
    /// Classes every required role approved, each with the sequence number of the decision
    /// that (last) completed it, oldest completion first.
    private var complete: [(sequence: Int, key: String)] = []
    /// Counted retractions, in history order, each with the number of decisions counted
    /// before it (a completion with a higher sequence came after it) and the commits that
    /// introduced it.
    private(set) var retractions: [(sequence: Int, introductions: [Int], decision: SignOff)] = []

    init(required: [String], revisions: RevisionClasses, ancestry: CommitAncestry = .line) {
        self.required = required
        self.revisions = revisions
        self.ancestry = ancestry
    }

    /// Adds a decision that counts, introduced at `introductions` in history (after every
    /// decision added before it in history order). It supersedes a decision of its role only
    /// when it was made on top of it, on every path (each of its introductions descends from one
    /// of the other's), and signed no earlier. One made side by side on another branch is
    /// concurrent, and so is a copy of an older decision committed again later, or on a branch
    /// that sorts first: a concurrent request for changes stands until a decision that
    /// descends from it and was signed after it, whichever way branches were merged (issue 31).
    mutating func add(_ decision: SignOff, introductions: [Int] = [.max]) {
        // A retraction takes the article down; it approves nothing and requests nothing, so it
        // touches no role's decisions (``standingRetraction``).
        if decision.decision == .retract {
            retractions.append((counted.count, introductions, decision))
            return
        }
        counted.append(decision)
        let key = revisions.key(decision.blob)
        var roleHeads = heads[key, default: [:]][decision.role, default: []]
        roleHeads.removeAll { head in
            head.decision.timestamp <= decision.timestamp
                && introductions.allSatisfy { mine in head.introductions.contains { ancestry.isAncestor($0, of: mine) } }
        }
        roleHeads.append((introductions, decision))
        heads[key, default: [:]][decision.role] = roleHeads
        newest[key, default: [:]][decision.role] = roleHeads.last { $0.decision.decision == .requestChanges }?.decision ?? decision
        newestMember[key] = decision.blob
        let roles = newest[key]!
        let isComplete = !required.isEmpty && required.allSatisfy { roles[$0]?.decision == .approve }
        let wasAt = complete.lastIndex { $0.key == key }
        if isComplete && required.contains(decision.role) {
            // A required role's approval (re)completes the class now.
            if let wasAt { complete.remove(at: wasAt) }
            complete.append((counted.count, key))
        } else if !isComplete, let wasAt {
            complete.remove(at: wasAt)
        }
    }

    /// The newest retraction no later full approval lifted. It is lifted only when every
    /// required role approved, on top of it (each approval's commits descend from the
    /// retraction's on every path, as a decision supersedes another), a revision that came
    /// after the retracted one (`isAfter`) and whose class differs from it. Re-approving the
    /// retracted text (or text equal to it up to unreviewed fields), or an older text, never
    /// lifts it: a retraction is a clinician's "this is dangerous". An approval made side by
    /// side with the retraction on another branch does not lift it either, whichever way the
    /// branches are merged: its reviewers had not seen the retraction.
    ///
    /// - Parameter isAfter: whether a revision (blob) came after the retracted one (blob) in
    ///   the article's history.
    func standingRetraction(isAfter: (String, String) -> Bool) -> SignOff? {
        for (sequence, introductions, retraction) in retractions.reversed() {
            let retracted = revisions.key(retraction.blob)
            let lifted = complete.contains { entry in
                guard entry.sequence > sequence, entry.key != retracted else { return false }
                let members = Set(counted.lazy.filter { self.revisions.key($0.blob) == entry.key }.map(\.blob))
                guard members.contains(where: { isAfter($0, retraction.blob) }) else { return false }
                return required.allSatisfy { role in
                    heads[entry.key]?[role]?.contains { head in
                        head.decision.decision == .approve
                            && head.introductions.allSatisfy { mine in introductions.contains { ancestry.isAncestor($0, of: mine) } }
                    } ?? false
                }
            }
            if !lifted { return retraction }
        }
        return nil
    }

    /// The required roles' approvers so far on a class: role → reviewer id.
    func approvers(of key: String) -> [String: String] {
        guard let roles = newest[key] else { return [:] }
        var out: [String: String] = [:]
        for (role, decision) in roles where decision.decision == .approve && required.contains(role) { out[role] = decision.reviewer }
        return out
    }

    /// The newest fully approved class other than `excluded`: the current revision's class
    /// when it is fully approved, else the class completed last. The blob is the current one
    /// for the current class, else the class's newest decided member.
    func lastApproved(excluding excluded: String? = nil) -> (key: String, blob: String)? {
        let currentKey = revisions.key(revisions.current)
        if currentKey != excluded, complete.contains(where: { $0.key == currentKey }) { return (currentKey, revisions.current) }
        guard let entry = complete.last(where: { $0.key != excluded }) else { return nil }
        return (entry.key, newestMember[entry.key]!)
    }

    /// The newest fully approved revision, with each required role's own latest approval of it
    /// and the article's review day: the stalest of those (one role re-approving never
    /// refreshes another role's review).
    func lastFullApproval() -> (blob: String, day: Day, reviews: [SignOff])? {
        guard let (key, blob) = lastApproved(), let roles = newest[key] else { return nil }
        let reviews = required.compactMap { roles[$0] }
        guard reviews.count == required.count, let oldest = reviews.map(\.timestamp).min() else { return nil }
        return (blob, Day(secondsSinceEpoch: oldest), reviews)
    }
}
