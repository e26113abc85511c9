import Paths
import Foundation
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// Issue 19, item 5: what each reviewer must review, and when.
@Suite struct ReviewQueueTests {
    private func content() throws -> ContentRepository {
        let content = try ContentRepository(articles: ["pml": .neurology, "easy": .general, "new": .neurology],
                                            reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        try content.signOff("easy", as: "ed", role: "editorial", on: "2026-04-09")
        try content.commit("owners", [.write(Policy.path, ContentRepository.policy + "owners:\n  \"Articles/p*\": [nina]\n")], on: "2026-04-10")
        return content
    }

    @Test func theQueueListsAwaitingAndDueReviewsByDate() throws {
        let repository = try content()
        let queue = try repository.session().reading.due(asOf: Day("2027-03-20")!)
        // pml is due 2027-04-09 (365 days, due-soon 30 days before): both roles; new awaits both now.
        #expect(queue.items.map { "\($0.slug) \($0.role) \($0.due)" } == [
            "new editorial 2027-03-20", "new medical 2027-03-20", "pml editorial 2027-04-09", "pml medical 2027-04-09",
        ])
        #expect(queue.items.first { $0.slug == "pml" }?.owners == ["nina"])
        #expect(queue.items.first { $0.role == "medical" }?.reviewers == ["ann"])
        withExtendedLifetime(repository) {}
    }

    @Test func oneReviewersQueueAndAWindow() throws {
        let repository = try content()
        let session = try repository.session()
        let ann = try session.reading.due(asOf: Day("2027-03-20")!, reviewer: "ann")
        #expect(ann.items.allSatisfy { $0.role == "medical" } && ann.items.count == 2)
        let soon = try session.reading.due(asOf: Day("2027-03-20")!, within: 7)
        #expect(soon.items.map(\.slug) == ["new", "new"])
        #expect(throws: ReviewError.self) { try session.reading.due(asOf: Day("2027-03-20")!, reviewer: "nobody") }
        withExtendedLifetime(repository) {}
    }

    @Test func theCalendarFeedIsValidICalendar() throws {
        let repository = try content()
        let text = QueueFormat.ics.render(try repository.session().reading.due(asOf: Day("2027-03-20")!))
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.dropLast().last == "END:VCALENDAR" && lines.last == "")
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 4)
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines.contains("DTSTART;VALUE=DATE:20270409"))
        // The same review keeps its UID in the next feed.
        let again = QueueFormat.ics.render(try repository.session().reading.due(asOf: Day("2027-03-21")!))
        let uids = { (t: String) in Set(t.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") }) }
        #expect(uids(text).intersection(uids(again)).count >= 2)
        withExtendedLifetime(repository) {}
    }

    /// One count, one meaning (issue 32, item 5): `due` said "14141 reviews, 0 overdue" where
    /// `status` said 193 overdue, because an article still awaiting review was always due
    /// "today". Its reviews are now due on its review date, and `due` counts articles as
    /// `status` does, naming both units.
    @Test func dueAndStatusCountTheSameOverdueArticles() throws {
        let repository = try content()
        let session = try repository.session()
        let late = Day("2027-06-01")!
        let queue = try session.reading.due(asOf: late)
        let overdue = try session.reading.status(asOf: late).summary["overdue"]
        // pml (approved 2026-04-09) and new (never reviewed) are both past their review date.
        #expect(overdue == 2 && queue.overdueArticleCount == 2, "status \(String(describing: overdue)), due \(queue.overdueArticleCount)")
        let awaiting = try #require(queue.items.first { $0.slug == "new" })
        #expect(awaiting.overdue && awaiting.due < late && awaiting.reason.contains("review overdue since"), "\(awaiting)")
        let table = QueueFormat.table.render(queue)
        #expect(table.contains("reviews to do for \(queue.articleCount) articles as of 2027-06-01 (2 articles overdue, "), "\(table)")
        #expect(QueueFormat.json.render(queue).contains("\"overdueArticles\" : 2"))
        withExtendedLifetime(repository) {}
    }
}
