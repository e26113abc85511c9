import Paths

/// `unknown-reviewer`: the record names a reviewer reviewers.yml does not list.
public enum UnknownReviewerRule: SignOffRule {
    public static let description = RuleDescription(
        ids: [.unknownReviewer], summary: "A sign-off names a reviewer who is not in Reviews/reviewers.yml.",
        rationale: "Only listed reviewers, with their published keys, may sign off; a forged id proves nothing.")

    public static func check(_ context: SignOffContext) -> Finding? {
        guard context.reviewer == nil else { return nil }
        return Finding(.unknownReviewer, path: context.record.path,
                       "sign-off by '\(context.signOff.reviewer)', who is not in \(Reviewer.path); it does not count")
    }
}

/// `bad-signature`: the signature, the content hash or the record's place do not check out.
public enum BadSignatureRule: SignOffRule {
    public static let description = RuleDescription(
        ids: [.badSignature], summary: "A sign-off's signature does not verify, its content hash does not match, or the record was copied to another place.",
        rationale: "A sign-off must prove who approved exactly which text; any change to the record breaks that proof.")

    public static func check(_ context: SignOffContext) -> Finding? {
        let signOff = context.signOff
        let path = context.record.path
        if let reviewer = context.reviewer, context.record.verifiedWith != reviewer.publicKey, !signOff.isSigned(by: reviewer.publicKey) {
            return Finding(.badSignature, path: path,
                           "the signature does not verify with \(reviewer.id)'s key: the record was edited or signed by someone else")
        }
        let directory = context.configuration.policy.content.recordDirectory(of: signOff.article)
        if !signOff.belongs(at: path, in: directory) {
            let canonical = signOff.canonicalPath(in: directory)
            return Finding(.badSignature, path: path,
                           "this record belongs at \(canonical): it was moved or copied, so it does not count here")
        }
        let facts = context.facts
        let expected = signOff.blob == facts.blob ? facts.sha256 : facts.revisions[signOff.blob]?.sha256
        if let expected, !expected.isEmpty, expected != signOff.sha256 {
            return Finding(.badSignature, path: path, "the SHA-256 in the record does not match revision \(signOff.blob.prefix(7))")
        }
        return nil
    }
}

/// `unattached-record`: the record names a revision that is not one of its article's.
public enum UnattachedRecordRule: SignOffRule {
    public static let description = RuleDescription(
        ids: [.unattachedRecord], summary: "A sign-off names a revision that is not in its article's history.",
        rationale: "A decision counts only for the exact text it names; a record for other text is kept but attached to nothing.")

    public static func check(_ context: SignOffContext) -> Finding? {
        let facts = context.facts
        let blob = context.signOff.blob
        guard blob != facts.blob, facts.revisions[blob] == nil else { return nil }
        return Finding(.unattachedRecord, path: context.record.path,
                       "revision \(blob.prefix(7)) named by the record is not a revision of \(facts.article.path) in this history, so the record applies to nothing here")
    }
}

/// `history-missing`: the record cannot be judged because the history it needs is cut off.
public enum HistoryMissingRule: SignOffRule {
    public static let remedy = "fetch the full history (GitHub Actions: actions/checkout with 'fetch-depth: 0'; GitLab CI: 'GIT_DEPTH: 0'; locally: git fetch --unshallow)"

    public static let description = RuleDescription(
        ids: [.historyMissing], summary: "A sign-off or article needs history a shallow clone does not have.",
        rationale: "Without the commit that added a record, its order and dates cannot be checked: fail closed, never guess in the author's favour.")

    public static func check(_ context: SignOffContext) -> Finding? {
        let facts = context.facts
        guard facts.historyTruncated || facts.recordHistoryTruncated else { return nil }
        let record = context.record
        let blob = record.signOff.blob
        if record.position != .max, record.addedBy == nil {
            return Finding(.historyMissing, path: record.path,
                           "the commit that added this record lies beyond the shallow clone's history, so it cannot be judged; \(remedy)")
        }
        if blob != facts.blob, facts.revisions[blob] == nil {
            return Finding(.historyMissing, path: record.path,
                           "revision \(blob.prefix(7)) named by the record lies beyond the shallow clone's history, so it cannot be judged; \(remedy)")
        }
        return nil
    }
}

/// `timestamp-out-of-range`: the record claims a time history rules out.
public enum TimestampRule: SignOffRule {
    /// How far a signer's clock may disagree with the committer's and the author's.
    public static let tolerance: Int64 = 3600

    public static let description = RuleDescription(
        ids: [.timestampOutOfRange],
        summary: "A sign-off claims a time before its revision existed, after the commit that added it, or after today.",
        rationale: "The signer picks the timestamp: history bounds it, so a decision cannot be back- or forward-dated into counting.")

    public static func check(_ context: SignOffContext) -> Finding? {
        let signOff = context.signOff
        let path = context.record.path
        let claimed = Timestamp.format(signOff.timestamp)
        if signOff.day > context.configuration.asOf {
            return Finding(.timestampOutOfRange, path: path,
                           "signed \(claimed), after today (\(context.configuration.asOf)); a decision cannot come from the future, so it does not count")
        }
        if let added = context.record.addedTime, signOff.timestamp > added + tolerance {
            return Finding(.timestampOutOfRange, path: path,
                           "signed \(claimed), after commit \(context.record.addedBy?.prefix(7) ?? "?") that added it (\(Timestamp.format(added)), an hour's tolerance); it does not count")
        }
        if let appeared = context.revisionAppeared, signOff.timestamp < appeared - tolerance {
            return Finding(.timestampOutOfRange, path: path,
                           "signed \(claimed), before revision \(signOff.blob.prefix(7)) existed (\(Timestamp.format(appeared)), an hour's tolerance); it does not count")
        }
        return nil
    }
}

/// `separation-of-duties`: one reviewer approved one revision in two required roles.
public enum SeparationOfDutiesRule: SignOffRule {
    public static let description = RuleDescription(
        ids: [.separationOfDuties], summary: "One reviewer approved the same revision in two required roles.",
        rationale: "Each required role is a separate pair of eyes; turn it off with 'separate-roles: false' in the policy.")

    public static func check(_ context: SignOffContext) -> Finding? {
        let signOff = context.signOff
        guard context.configuration.policy.separateRoles, signOff.decision == .approve,
              let role = context.approversOfRevision.first(where: { $0.key != signOff.role && $0.value == signOff.reviewer })?.key
        else { return nil }
        return Finding(.separationOfDuties, path: context.record.path,
                       "\(signOff.reviewer) already approved this revision as '\(role)'; the '\(signOff.role)' approval must come from another reviewer")
    }
}

/// `key-expired`: the reviewer's key was not valid on the day of the sign-off.
public enum KeyExpiredRule: SignOffRule {
    public static let description = RuleDescription(
        ids: [.keyExpired], summary: "A sign-off was made on a day outside the reviewer's valid-from / valid-until.",
        rationale: "Retiring a reviewer sets valid-until; sign-offs made before it stay valid, later ones do not.")

    public static func check(_ context: SignOffContext) -> Finding? {
        guard let reviewer = context.reviewer else { return nil }
        if reviewer.isValid(on: context.signOff.day), let ended = context.record.keyEndedBy {
            let when: String
            if context.record.madeBesideEnding {
                when = "commit \(context.record.addedBy?.prefix(7) ?? "?") added it on a branch beside commit \(ended.prefix(7)), where \(Reviewer.path) ended the key, so it was not made before the key ended"
            } else if ended == context.record.addedBy {
                when = "the key had ended by commit \(ended.prefix(7)), which added it"
            } else {
                when = "commit \(context.record.addedBy?.prefix(7) ?? "?") added it after \(Reviewer.path) ended the key in commit \(ended.prefix(7))"
            }
            return Finding(.keyExpired, path: context.record.path,
                           "\(reviewer.id)'s key is no longer valid where this record entered history: \(when); a record that enters after a key ends never counts, whatever time it claims: approve again with the current key")
        }
        guard !reviewer.isValid(on: context.signOff.day) else { return nil }
        let window = "\(reviewer.validFrom?.description ?? "…") to \(reviewer.validUntil?.description ?? "…")"
        return Finding(.keyExpired, path: context.record.path,
                       "signed on \(context.signOff.day), outside \(reviewer.id)'s key validity (\(window))")
    }
}

/// `role-not-held`: the reviewer does not hold the role they signed for.
public enum RoleNotHeldRule: SignOffRule {
    public static let description = RuleDescription(
        ids: [.roleNotHeld], summary: "A sign-off is for a role its reviewer does not hold.",
        rationale: "A medical sign-off must come from a medical reviewer.")

    public static func check(_ context: SignOffContext) -> Finding? {
        guard let reviewer = context.reviewer, !reviewer.roles.contains(context.signOff.role) else { return nil }
        return Finding(.roleNotHeld, path: context.record.path,
                       "\(reviewer.id) signed as '\(context.signOff.role)' but holds \(reviewer.roles.joined(separator: ", "))")
    }
}

/// `self-approval`: the reviewer authored a change since the last approved revision.
public enum SelfApprovalRule: SignOffRule {
    public static let description = RuleDescription(
        ids: [.selfApproval], summary: "A reviewer approved text they authored, co-authored or committed since the last approved revision.",
        rationale: "Review means a second person: an author cannot approve their own edit.")

    public static func check(_ context: SignOffContext) -> Finding? {
        guard context.signOff.decision == .approve, let reviewer = context.reviewer else { return nil }
        let emails = Set(reviewer.emails.map { $0.lowercased() })
        // The author, the committer and every co-author made the change.
        guard let change = context.changesSinceLastApproval.first(where: { change in
            emails.contains(change.authorEmail.lowercased()) || change.authorName == reviewer.name
                || emails.contains(change.committerEmail.lowercased()) || (!change.committerName.isEmpty && change.committerName == reviewer.name)
                || change.coAuthors.contains(where: emails.contains)
        }) else { return nil }
        return Finding(.selfApproval, path: context.record.path,
                       "\(reviewer.id) approved a revision they edited (commit \(change.commit.prefix(7)) on \(change.date)); another reviewer must approve it")
    }
}

/// `retraction-not-authorized`: a retraction by a role the article's category does not require.
public enum RetractionAuthorityRule: SignOffRule {
    public static let description = RuleDescription(
        ids: [.retractionNotAuthorized], summary: "A retraction was signed in a role the article's category does not require.",
        rationale: "Taking a page down on a clinician's word takes the same authority as approving it: a required role of its category.")

    public static func check(_ context: SignOffContext) -> Finding? {
        guard context.signOff.decision == .retract else { return nil }
        let required = context.requiredRoles
        guard !required.contains(context.signOff.role) else { return nil }
        return Finding(.retractionNotAuthorized, path: context.record.path,
                       "retraction signed as '\(context.signOff.role)', which \(context.facts.article.category.map { "category '\($0)'" } ?? "the article's category") does not require (\(required.joined(separator: ", "))); it does not count: retract as one of those roles")
    }
}
