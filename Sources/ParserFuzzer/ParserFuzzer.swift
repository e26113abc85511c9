import Paths
import Foundation
import GitKit
import ReviewCore

/// Runs one input through the parser `FUZZ_PARSER` names: article, policy, reviewers,
/// signoff, governance (root and configuration signatures) or bundle (a page's verification
/// bundle, offline), frontmatter (the front-matter shortcut against Yams), paths (article
/// paths of any bytes through naming, the publish plan and the site's pages), or idx,
/// packentry, tree or commit (repository data read without libgit2); default article. Every
/// parser must return a value, a finding or an error for any bytes: a crash, a trap or a hang
/// is a bug.
func parseOne(_ bytes: [UInt8], parser: String) {
    switch parser {
    case "frontmatter": YAMLDocument.checkShortcutAgainstYams(bytes)
    case "markdown": _ = MarkdownHTML.render(String(decoding: bytes, as: UTF8.self), links: SiteLinks(articlePath: "Articles/a/fuzz.md"))
    case "pipeline": pipeline(bytes)
    case "paths": PathFuzzing.paths(bytes)
    case "idx": FormatFuzzing.packIndex(bytes)
    case "packentry": FormatFuzzing.packEntry(bytes)
    case "tree": FormatFuzzing.tree(bytes)
    case "commit": FormatFuzzing.commit(bytes)
    case "policy": _ = try? PolicyParser.parse(bytes, disclaimerIDs: ["medical"])
    case "reviewers": _ = try? ReviewersParser.parse(bytes, roles: ["medical", "editorial"])
    case "signoff": _ = SignOffParser.parse(path: "Reviews/signoffs/x/20260101T000000Z-a-medical.yml", bytes: bytes)
    case "governance":
        _ = try? TrustRootParser.parse(bytes)
        _ = try? ConfigurationSignatures.parse(bytes)
    // Pinned to the first root of the corpus bundle (Tests/FuzzCorpus/bundle), so inputs get past the pin.
    case "bundle": _ = BundleVerifier.verify(bytes, pinned: "sha256:b1b7f650730e06efd96ed21dabd53460cb65e1eb7bed98092abfbb9b61e964da", page: bytes)
    default: _ = ArticleParser.parse(path: "Articles/fuzz.md", bytes: bytes)
    }
}

/// What review does with one article: parse it with its rules (as the article cache keeps
/// them), render its page body, and check the page against the source (render integrity).
func pipeline(_ bytes: [UInt8]) {
    let (article, _) = ArticleParser.parseContent(bytes)
    let html = MarkdownHTML.render(article.body, links: SiteLinks(articlePath: "Articles/a/fuzz.md"))
    _ = RenderIntegrity.problems(markdown: article.body, html: html)
}

let selectedParser = ProcessInfo.processInfo.environment["FUZZ_PARSER"] ?? "article"

#if FUZZING
/// libFuzzer's entry point (built with `-sanitize=fuzzer -parse-as-library -DFUZZING`; see Scripts/check/fuzz).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    parseOne(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)), parser: selectedParser)
    return 0
}

/// libFuzzer's driver, for a program that has its own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM names an executable's entry point `<module>_main`; here it starts libFuzzer.
@_cdecl("ParserFuzzer_main")
public func parserFuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzTestOneInput(data, size) }
}
#else
/// Without libFuzzer: replays files or directories of inputs (the corpus, crash reproducers).
@main
struct ReplayCorpus {
    static func main() {
        var count = 0
        var times: [(micros: Double, file: String, bytes: Int)] = []
        for argument in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else { continue }
            let files = isDirectory.boolValue
                ? (try? FileManager.default.contentsOfDirectory(atPath: argument).map { argument + "/" + $0 }) ?? []
                : [argument]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                let bytes = Array(data)
                let start = ContinuousClock.now
                parseOne(bytes, parser: selectedParser)
                times.append(((ContinuousClock.now - start) / .microseconds(1), file, bytes.count))
                count += 1
            }
        }
        print("replayed \(count) inputs through the \(selectedParser) parser")
        // FUZZ_TIMING=1: per input, the median, the 99th percentile and the worst (Scripts/bench/bench-articles).
        if ProcessInfo.processInfo.environment["FUZZ_TIMING"] == "1", !times.isEmpty {
            let sorted = times.sorted { $0.micros < $1.micros }
            func at(_ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))].micros }
            let worst = sorted[sorted.count - 1]
            print(String(format: "per input: median %.0f µs, p99 %.0f µs, worst %.0f µs (%@, %d bytes), total %.2f s",
                         at(0.5), at(0.99), worst.micros, (worst.file as NSString).lastPathComponent, worst.bytes,
                         times.reduce(0) { $0 + $1.micros } / 1e6))
        }
    }
}
#endif
