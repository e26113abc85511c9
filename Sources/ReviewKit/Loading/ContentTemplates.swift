import Paths
import ReviewCore
import Foundation
import GitKit

/// What `review init` writes into a new content repository, and how `review new` starts an article.
public enum ContentTemplates {
    public static let policy = """
        # Review policy: read by `review` from the revision it checks.
        #
        # roles: every kind of sign-off. A category's required-roles must all approve the exact
        # revision before an article in it counts as approved.
        roles: [medical, editorial]

        categories:
          # One entry per category named in articles' front matter (`category: general`).
          general:
            required-roles: [medical, editorial]
            review-interval-days: 365   # next review is due this long after the last full approval
            due-soon-days: 30           # warn (due-soon) this many days before it is due
            disclaimers: [medical]      # Reviews/disclaimers/<id>.md must appear verbatim in the body
            when-overdue: notice        # overdue pages stay up with a visible notice (or: unpublish)

        # Front-matter keys whose change keeps existing approvals (never title, body, category,
        # last-updated, status, summary, description, authors or aliases).
        unreviewed-fields: [tags]

        # One reviewer may not fill two required roles on one revision.
        separate-roles: true

        # One `review publish` may take down at most this share of the published articles
        # (one always may); `--allow-removals` overrides it.
        max-unpublish-percent: 20

        # How the published site names itself; base-url enables sitemap.xml.
        site:
          title: Health articles
          language: en
          # base-url: https://health.example.org/

        """

    public static let reviewers = """
        # Who may sign off. Add reviewers with `review reviewer add`, or by hand:
        #
        #   - id: amara-okafor                  # lowercase letters, digits, hyphens
        #     name: Dr Amara Okafor
        #     credentials: MD, neurology        # shown as "Medically reviewed by <name>, <credentials>"
        #     roles: [medical]
        #     emails: [amara.okafor@example.org]  # commit author addresses (to refuse self-approval)
        #     public-key: <what `review keygen amara-okafor` printed>
        #     valid-from: 2026-01-01            # the key signs from this day…
        #     valid-until: 2027-12-31           # …to this day (inclusive); earlier sign-offs stay valid
        reviewers: []

        """

    public static let medicalDisclaimer = """
        Medical disclaimer: this article is general information, not medical advice, diagnosis or treatment. Talk to your doctor or another qualified health professional about any question you have on a medical condition, and do not delay or stop seeking care because of something you read here.

        """

    /// The files `review init` commits.
    public static var initialFiles: [FileChange] {
        [.write(Policy.path, policy), .write(Reviewer.path, reviewers),
         .write(GitPath(RepositorySnapshot.disclaimersDirectory + "/medical.md"), medicalDisclaimer),
         .write(GitPath(RepositorySnapshot.articlesDirectory + "/.gitkeep"), "")]
    }

    /// A new article: front matter filled in, a placeholder body, then each required disclaimer
    /// as its own final paragraph.
    ///
    /// - Parameter mapping: the policy's front-matter keys and date format (the contract's by default).
    public static func article(title: String, category: Policy.Category, date: Day, author: String?, disclaimers: [String: String],
                               mapping: FrontMatterMapping = FrontMatterMapping(), path: GitPath = "") -> String {
        var text = "---\n"
        text += "\(mapping.title): \(YAMLText.quoted(title))\n"
        text += "\(mapping.lastUpdated): \(mapping.text(of: date))\n"
        // A category the paths already give is not written again.
        if let key = mapping.category, mapping.category(forPath: path) != category.name { text += "\(key): \(category.name)\n" }
        if let author { text += "\(mapping.authors): [\(YAMLText.quoted(author))]\n" }
        text += "\(mapping.tags): []\n---\n\n"
        text += "# \(title)\n\n**Short answer:** …\n"
        for id in category.disclaimers {
            text += "\n" + (disclaimers[id] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
        }
        return text
    }
}
