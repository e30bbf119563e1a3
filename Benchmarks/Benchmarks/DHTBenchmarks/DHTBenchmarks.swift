// DHT benchmarks (issue 4): `_find_node` answered by one Swift node over real UDP on 127.0.0.1, beside two UDP echo
// servers driven by the same load generator (the ceiling on this machine), and lookups in simulated swarms of 10,000
// and 100 nodes (messages, virtual time and wall time per lookup).
//
// Compare with ../shared/PROTOCOL.md, "Reference figures": the nodejs node answers 6k–10k `_find_node`/s over
// loopback (p50 0.13 ms at 1 outstanding; p50 7–8 ms, p99 22–27 ms at 64); a minimal C UDP echo does ~87k/s; a
// hyperdht lookup in a 100-node loopback swarm sends 20–43 requests.
//
// Every benchmark runs in a process of its own (package-benchmark spawns one per benchmark), so each builds its
// fixture in its setup hook, outside the measured iterations.
//
// Run: cd Benchmarks && swift package --disable-sandbox benchmark --target DHTBenchmarks
import Benchmark
import BenchmarkSupport
import DHTMessages
import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NIOCore
import NIOPosix
import NetworkSimulation
import NodeRuntime
import UDPRequest

// MARK: - Metrics

let latencyMetric = BenchmarkMetric.custom("latency (µs)", polarity: .prefersSmaller, useScalingFactor: false)
let serverCPUMetric = BenchmarkMetric.custom("server CPU per answer (ns)", polarity: .prefersSmaller, useScalingFactor: false)
let lostMetric = BenchmarkMetric.custom("lost", polarity: .prefersSmaller, useScalingFactor: false)
let replyBytesMetric = BenchmarkMetric.custom("reply bytes", polarity: .prefersSmaller, useScalingFactor: false)

let requestsMetric = BenchmarkMetric.custom("requests sent by the querying node", useScalingFactor: false)
let datagramsMetric = BenchmarkMetric.custom("datagrams on the network", useScalingFactor: false)
let virtualTimeMetric = BenchmarkMetric.custom("virtual time (µs)", useScalingFactor: false)
let hopsMetric = BenchmarkMetric.custom("hops", useScalingFactor: false)
let exactMetric = BenchmarkMetric.custom("true 20 closest found (of 20)", polarity: .prefersLarger, useScalingFactor: false)
let buildMetric = BenchmarkMetric.custom("swarm build wall time (ms)", useScalingFactor: false)
let tableMetric = BenchmarkMetric.custom("mean routing-table size", polarity: .prefersLarger, useScalingFactor: false)

// MARK: - Loopback: the server under test and its load generator

/// What a loopback benchmark drives; filled by its setup hook.
final class LoopbackFixture {
    var generator: LoopbackLoadGenerator?
    var templates: [[UInt8]] = []
    var replyBytes = 0
    /// The CPU-time clock of the server's thread (event loop or echo thread).
    var serverClock = clockid_t()
    var stop: () async -> Void = {}
}

/// 256 `_find_node` requests toward distinct random targets, from one sender id.
func findNodeTemplates() -> [[UInt8]] {
    var generator = SeededRandomGenerator(seed: 0xF1D_0DE)
    let sender = Datagrams.randomID(&generator)
    return (0..<256).map { _ in Datagrams.findNode(sender: sender, target: Datagrams.randomID(&generator)) }
}

/// Starts a Swift dht-rpc node on 127.0.0.1 (its own 1-thread event loop) and 30 more nodes (another loop) that
/// join through it, so its routing table holds real contacts and every answer carries 20 nodes, as in a swarm.
func startDHTServer(into fixture: LoopbackFixture) async throws -> UInt16 {
    let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let helperGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let server = try await DHTNodeHandle.start(configuration: DHTNodeConfiguration(requestRateLimit: nil),  // one load generator, one address
                                               host: .loopbackV4, on: serverGroup.next())
    var helpers: [DHTNodeHandle] = []
    for _ in 0..<30 {
        helpers.append(try await DHTNodeHandle.start(configuration: DHTNodeConfiguration(bootstrap: [server.localAddress]),
                                                     host: .loopbackV4, on: helperGroup.next()))
    }
    for helper in helpers { try await helper.ready() }
    let helperList = helpers
    fixture.serverClock = try await server.eventLoop.submit { currentThreadCPUClock() }.get()
    fixture.stop = {
        for helper in helperList { await helper.close() }
        await server.close()
        try? await helperGroup.shutdownGracefully()
        try? await serverGroup.shutdownGracefully()
    }
    return server.localAddress.port
}

/// Registers a closed-loop benchmark with `window` requests outstanding against the server `start` brings up.
func loopbackBenchmark(_ name: String, window: Int, acceptsRequestFrames: Bool,
                       start: @escaping (LoopbackFixture) async throws -> UInt16) {
    let fixture = LoopbackFixture()
    Benchmark(
        name,
        configuration: .init(
            // Mallocs are counted process-wide; the load generator allocates nothing per request, so the total of an
            // iteration (1,000 answers, scaling factor kilo) divided by 1,000 is the server's mallocs per answer.
            metrics: [.throughput, .wallClock, .mallocCountTotal, latencyMetric, serverCPUMetric, lostMetric, replyBytesMetric],
            units: [serverCPUMetric: .count],
            warmupIterations: 3,
            scalingFactor: .kilo,
            maxDuration: .seconds(3),
            maxIterations: 1_000,
            setup: {
                let port = try await start(fixture)
                let generator = try LoopbackLoadGenerator(serverPort: port, acceptsRequestFrames: acceptsRequestFrames)
                fixture.templates = findNodeTemplates()
                guard let reply = generator.exchange(fixture.templates[0]) else { fatalError("\(name): no answer") }
                if !acceptsRequestFrames {
                    guard let response = Datagrams.response(reply), response.nodes.count == 20 * 38 else {
                        fatalError("\(name): expected 20 nodes in the answer, got \(reply.count) bytes")
                    }
                }
                fixture.replyBytes = reply.count
                fixture.generator = generator
            },
            teardown: {
                fixture.generator = nil
                await fixture.stop()
            }
        )
    ) { benchmark in
        var latencies: [UInt64] = []
        latencies.reserveCapacity(benchmark.scaledIterations.count)
        let cpuBefore = cpuNanoseconds(fixture.serverClock)
        let run = fixture.generator!.run(templates: fixture.templates, window: window,
                                         count: benchmark.scaledIterations.count, latencies: &latencies)
        let cpuAfter = cpuNanoseconds(fixture.serverClock)
        benchmark.stopMeasurement()
        benchmark.measurement(serverCPUMetric, Int(cpuAfter - cpuBefore) / max(1, run.completed))
        for latency in latencies { benchmark.measurement(latencyMetric, Int(latency / 1_000)) }
        benchmark.measurement(lostMetric, run.lost)
        benchmark.measurement(replyBytesMetric, fixture.replyBytes)
    }
}

// MARK: - Simulated swarms

final class SimulationFixture {
    var swarm: SimulatedSwarm<DHTNode>?
    var random = SeededRandomGenerator(seed: 0x100C_0F)
    var meanTableSize = 0
}

/// A `_find_node` lookup from a random node toward a random target, per iteration, in a swarm of `size` nodes
/// (5 ms ± 3 ms links, as the DHTRPC tests use). Wall time is the simulation's CPU cost; virtual time and messages
/// are the protocol's.
func simulatedLookupBenchmark(size: Int, stagger: Duration, restagger: Duration?, maxIterations: Int) {
    let fixture = SimulationFixture()
    Benchmark(
        "lookup (_find_node) in a \(size)-node simulated network",
        configuration: .init(
            metrics: [.wallClock, .throughput, requestsMetric, datagramsMetric, virtualTimeMetric, hopsMetric, exactMetric,
                      buildMetric, tableMetric],
            units: [virtualTimeMetric: .count, buildMetric: .count],
            warmupIterations: 2,
            maxDuration: .seconds(8),
            maxIterations: maxIterations,
            setup: {
                let swarm = try SimulatedSwarm<DHTNode>(
                    size: size, seed: 4, conditions: LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(3)),
                    make: { _, node in node }, dht: { $0 }, start: { $0.start() })
                swarm.join(stagger: stagger, restagger: restagger)
                fixture.meanTableSize = Int(swarm.meanTableSize.rounded())
                fixture.swarm = swarm
            },
            teardown: { fixture.swarm = nil }
        )
    ) { benchmark in
        let swarm = fixture.swarm!
        let node = swarm.nodes[Int.random(in: 0..<size, using: &fixture.random)]
        let target = Datagrams.randomID(&fixture.random)
        let requestsBefore = node.snapshot().socketCounters
        let datagramsBefore = swarm.network.statistics.datagramsSent
        var summary: QuerySummary?
        node.query(DHTQuery(command: DhtRpc_Request.findNodeCommand, target: target), onResult: { _ in }) { summary = $0 }
        swarm.run(until: { summary != nil })
        benchmark.stopMeasurement()

        let requestsAfter = node.snapshot().socketCounters
        guard let summary else { fatalError("lookup did not finish") }
        let found = Set(summary.closest.compactMap(\.id))
        let truth = swarm.closestIDs(to: target, excluding: node.id)
        benchmark.measurement(requestsMetric, requestsAfter.requestsOut - requestsBefore.requestsOut
                                + requestsAfter.retransmissions - requestsBefore.retransmissions)
        benchmark.measurement(datagramsMetric, swarm.network.statistics.datagramsSent - datagramsBefore)
        benchmark.measurement(virtualTimeMetric, Int(summary.duration.nanosecondsClamped / 1_000))
        benchmark.measurement(hopsMetric, summary.hops)
        benchmark.measurement(exactMetric, truth.filter(found.contains).count)
        benchmark.measurement(buildMetric, Int(swarm.buildSeconds * 1_000))
        benchmark.measurement(tableMetric, fixture.meanTableSize)
    }
}

// MARK: - Registration

let benchmarks: @Sendable () -> Void = {
    for window in [1, 64] {
        loopbackBenchmark("UDP echo baseline, POSIX thread, \(window) outstanding", window: window, acceptsRequestFrames: true) { fixture in
            let server = try POSIXEchoServer()
            fixture.serverClock = server.cpuClock
            fixture.stop = { server.stop() }
            return server.port
        }
        loopbackBenchmark("UDP echo baseline, NIO, \(window) outstanding", window: window, acceptsRequestFrames: true) { fixture in
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let server = try await NIOEchoServer.start(on: group.next())
            fixture.serverClock = server.cpuClock
            fixture.stop = {
                await server.stop()
                try? await group.shutdownGracefully()
            }
            return server.port
        }
        loopbackBenchmark("_find_node answered over loopback, \(window) outstanding", window: window,
                          acceptsRequestFrames: false, start: startDHTServer)
    }
    answerPathBenchmark("_find_node answered in-process (no sockets; 1,000 per iteration)") { sender, target, _ in
        Datagrams.findNode(sender: sender, target: target)
    }
    answerPathBenchmark("_ping answered in-process (no sockets; 1,000 per iteration)") { sender, _, _ in
        Datagrams.ping(sender: sender)
    }
    // Nodes join through 3 random earlier nodes. The 10,000-node swarm skips the second bootstrap round: it changes
    // neither the lookups' results nor their cost, and it halves the build (≈27 s instead of ≈57 s).
    simulatedLookupBenchmark(size: 100, stagger: .milliseconds(20), restagger: .milliseconds(20), maxIterations: 400)
    simulatedLookupBenchmark(size: 10_000, stagger: .milliseconds(2), restagger: nil, maxIterations: 300)
}
