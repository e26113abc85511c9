// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "review",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "review", targets: ["review"]),
        .library(name: "ReviewKit", targets: ["ReviewKit"]),
        .library(name: "GitKit", targets: ["GitKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(name: "GitKit", dependencies: ["CGit2"]),
        .target(
            name: "ReviewKit",
            dependencies: [
                "GitKit",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "review",
            dependencies: [
                "ReviewKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A libFuzzer target for the parsers (Scripts/fuzz); without -DFUZZING it replays a corpus.
        .executableTarget(name: "ParserFuzzer", dependencies: ["ReviewKit"]),
        // Shared by the test targets: builds temporary repositories through GitKit.
        .target(
            name: "TestSupport",
            dependencies: ["GitKit", "ReviewKit", .product(name: "Crypto", package: "swift-crypto")],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit", "TestSupport"]),
        .testTarget(
            name: "ReviewKitTests",
            dependencies: [
                "ReviewKit", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Goldens", "Schemas"]
        ),
        .testTarget(name: "reviewTests", dependencies: ["review", "ReviewKit", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
