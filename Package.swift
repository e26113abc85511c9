// swift-tools-version: 6.1
import PackageDescription

// Layers, each a target so the compiler refuses a wrong import (docs/architecture.md):
//
//   review (CLI: arguments and printing) ─┬─> ReviewServer (review serve: HTTP, Hummingbird) ─┐
//                                         ├─> ReviewKit (repository layer + the façade) <──────┘ ─┬─> GitKit ─> CGit2 (libgit2)
//                                         │                                                       └─> BinaryStore
//                                         └─> ReviewCore (pure: model, parsing, workflow, rules, reporters, dashboard pages)
//
// Scripts/check/check-layers (run by Scripts/test) fails when a target imports what it must not.
let strict: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "review",
    // Linux only: the code uses Glibc, st_mtim and /proc/self/exe, and libgit2 from Debian.
    products: [
        .executable(name: "review", targets: ["review"]),
        .library(name: "ReviewKit", targets: ["ReviewKit"]),
        .library(name: "ReviewCore", targets: ["ReviewCore"]),
        .library(name: "GitKit", targets: ["GitKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        // review serve only (the dashboard); without its default traits (swift-configuration, full Foundation).
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        // Already in Hummingbird's graph; named so the server may import them.
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"])]
        ),
        // cmark-gfm: CommonMark with GitHub's extensions, the one Markdown parser (Debian's
        // libcmark-gfm-dev and libcmark-gfm-extensions-dev).
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // libdeflate: a pack object's zlib stream decompressed in one call, where the bytes
        // around it were read at once (Debian's libdeflate-dev).
        .systemLibrary(
            name: "CDeflate",
            pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"])]
        ),
        // The system's libcrypto (OpenSSL 3, Debian's libssl-dev, which libgit2-dev already
        // brings): SHA-256, SHA-1, Ed25519, AES-GCM, random bytes.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // The one module over COpenSSL: the few primitives review uses, under the names
        // swift-crypto gave them (SHA256, Curve25519.Signing, AES.GCM, HMAC, SymmetricKey).
        .target(name: "SystemCrypto", dependencies: ["COpenSSL"], swiftSettings: strict),
        // A repository path as git keeps it: bytes, compared and hashed by bytes (GitPath). The
        // only type a path crosses a module boundary as; no dependencies.
        .target(name: "Paths", swiftSettings: strict),
        // Authenticated binary files under <git dir>/review/ (the history index, the article cache).
        .target(name: "BinaryStore", dependencies: ["Paths", "SystemCrypto"], swiftSettings: strict),
        // libgit2, and the history engine over it. Nothing about articles or reviews.
        .target(name: "GitKit", dependencies: ["CGit2", "CDeflate", "Paths", "BinaryStore", "SystemCrypto"],
                swiftSettings: strict),
        // Values in, values out: no GitKit, no files, no threads, no clock.
        // The arenas cmark-gfm parses a document in (C: a `cmark_mem` holds C functions).
        .target(name: "CmarkArena"),
        .target(
            name: "ReviewCore",
            dependencies: [
                "CCmarkGFM", "CmarkArena", "Paths",
                .product(name: "Yams", package: "Yams"),
                "SystemCrypto",
            ],
            swiftSettings: strict
        ),
        // Reads and writes content repositories; ContentRepository is the one façade.
        .target(
            name: "ReviewKit",
            dependencies: [
                "ReviewCore", "GitKit", "BinaryStore", "Paths",
                "SystemCrypto",
            ],
            swiftSettings: strict
        ),
        // review serve: the dashboard over the façade (HTTP with Hummingbird); holds no key, signs nothing.
        .target(
            name: "ReviewServer",
            dependencies: [
                "ReviewKit", "ReviewCore", "Paths", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"), .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"), "SystemCrypto",
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "review",
            dependencies: [
                "ReviewKit", "ReviewCore", "ReviewServer", "Paths",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict,
            // mimalloc (Debian libmimalloc-dev) in place of glibc's malloc for the whole process:
            // a cold `status` parses every page, and cmark-gfm and Swift allocate per node; glibc's
            // allocator was 13% of its CPU (docs/performance.md, session 16).
            linkerSettings: [.linkedLibrary("mimalloc")]
        ),
        // A libFuzzer target for the parsers and the raw git readers (Scripts/check/fuzz); without
        // -DFUZZING it replays a corpus.
        .executableTarget(name: "ParserFuzzer", dependencies: ["ReviewCore", "GitKit", "Paths"], swiftSettings: strict),
        // Shared by the test targets: builds temporary repositories through GitKit.
        .target(
            name: "TestSupport",
            dependencies: ["GitKit", "ReviewCore", "ReviewKit", "Paths", "SystemCrypto"],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "SystemCryptoTests", dependencies: ["SystemCrypto"]),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit", "BinaryStore", "Paths", "TestSupport"]),
        .testTarget(
            name: "ReviewCoreTests",
            dependencies: [
                "ReviewCore", "CmarkArena", "Paths", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                "SystemCrypto",
            ],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "ReviewKitTests",
            dependencies: [
                "ReviewKit", "ReviewCore", "GitKit", "BinaryStore", "Paths", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                "SystemCrypto",
            ],
            exclude: ["Goldens", "Schemas"]
        ),
        .testTarget(name: "ReviewServerTests", dependencies: ["ReviewServer", "ReviewKit", "ReviewCore", "GitKit", "Paths", "TestSupport",
                                                             "SystemCrypto"]),
        .testTarget(name: "reviewTests", dependencies: ["review", "ReviewKit", "ReviewCore", "GitKit", "Paths", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
