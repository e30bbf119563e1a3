// swift-tools-version:6.1
// Benchmarks for HyperDHT for Swift, kept in their own package so the main package's build stays lean.
//
// Run: `swift package --disable-sandbox benchmark` (or `--target KBucketBenchmarks`) from this directory.
import PackageDescription

let package = Package(
    name: "HyperDHTBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "HyperDHT", path: ".."),
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
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
    ]
)
