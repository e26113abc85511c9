import Paths
import Foundation
import GitKit
import ReviewCore
@testable import ReviewKit
import Testing
import TestSupport

/// `publish --site DIR` owns only the files it wrote: it refuses places that are not a site,
/// and keeps every file it did not write.
@Suite struct SiteDirectoryTests {
    /// A repository with PML approved and published.
    private func published() throws -> ContentRepository {
        let content = try ContentRepository(articles: ["pml": .neurology], reviewers: [.medical("ann"), .editorial("ed")])
        try content.signOff("pml", as: "ann", role: "medical", on: "2026-04-09")
        try content.signOff("pml", as: "ed", role: "editorial", on: "2026-04-09")
        _ = try content.session().publishing.publish(asOf: Day("2026-04-10")!, dryRun: false, now: ContentRepository.time("2026-04-10"))
        return content
    }

    /// Every file under a directory with its bytes (`.git` included).
    private func snapshot(_ path: String) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                result[name] = FileManager.default.contents(atPath: path + "/" + name)
            }
        }
        return result
    }

    @Test func theRepositoryItsGitDirectoryAndWhatContainsThemAreRefused() throws {
        let content = try published()
        let root = String(content.path.dropLast(content.path.hasSuffix("/") ? 1 : 0))
        let session = try content.session()
        // Caches under .git/review may change; nothing else may.
        let before = try snapshot(root).filter { !$0.key.hasPrefix(".git/review/") }
        for place in [root, root + "/", root + "/.git", root + "/.git/refs", root + "/Articles/..", (root as NSString).deletingLastPathComponent, "/"] {
            #expect(throws: ReviewError.self, "\(place)") { try session.publishing.renderSite(to: place) }
        }
        #expect(try snapshot(root).filter { !$0.key.hasPrefix(".git/review/") } == before)
        // A folder inside the work tree is a fine place for a site.
        #expect(try session.publishing.renderSite(to: root + "/public") == 1)
    }

    @Test func theHomeDirectoryIsRefused() throws {
        let content = try published()
        let home = TemporaryDirectory("home")
        #expect(throws: ReviewError.self) {
            try SiteDirectory(home.path, repository: content.repository, intoExisting: true, home: home.path)
        }
    }

    @Test func filesReviewDidNotWriteAreKeptAndAForeignDirectoryNeedsConsent() throws {
        let content = try published()
        let dir = TemporaryDirectory()
        let site = dir.file("site")
        try FileManager.default.createDirectory(atPath: site + "/images", withIntermediateDirectories: true)
        try "example.org\n".write(toFile: site + "/CNAME", atomically: true, encoding: .utf8)
        try "PNG".write(toFile: site + "/images/logo.png", atomically: true, encoding: .utf8)
        let session = try content.session()
        #expect(throws: ReviewError.self) { try session.publishing.renderSite(to: site) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: site).sorted() == ["CNAME", "images"])

        #expect(try session.publishing.renderSite(to: site, intoExisting: true) == 1)
        #expect(try String(contentsOfFile: site + "/CNAME", encoding: .utf8) == "example.org\n")
        #expect(try String(contentsOfFile: site + "/images/logo.png", encoding: .utf8) == "PNG")
        #expect(FileManager.default.fileExists(atPath: site + "/pml.html"))

        // Next time the manifest says what review owns: no consent needed, foreign files kept,
        // and a page review wrote before but no longer generates is dropped.
        let manifest = site + "/" + SiteDirectory.manifestName
        try (String(contentsOfFile: manifest, encoding: .utf8) + "old.html\n").write(toFile: manifest, atomically: true, encoding: .utf8)
        try "stale".write(toFile: site + "/old.html", atomically: true, encoding: .utf8)
        #expect(try session.publishing.renderSite(to: site) == 1)
        let listed = try FileManager.default.contentsOfDirectory(atPath: site).sorted()
        #expect(listed == [SiteDirectory.manifestName, "CNAME", "feed.xml", "images", "index.html", "pml.html", "style.css"], "\(listed)")
        #expect(try String(contentsOfFile: site + "/images/logo.png", encoding: .utf8) == "PNG")
    }

    @Test func aForeignFileAGeneratedPageWouldOverwriteIsRefused() throws {
        let content = try published()
        let dir = TemporaryDirectory()
        let site = dir.file("site")
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try "<p>my own index</p>".write(toFile: site + "/index.html", atomically: true, encoding: .utf8)
        #expect(throws: ReviewError.self) { try content.session().publishing.renderSite(to: site, intoExisting: true) }
        #expect(try String(contentsOfFile: site + "/index.html", encoding: .utf8) == "<p>my own index</p>")
        #expect(try FileManager.default.contentsOfDirectory(atPath: site) == ["index.html"])
    }
}
