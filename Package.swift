// swift-tools-version:6.0
// HyperDHT for Swift: a wire-compatible hyperdht stack and a live terminal monitor.
//
// Modules are strictly layered; each imports only those listed below it:
//
//   IPEncoding   KBucket   DHTMessages        (no project dependencies)
//   ProcessSignals                            SIGINT/SIGTERM/SIGHUP to Swift handlers (no project dependencies)
//   UDPRequest                                framing, request table, timeouts; transport + clock injected
//   NetworkSimulation   NIODatagramTransport  the two transports (in-memory, real UDP) and their clocks
//   DHTRPC                                    Kademlia RPC node (uses only UDPRequest's protocols)
//   HyperDHT                                  peer store, announce / lookup
//   NATDiagnosis                              NAT classification and probes over the DHT wire (no I/O)
//   NodeRuntime                               runs nodes on real UDP (NIO): Sendable handles, event streams
//   Monitor, MonitorTerminal                  the terminal monitor over its backend seam (MonitorBackend)
//   ControlSocket                             serves a MonitorBackend on a Unix socket; attaches a monitor to one
//   NodeMetrics                               a running node's counters as Prometheus text (swift-metrics over
//                                             swift-prometheus), served at /metrics by NIO's HTTP/1; fed only by
//                                             NodeRuntime's public events and snapshots
//   hyperdht (executable)                     command line
import PackageDescription

let package = Package(
    name: "HyperDHT",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "IPEncoding", targets: ["IPEncoding"]),
        .library(name: "KBucket", targets: ["KBucket"]),
        .library(name: "DHTMessages", targets: ["DHTMessages"]),
        .library(name: "UDPRequest", targets: ["UDPRequest"]),
        .library(name: "NetworkSimulation", targets: ["NetworkSimulation"]),
        .library(name: "NIODatagramTransport", targets: ["NIODatagramTransport"]),
        .library(name: "DHTRPC", targets: ["DHTRPC"]),
        .library(name: "HyperDHT", targets: ["HyperDHT"]),
        .library(name: "NATDiagnosis", targets: ["NATDiagnosis"]),
        .library(name: "NodeRuntime", targets: ["NodeRuntime"]),
        .library(name: "Monitor", targets: ["Monitor"]),  // for Benchmarks/MonitorBenchmarks
        .library(name: "ControlSocket", targets: ["ControlSocket"]),
        .library(name: "NodeMetrics", targets: ["NodeMetrics"]),
        .executable(name: "hyperdht", targets: ["hyperdht"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),  // scripts/docs: DocC for the modules
    ],
    targets: [
        .target(name: "IPEncoding"),
        .target(name: "KBucket"),
        .target(name: "ProcessSignals"),
        .target(
            name: "DHTMessages",
            dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["dht_rpc.proto"]
        ),
        .target(name: "UDPRequest", dependencies: ["IPEncoding", "DHTMessages"]),
        .target(name: "NetworkSimulation", dependencies: ["IPEncoding", "UDPRequest"]),
        .target(
            name: "NIODatagramTransport",
            dependencies: [
                "IPEncoding", "UDPRequest",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "DHTRPC",
            dependencies: [
                "IPEncoding", "KBucket", "DHTMessages", "UDPRequest",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "HyperDHT",
            dependencies: [
                "IPEncoding", "KBucket", "DHTMessages", "UDPRequest", "DHTRPC",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["hyperdht.proto"]
        ),
        .target(name: "NATDiagnosis", dependencies: ["IPEncoding", "KBucket", "UDPRequest", "DHTRPC", "HyperDHT"]),
        .target(
            name: "NodeRuntime",
            dependencies: [
                "IPEncoding", "KBucket", "UDPRequest", "DHTRPC", "HyperDHT", "NATDiagnosis", "NIODatagramTransport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .systemLibrary(name: "CNcursesw", providers: [.apt(["libncursesw5-dev"])]),  // no pkgConfig: SwiftPM would drop its -D flags with a warning; the shim defines them
        .target(
            name: "Monitor",
            dependencies: [
                "IPEncoding", "KBucket", "UDPRequest", "DHTRPC", "NATDiagnosis",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),  // privacy masks: HMAC-SHA256 under a per-run key
            ]
        ),
        .target(name: "MonitorTerminal", dependencies: ["Monitor", "CNcursesw", "ProcessSignals"]),
        .target(
            name: "ControlSocket",
            dependencies: [
                "IPEncoding", "KBucket", "UDPRequest", "Monitor",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ]
        ),
        .target(
            name: "NodeMetrics",
            dependencies: [
                "IPEncoding", "UDPRequest", "DHTRPC", "HyperDHT", "NodeRuntime",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "hyperdht",
            dependencies: [
                "HyperDHT", "DHTRPC", "NATDiagnosis", "NIODatagramTransport", "NodeRuntime", "IPEncoding", "KBucket",
                "UDPRequest", "Monitor", "MonitorTerminal", "ControlSocket", "NodeMetrics", "ProcessSignals",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "IPEncodingTests", dependencies: ["IPEncoding"], resources: [.copy("Fixtures")]),
        .testTarget(name: "KBucketTests", dependencies: ["KBucket"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ProcessSignalsTests", dependencies: ["ProcessSignals"]),
        .testTarget(
            name: "DHTMessagesTests",
            dependencies: ["DHTMessages", "IPEncoding", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "UDPRequestTests",
            dependencies: [
                "UDPRequest", "NetworkSimulation", "NIODatagramTransport", "IPEncoding", "DHTMessages",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "NetworkSimulationTests", dependencies: ["NetworkSimulation", "UDPRequest", "IPEncoding"]),
        .testTarget(name: "NIODatagramTransportTests", dependencies: ["NIODatagramTransport", "UDPRequest", "IPEncoding", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]),
        .testTarget(name: "DHTRPCTests", dependencies: ["DHTRPC", "KBucket", "UDPRequest", "NetworkSimulation", "NIODatagramTransport", "IPEncoding", "DHTMessages"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "HyperDHTMessagesTests",
            dependencies: ["HyperDHT", "DHTMessages", "IPEncoding", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "NodeRuntimeTests",
            dependencies: ["NodeRuntime", "NIODatagramTransport", "DHTRPC", "HyperDHT", "KBucket", "IPEncoding", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]
        ),
        .testTarget(name: "HyperDHTTests", dependencies: ["HyperDHT", "DHTRPC", "NetworkSimulation", "KBucket", "IPEncoding", "UDPRequest"]),
        .testTarget(name: "HyperDHTCLITests", dependencies: ["hyperdht", "HyperDHT", "IPEncoding", "KBucket", "NATDiagnosis"]),
        .testTarget(name: "NATDiagnosisTests", dependencies: ["NATDiagnosis", "DHTRPC", "KBucket", "NetworkSimulation", "IPEncoding", "UDPRequest"]),
        // Real processes in the NAT lab of network namespaces (scripts/natlab); needs root, as CI is.
        .testTarget(name: "NATLabTests", dependencies: ["hyperdht"]),
        .testTarget(
            name: "ControlSocketTests",
            dependencies: [
                "ControlSocket", "Monitor", "IPEncoding", "KBucket", "DHTRPC", "UDPRequest",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "NodeMetricsTests",
            dependencies: [
                "NodeMetrics", "NodeRuntime", "DHTRPC", "HyperDHT", "UDPRequest", "IPEncoding", "KBucket",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MonitorTests",
            dependencies: ["Monitor", "DHTRPC", "KBucket", "IPEncoding", "UDPRequest", "NetworkSimulation", "NATDiagnosis", "hyperdht",
                           .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
