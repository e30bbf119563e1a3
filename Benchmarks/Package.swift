// swift-tools-version:6.1
// Benchmarks for HyperDHT for Swift, kept in their own package so the main package's build stays lean.
//
// Run: `swift package --disable-sandbox benchmark` (or `--target KBucketBenchmarks`) from this directory.
// Results and the exact commands: RESULTS.md.
import PackageDescription

let package = Package(
    name: "HyperDHTBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "HyperDHT", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "KBucketBenchmarks",
            dependencies: [
                .product(name: "KBucket", package: "HyperDHT"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/KBucketBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "WireBenchmarks",
            dependencies: [
                .product(name: "IPEncoding", package: "HyperDHT"),
                .product(name: "DHTMessages", package: "HyperDHT"),
                .product(name: "UDPRequest", package: "HyperDHT"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/WireBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // Shared by the DHT and HyperDHT benchmarks: the POSIX load generator, echo servers, swarm builder.
        .target(
            name: "BenchmarkSupport",
            dependencies: [
                .product(name: "IPEncoding", package: "HyperDHT"),
                .product(name: "KBucket", package: "HyperDHT"),
                .product(name: "DHTMessages", package: "HyperDHT"),
                .product(name: "UDPRequest", package: "HyperDHT"),
                .product(name: "NetworkSimulation", package: "HyperDHT"),
                .product(name: "DHTRPC", package: "HyperDHT"),
                .product(name: "HyperDHT", package: "HyperDHT"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/BenchmarkSupport"
        ),
        .executableTarget(
            name: "DHTBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "IPEncoding", package: "HyperDHT"),
                .product(name: "KBucket", package: "HyperDHT"),
                .product(name: "DHTMessages", package: "HyperDHT"),
                .product(name: "UDPRequest", package: "HyperDHT"),
                .product(name: "NetworkSimulation", package: "HyperDHT"),
                .product(name: "DHTRPC", package: "HyperDHT"),
                .product(name: "NodeRuntime", package: "HyperDHT"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/DHTBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "HyperDHTBenchmarks",
            dependencies: [
                "BenchmarkSupport",
                .product(name: "IPEncoding", package: "HyperDHT"),
                .product(name: "KBucket", package: "HyperDHT"),
                .product(name: "DHTMessages", package: "HyperDHT"),
                .product(name: "UDPRequest", package: "HyperDHT"),
                .product(name: "NetworkSimulation", package: "HyperDHT"),
                .product(name: "DHTRPC", package: "HyperDHT"),
                .product(name: "HyperDHT", package: "HyperDHT"),
                .product(name: "NodeRuntime", package: "HyperDHT"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/HyperDHTBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        .executableTarget(
            name: "MonitorBenchmarks",
            dependencies: [
                .product(name: "Monitor", package: "HyperDHT"),
                .product(name: "IPEncoding", package: "HyperDHT"),
                .product(name: "KBucket", package: "HyperDHT"),
                .product(name: "UDPRequest", package: "HyperDHT"),
                .product(name: "DHTRPC", package: "HyperDHT"),
                .product(name: "Benchmark", package: "package-benchmark"),
            ],
            path: "Benchmarks/MonitorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // The load generator of `monitor-cpu`: paced `_ping` requests over real UDP to a node on 127.0.0.1.
        .executableTarget(
            name: "PingFlood",
            dependencies: [
                .product(name: "DHTMessages", package: "HyperDHT"),
                .product(name: "UDPRequest", package: "HyperDHT"),
            ],
            path: "Tools/PingFlood"
        ),
        // The churn scenario of issue 14: walks in a simulated swarm of which 30% of the nodes leave at once.
        .executableTarget(
            name: "ChurnWalks",
            dependencies: [
                .product(name: "IPEncoding", package: "HyperDHT"),
                .product(name: "KBucket", package: "HyperDHT"),
                .product(name: "UDPRequest", package: "HyperDHT"),
                .product(name: "NetworkSimulation", package: "HyperDHT"),
                .product(name: "DHTRPC", package: "HyperDHT"),
            ],
            path: "Tools/ChurnWalks"
        ),
    ]
)
