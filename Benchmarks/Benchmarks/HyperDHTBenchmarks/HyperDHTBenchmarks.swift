// HyperDHT benchmarks (issue 5): memory per stored announcement and per key in `PeerStore`; `peers` lookups answered
// per second by one storing node (through the whole request path on a zero-latency simulated network, and over real
// UDP on 127.0.0.1); announce-then-lookup in simulated swarms of 1,000 and 100 nodes and in a 100-node swarm over
// real UDP on loopback.
//
// Compare with ../shared/PROTOCOL.md, "Reference figures": 10,000 announcements on distinct keys cost the nodejs
// node +23 MB RSS (≈2.3–2.5 KB RSS, ≈0.8 KB heap each); in a 100-node loopback swarm a lookup takes 12–17 ms and
// 20–43 requests, an announce 27–46 ms and 41–51 requests (medians).
//
// Every benchmark runs in a process of its own (package-benchmark spawns one per benchmark), so each builds its
// fixture in its setup hook, outside the measured iterations.
//
// Run: cd Benchmarks && swift package --disable-sandbox benchmark --target HyperDHTBenchmarks
import Benchmark
import BenchmarkSupport
import DHTMessages
import DHTRPC
import Foundation
import HyperDHT
import IPEncoding
import KBucket
import NIOCore
import NIOPosix
import NetworkSimulation
import NodeRuntime
import UDPRequest

// MARK: - Metrics

func metric(_ name: String, _ polarity: BenchmarkMetric.Polarity = .prefersSmaller) -> BenchmarkMetric {
    .custom(name, polarity: polarity, useScalingFactor: false)
}

let rssPerAnnouncement = metric("RSS bytes/announcement (first build)")
let rssTotal = metric("RSS delta KB (first build)")
let storedMetric = metric("announcements stored", .prefersLarger)
let keysMetric = metric("keys stored", .prefersLarger)

let latencyMetric = metric("latency (µs)")
let serverCPUMetric = metric("server CPU per answer (ns)")
let lostMetric = metric("lost")
let replyBytesMetric = metric("reply bytes")
let peersInReplyMetric = metric("peers in a reply", .prefersLarger)

let announceVirtual = metric("announce virtual time (µs)")
let lookupVirtual = metric("lookup virtual time (µs)")
let announceWall = metric("announce wall time (µs)")
let lookupWall = metric("lookup wall time (µs)")
let announceRequests = metric("announce requests sent")
let lookupRequests = metric("lookup requests sent")
let datagramsMetric = metric("datagrams on the network")
let foundMetric = metric("lookup found the announcer (0/1)", .prefersLarger)
let commitsMetric = metric("announce commits", .prefersLarger)
let buildMetric = metric("swarm build wall time (ms)")

// MARK: - Memory per announcement and per key

/// Stores `count` announcements (on `count` distinct keys, or all on one key) in a fresh `PeerStore`. The heap it
/// holds when the measurement stops is `memoryLeakedBytes` (requested bytes malloc'd minus freed); the resident
/// memory it added is measured on the first build of the process (later builds reuse freed pages).
func storeMemoryBenchmark(_ name: String, count: Int, distinctKeys: Bool, configuration: PeerStoreConfiguration) {
    var firstBuild = true
    Benchmark(
        name,
        configuration: .init(
            metrics: [.memoryLeakedBytes, .mallocCountTotal, .wallClock, rssPerAnnouncement, rssTotal, storedMetric, keysMetric],
            units: [.memoryLeakedBytes: .count, .mallocCountTotal: .count, rssTotal: .count, storedMetric: .count, keysMetric: .count],
            warmupIterations: 0,
            maxDuration: .seconds(4),
            maxIterations: 8
        )
    ) { benchmark in
        let rssBefore = residentBytes()
        var store = PeerStore(configuration: configuration)
        var random = SeededRandomGenerator(seed: 0x5707E)
        let sharedKey = Datagrams.randomID(&random)
        for index in 0..<count {
            let key = distinctKeys ? Datagrams.randomID(&random) : sharedKey
            let host = IPAddress.v4(0x0B00_0000 | UInt32(index))
            store.put(key: key, address: PeerAddress(host: host, port: 49737), localAddress: nil,
                      now: Timestamp(nanoseconds: Int64(index) * 1_000))
        }
        benchmark.stopMeasurement()
        let rssDelta = residentBytes() - rssBefore
        if firstBuild {
            firstBuild = false
            benchmark.measurement(rssPerAnnouncement, rssDelta / count)
            benchmark.measurement(rssTotal, rssDelta / 1024)
        }
        benchmark.measurement(storedMetric, store.count)
        benchmark.measurement(keysMetric, store.keyCount)
        blackHole(store)
    }
}

// MARK: - Lookups answered by one storing node, simulated

/// One hyperdht node on a zero-latency simulated network, storing `peers` announcements under one key, with 40
/// contacts in its routing table; a client endpoint sends it pre-encoded `peers` lookups.
final class StoringNodeFixture {
    let network: SimulatedNetwork
    let node: HyperDHTNode
    let client: SimulatedTransport
    var lookup: [UInt8]
    var answers = 0
    var lastAnswer: [UInt8] = []

    init(peers: Int) throws {
        network = try SimulatedNetwork(seed: 9, conditions: LinkConditions(latency: .zero))
        let transport = try network.bind(host: IPAddress(10, 0, 0, 1), port: 49737)
        let dht = try DHTNode(transport: transport, scheduler: network.scheduler, random: .seeded(1))
        node = HyperDHTNode(dht: dht, store: PeerStoreConfiguration(maxPeersPerKey: max(1_024, peers)), random: .seeded(2))
        node.start()
        var random = SeededRandomGenerator(seed: 0x10_0C)
        for index in 0..<40 {
            let contact = try network.bind(host: IPAddress(10, 0, 1, UInt8(index + 1)), port: 49737)
            contact.send(Datagrams.ping(sender: Datagrams.randomID(&random)), to: transport.localAddress)
        }
        network.scheduler.run(for: .zero)

        client = try network.bind(host: IPAddress(10, 0, 2, 1), port: 49737)
        let clientID = Datagrams.randomID(&random)
        let key = Datagrams.randomID(&random)
        lookup = Datagrams.peers(sender: clientID, key: key, type: PeerRequestType.lookup.rawValue)
        client.setReceiver { [unowned self] datagram, _ in
            self.answers += 1
            self.lastAnswer = datagram
        }
        client.send(lookup, to: transport.localAddress)
        network.scheduler.run(for: .zero)
        guard let token = Datagrams.token(inResponse: lastAnswer) else { fatalError("no token") }
        for index in 0..<peers {
            client.send(Datagrams.peers(sender: clientID, key: key, type: PeerRequestType.announce.rawValue,
                                        port: UInt32(1_000 + index), token: token), to: transport.localAddress)
        }
        network.scheduler.run(for: .zero)
        precondition(node.store.count == peers, "stored \(node.store.count) of \(peers)")
        answers = 0
    }

    /// Sends `count` lookups (distinct tids) and runs the network until every answer is back.
    func lookups(_ count: Int) {
        let before = answers
        for index in 0..<count {
            lookup[0] = 0x80 | UInt8((index >> 8) & 0x7F)
            lookup[1] = UInt8(truncatingIfNeeded: index)
            client.send(lookup, to: node.dht.localAddress)
        }
        network.scheduler.run(for: .zero)
        precondition(answers - before == count, "answered \(answers - before) of \(count)")
    }

    /// Peers in the last answer.
    var peersInLastAnswer: Int {
        guard let response = Datagrams.response(lastAnswer),
              let value = try? Hyperdht_Response(serializedBytes: [UInt8](response.value)) else { return 0 }
        return value.peers.count / 6
    }
}

func simulatedLookupsBenchmark(peers: Int) {
    var fixture: StoringNodeFixture?
    Benchmark(
        "peers lookups answered by one node (simulated, zero latency), \(peers) peers stored",
        configuration: .init(
            metrics: [.throughput, .wallClock, .mallocCountTotal, replyBytesMetric, peersInReplyMetric],
            warmupIterations: 3,
            scalingFactor: .kilo,
            maxDuration: .seconds(4),
            maxIterations: 10_000,
            setup: { fixture = try StoringNodeFixture(peers: peers) },
            teardown: { fixture = nil }
        )
    ) { benchmark in
        fixture!.lookups(benchmark.scaledIterations.count)
        benchmark.stopMeasurement()
        benchmark.measurement(replyBytesMetric, fixture!.lastAnswer.count)
        benchmark.measurement(peersInReplyMetric, fixture!.peersInLastAnswer)
    }
}

// MARK: - Lookups answered by one storing node, real UDP

final class LoopbackFixture {
    var generator: LoopbackLoadGenerator?
    var templates: [[UInt8]] = []
    var replyBytes = 0
    /// The CPU-time clock of the server's thread (event loop or echo thread).
    var serverClock = clockid_t()
    var peersInReply = 0
    var stop: () async -> Void = {}
}

/// A hyperdht node on 127.0.0.1 (its own 1-thread loop) with 30 dht-rpc nodes (another loop) joined through it, and
/// `peers` announcements under one key stored by the load generator's socket (token first, as any announcer does).
func startStoringNode(peers: Int, into fixture: LoopbackFixture) async throws {
    let serverGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let helperGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let server = try await HyperDHTHandle.start(configuration: DHTNodeConfiguration(requestRateLimit: nil),  // one load generator, one address
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

    let generator = try LoopbackLoadGenerator(serverPort: server.localAddress.port)
    var random = SeededRandomGenerator(seed: 0x10AD)
    let sender = Datagrams.randomID(&random)
    let key = Datagrams.randomID(&random)
    let lookup = Datagrams.peers(sender: sender, key: key, type: PeerRequestType.lookup.rawValue)
    guard let first = generator.exchange(lookup), let token = Datagrams.token(inResponse: first) else {
        fatalError("no token from the storing node")
    }
    for index in 0..<peers {
        _ = generator.exchange(Datagrams.peers(sender: sender, key: key, type: PeerRequestType.announce.rawValue,
                                               port: UInt32(1_000 + index), token: token, tid: UInt16(index + 1)))
    }
    guard let answer = generator.exchange(lookup), let response = Datagrams.response(answer),
          let value = try? Hyperdht_Response(serializedBytes: [UInt8](response.value)) else {
        fatalError("no lookup answer")
    }
    fixture.replyBytes = answer.count
    fixture.peersInReply = value.peers.count / 6
    precondition(fixture.peersInReply == min(peers, 150), "answer holds \(fixture.peersInReply) peers")
    fixture.templates = [lookup]
    fixture.generator = generator
}

func loopbackLookupsBenchmark(peers: Int, window: Int) {
    let fixture = LoopbackFixture()
    Benchmark(
        "peers lookups answered over loopback, \(peers) peers stored, \(window) outstanding",
        configuration: .init(
            metrics: [.throughput, .wallClock, latencyMetric, serverCPUMetric, lostMetric, replyBytesMetric, peersInReplyMetric],
            units: [serverCPUMetric: .count],
            warmupIterations: 3,
            scalingFactor: .kilo,
            maxDuration: .seconds(3),
            maxIterations: 1_000,
            setup: { try await startStoringNode(peers: peers, into: fixture) },
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
        benchmark.measurement(peersInReplyMetric, fixture.peersInReply)
    }
}

// MARK: - Announce then lookup, simulated swarm

final class SwarmFixture {
    var swarm: SimulatedSwarm<HyperDHTNode>?
    var random = SeededRandomGenerator(seed: 0xA110)
}

/// Per iteration: a random node announces a fresh key (walk + commit), then another random node looks it up.
func simulatedAnnounceLookupBenchmark(size: Int, stagger: Duration, restagger: Duration?) {
    let fixture = SwarmFixture()
    Benchmark(
        "announce then lookup in a \(size)-node simulated network",
        configuration: .init(
            metrics: [.wallClock, announceRequests, lookupRequests, announceVirtual, lookupVirtual, datagramsMetric,
                      foundMetric, commitsMetric, buildMetric],
            units: [announceVirtual: .count, lookupVirtual: .count, buildMetric: .count],
            warmupIterations: 2,
            maxDuration: .seconds(6),
            maxIterations: 300,
            setup: {
                let swarm = try SimulatedSwarm<HyperDHTNode>(
                    size: size, seed: 5, conditions: LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(3)),
                    make: { index, dht in HyperDHTNode(dht: dht, random: .seeded(UInt64(index) &+ 77)) },
                    dht: { $0.dht }, start: { $0.start() })
                swarm.join(stagger: stagger, restagger: restagger)
                fixture.swarm = swarm
            },
            teardown: { fixture.swarm = nil }
        )
    ) { benchmark in
        let swarm = fixture.swarm!
        let announcerIndex = Int.random(in: 0..<size, using: &fixture.random)
        var lookerIndex = announcerIndex
        while lookerIndex == announcerIndex { lookerIndex = Int.random(in: 0..<size, using: &fixture.random) }
        let announcer = swarm.nodes[announcerIndex]
        let looker = swarm.nodes[lookerIndex]
        let key = Datagrams.randomID(&fixture.random)
        let announcerBefore = announcer.dht.snapshot().socketCounters
        let lookerBefore = looker.dht.snapshot().socketCounters
        let datagramsBefore = swarm.network.statistics.datagramsSent

        var announced: QuerySummary?
        announcer.announce(key: key, onResult: { _ in }) { announced = $0 }
        swarm.run(until: { announced != nil })
        var looked: QuerySummary?
        var results: [PeerResult] = []
        looker.lookup(key: key, onResult: { results.append($0) }) { looked = $0 }
        swarm.run(until: { looked != nil })
        benchmark.stopMeasurement()

        guard let announced, let looked else { fatalError("announce or lookup did not finish") }
        let announcerAfter = announcer.dht.snapshot().socketCounters
        let lookerAfter = looker.dht.snapshot().socketCounters
        let expected = PeerAddress(host: SimulatedSwarm<HyperDHTNode>.host(announcerIndex), port: 49737)
        benchmark.measurement(announceRequests, announcerAfter.requestsOut - announcerBefore.requestsOut
                                + announcerAfter.retransmissions - announcerBefore.retransmissions)
        benchmark.measurement(lookupRequests, lookerAfter.requestsOut - lookerBefore.requestsOut
                                + lookerAfter.retransmissions - lookerBefore.retransmissions)
        benchmark.measurement(announceVirtual, Int(announced.duration.nanosecondsClamped / 1_000))
        benchmark.measurement(lookupVirtual, Int(looked.duration.nanosecondsClamped / 1_000))
        benchmark.measurement(datagramsMetric, swarm.network.statistics.datagramsSent - datagramsBefore)
        benchmark.measurement(foundMetric, results.contains { $0.peers.contains(expected) } ? 1 : 0)
        benchmark.measurement(commitsMetric, announced.commits)
        benchmark.measurement(buildMetric, Int(swarm.buildSeconds * 1_000))
    }
}

// MARK: - Announce then lookup, 100 nodes over real UDP on loopback

final class LoopbackSwarmFixture {
    var nodes: [HyperDHTHandle] = []
    var group: MultiThreadedEventLoopGroup?
    var random = SeededRandomGenerator(seed: 0x5A4)
}

/// Runs an announce or lookup stream to its end; returns the summary and the peers reported.
func drain(_ stream: AsyncStream<PeerQueryEvent>) async -> (QuerySummary?, [PeerAddress]) {
    var peers: [PeerAddress] = []
    for await event in stream {
        switch event {
        case .result(let result): peers += result.peers
        case .finished(let summary): return (summary, peers)
        }
    }
    return (nil, peers)
}

func loopbackSwarmBenchmark(size: Int) {
    let fixture = LoopbackSwarmFixture()
    Benchmark(
        "announce then lookup in a \(size)-node swarm over loopback (real UDP)",
        configuration: .init(
            metrics: [.wallClock, announceWall, lookupWall, announceRequests, lookupRequests, foundMetric, commitsMetric],
            units: [announceWall: .count, lookupWall: .count],
            warmupIterations: 2,
            maxDuration: .seconds(6),
            maxIterations: 200,
            setup: {
                let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
                fixture.group = group
                let first = try await HyperDHTHandle.start(host: .loopbackV4, on: group.next())
                fixture.nodes = [first]
                for index in 1..<size {
                    var bootstrap = Set<Int>()
                    while bootstrap.count < min(3, index) { bootstrap.insert(Int.random(in: 0..<index, using: &fixture.random)) }
                    let configuration = DHTNodeConfiguration(bootstrap: bootstrap.sorted().map { fixture.nodes[$0].localAddress })
                    fixture.nodes.append(try await HyperDHTHandle.start(configuration: configuration, host: .loopbackV4, on: group.next()))
                }
                for node in fixture.nodes { try await node.ready() }
                for node in fixture.nodes { _ = try await node.bootstrap() }
            },
            teardown: {
                for node in fixture.nodes { await node.close() }
                fixture.nodes = []
                try? await fixture.group?.shutdownGracefully()
            }
        )
    ) { benchmark in
        let announcerIndex = Int.random(in: 0..<size, using: &fixture.random)
        var lookerIndex = announcerIndex
        while lookerIndex == announcerIndex { lookerIndex = Int.random(in: 0..<size, using: &fixture.random) }
        let announcer = fixture.nodes[announcerIndex]
        let looker = fixture.nodes[lookerIndex]
        let key = Datagrams.randomID(&fixture.random)
        let counters: @Sendable (HyperDHTNode) -> RequestSocketCounters = { $0.dht.snapshot().socketCounters }
        let announcerBefore = try await announcer.withNode(counters)
        let lookerBefore = try await looker.withNode(counters)

        benchmark.startMeasurement()
        let announceStart = monotonicNanoseconds()
        let (announced, _) = await drain(try await announcer.announce(key: key))
        let lookupStart = monotonicNanoseconds()
        let (looked, peers) = await drain(try await looker.lookup(key: key))
        let end = monotonicNanoseconds()
        benchmark.stopMeasurement()

        let announcerAfter = try await announcer.withNode(counters)
        let lookerAfter = try await looker.withNode(counters)
        guard let announced, looked != nil else { fatalError("announce or lookup did not finish") }
        benchmark.measurement(announceWall, Int((lookupStart - announceStart) / 1_000))
        benchmark.measurement(lookupWall, Int((end - lookupStart) / 1_000))
        benchmark.measurement(announceRequests, announcerAfter.requestsOut - announcerBefore.requestsOut
                                + announcerAfter.retransmissions - announcerBefore.retransmissions)
        benchmark.measurement(lookupRequests, lookerAfter.requestsOut - lookerBefore.requestsOut
                                + lookerAfter.retransmissions - lookerBefore.retransmissions)
        benchmark.measurement(foundMetric, peers.contains(announcer.localAddress) ? 1 : 0)
        benchmark.measurement(commitsMetric, announced.commits)
    }
}

// MARK: - Registration

let benchmarks: @Sendable () -> Void = {
    storeMemoryBenchmark("PeerStore memory, 10,000 announcements on distinct keys (default caps)", count: 10_000,
                         distinctKeys: true, configuration: PeerStoreConfiguration())
    storeMemoryBenchmark("PeerStore memory, 100,000 announcements on distinct keys", count: 100_000, distinctKeys: true,
                         configuration: PeerStoreConfiguration(maxKeys: 200_000, maxEntries: 200_000))
    storeMemoryBenchmark("PeerStore memory, 100,000 announcements on one key", count: 100_000, distinctKeys: false,
                         configuration: PeerStoreConfiguration(maxPeersPerKey: 200_000, maxEntries: 200_000))
    simulatedLookupsBenchmark(peers: 20)
    simulatedLookupsBenchmark(peers: 1_000)
    loopbackLookupsBenchmark(peers: 20, window: 1)
    loopbackLookupsBenchmark(peers: 20, window: 64)
    simulatedAnnounceLookupBenchmark(size: 100, stagger: .milliseconds(20), restagger: .milliseconds(20))
    simulatedAnnounceLookupBenchmark(size: 1_000, stagger: .milliseconds(5), restagger: .milliseconds(2))
    loopbackSwarmBenchmark(size: 100)
}
