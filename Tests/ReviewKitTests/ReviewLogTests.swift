import Paths
import Foundation
import ReviewCore
import ReviewKit
import Testing
import TestSupport

/// `review log` of every article reads whole histories only where the newest entries can be:
/// whatever the limit, it gives exactly what reading every whole history gives.
@Suite struct ReviewLogTests {
    @Test func theNewestEntriesAreThoseOfEveryWholeHistory() throws {
        let content = try ContentRepository(articles: ["a": .neurology, "b": .neurology, "c": .general, "d": .general],
                                            reviewers: [.medical("ann"), .editorial("ed")], on: "2026-01-05")
        // Several edits of one article, interleaved with single edits and decisions elsewhere.
        try content.edit("a", lastUpdated: "2026-02-01", body: "A, second.")
        try content.signOff("b", as: "ann", role: "medical", on: "2026-02-03")
        try content.edit("a", lastUpdated: "2026-02-05", body: "A, third.")
        try content.edit("c", category: .general, lastUpdated: "2026-02-07", body: "C, second.")
        try content.signOff("c", as: "ed", role: "editorial", on: "2026-02-08", comment: "")
        try content.edit("a", lastUpdated: "2026-02-09", body: "A, fourth.")
        try content.edit("b", lastUpdated: "2026-02-10", body: "B, second.")
        try content.edit("a", lastUpdated: "2026-02-11", body: "A, fifth.")
        let session = try content.session()
        // The oracle: each article's whole history, merged.
        var all: [ReviewLog.Entry] = []
        for slug in ["a", "b", "c", "d"] { all += try session.reading.log(article: slug, limit: .max) }
        all.sort { ($0.time, $0.article, $0.action) > ($1.time, $1.article, $1.action) }
        #expect(all.filter { $0.article == "Articles/a.md" && $0.action == "edited" }.count == 4)
        for limit in 0...(all.count + 1) {
            #expect(try session.reading.log(article: nil, limit: limit) == Array(all.prefix(limit)), "limit \(limit)")
        }
    }
}
