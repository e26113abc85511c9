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
        ids: [.badSignature], summary: "A sign-off's signature does not verify, or the record was edited, moved or copied.",
        rationale: "A sign-off must prove who approved exactly which text; any change to the record breaks that proof.")

    public static func check(_ context: SignOffContext) -> Finding? {
        let signOff = context.signOff
        let path = context.record.path
        if let reviewer = context.reviewer, !signOff.isSigned(by: reviewer.publicKey) {
            return Finding(.badSignature, path: path,
                           "the signature does not verify with \(reviewer.id)'s key: the record was edited or signed by someone else")
        }
        if path != signOff.canonicalPath {
            return Finding(.badSignature, path: path,
                           "this record belongs at \(signOff.canonicalPath): it was moved or copied, so it does not count here")
        }
        let facts = context.facts
        let expected = signOff.blob == facts.blob ? facts.sha256 : facts.revisions[signOff.blob]?.sha256
        if let expected, !expected.isEmpty, expected != signOff.sha256 {
            return Finding(.badSignature, path: path, "the SHA-256 in the record does not match revision \(signOff.blob.prefix(7))")
        }
        if expected == nil {
            return Finding(.badSignature, path: path,
                           "revision \(signOff.blob.prefix(7)) named by the record is not a revision of \(facts.article.path) in this repository")
        }
        return nil
    }
}

/// `key-expired`: the reviewer's key was not valid on the day of the sign-off.
public enum KeyExpiredRule: SignOffRule {
    public static let description = RuleDescription(
        ids: [.keyExpired], summary: "A sign-off was made on a day outside the reviewer's valid-from / valid-until.",
        rationale: "Retiring a reviewer sets valid-until; sign-offs made before it stay valid, later ones do not.")

    public static func check(_ context: SignOffContext) -> Finding? {
        guard let reviewer = context.reviewer, !reviewer.isValid(on: context.signOff.day) else { return nil }
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
        ids: [.selfApproval], summary: "A reviewer approved text they changed since the last approved revision.",
        rationale: "Review means a second person: an author cannot approve their own edit.")

    public static func check(_ context: SignOffContext) -> Finding? {
        guard context.signOff.decision == .approve, let reviewer = context.reviewer else { return nil }
        let emails = Set(reviewer.emails.map { $0.lowercased() })
        guard let change = context.changesSinceLastApproval.first(where: {
            emails.contains($0.authorEmail.lowercased()) || $0.authorName == reviewer.name
        }) else { return nil }
        return Finding(.selfApproval, path: context.record.path,
                       "\(reviewer.id) approved a revision they edited (commit \(change.commit.prefix(7)) on \(change.date)); another reviewer must approve it")
    }
}
