// swift-tools-version:6.0
// libFuzzer targets for HyperDHT for Swift, in their own package: an executable without `main` links only with
// `--sanitize fuzzer`, so these must stay out of the main package's `swift build --build-tests`.
//
// Build and run: `scripts/fuzz [TARGET] [--seconds N | --runs N]` from the repository root (README, "Fuzzing").
// Each target defines `LLVMFuzzerTestOneInput`; libFuzzer supplies `main`. Seeds: Corpus/<target>/.
import PackageDescription

let package = Package(
    name: "HyperDHTFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "HyperDHT", path: ".."),
        // Named here only so that the fuzz package resolves the same version as the root package does.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // The shared checks (a failed one traps, which libFuzzer reports as a crash) and seed-format helpers.
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
        // IPv4/IPv6 peer lists, node lists, hyperdht localAddress and localPeers.
        .executableTarget(
            name: "FuzzCompactLists",
            dependencies: ["FuzzSupport", .product(name: "IPEncoding", package: "HyperDHT")],
            path: "Sources/FuzzCompactLists"
        ),
        // dht-rpc Request and Response bodies, decoded as the node decodes them, and their round trip.
        .executableTarget(
            name: "FuzzDHTMessages",
            dependencies: [
                "FuzzSupport", .product(name: "DHTMessages", package: "HyperDHT"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Sources/FuzzDHTMessages"
        ),
        // The whole udp-request datagram (header + body): decode, re-encode, decode again.
        .executableTarget(
            name: "FuzzDatagramFrame",
            dependencies: [
                "FuzzSupport", .product(name: "UDPRequest", package: "HyperDHT"),
                .product(name: "DHTMessages", package: "HyperDHT"),
            ],
            path: "Sources/FuzzDatagramFrame"
        ),
        // hyperdht's Request/Response value bodies and the compact fields inside them, through the peer store.
        .executableTarget(
            name: "FuzzHyperDHTMessages",
            dependencies: [
                "FuzzSupport", .product(name: "HyperDHT", package: "HyperDHT"),
                .product(name: "IPEncoding", package: "HyperDHT"), .product(name: "KBucket", package: "HyperDHT"),
                .product(name: "DHTMessages", package: "HyperDHT"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            path: "Sources/FuzzHyperDHTMessages"
        ),
        // A whole HyperDHT node on the simulated network, fed datagrams from several sources.
        .executableTarget(
            name: "FuzzNode",
            dependencies: [
                "FuzzSupport", .product(name: "HyperDHT", package: "HyperDHT"),
                .product(name: "DHTRPC", package: "HyperDHT"), .product(name: "NetworkSimulation", package: "HyperDHT"),
                .product(name: "UDPRequest", package: "HyperDHT"), .product(name: "DHTMessages", package: "HyperDHT"),
                .product(name: "IPEncoding", package: "HyperDHT"),
            ],
            path: "Sources/FuzzNode"
        ),
    ],
    swiftLanguageModes: [.v6]
)
