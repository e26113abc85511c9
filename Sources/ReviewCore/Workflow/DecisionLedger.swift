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
    /// Every counted decision, in history order.
    private(set) var counted: [SignOff] = []
    /// Per revision class: each role's newest counted decision.
    private(set) var newest: [String: [String: SignOff]] = [:]
    /// Per revision class: the blob of its newest counted decision.
    private var newestMember: [String: String] = [:]
    /// Classes every required role approved, each with the sequence number of the decision
    /// that (last) completed it, oldest completion first.
    private var complete: [(sequence: Int, key: String)] = []

    init(required: [String], revisions: RevisionClasses) {
        self.required = required
        self.revisions = revisions
    }

    /// Adds a decision that counts; it is newer than every decision added before it.
    mutating func add(_ decision: SignOff) {
        counted.append(decision)
        let key = revisions.key(decision.blob)
        newest[key, default: [:]][decision.role] = decision
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
