import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import UDPRequest

/// N DHT nodes on one simulated network, the first being the bootstrap node of the others.
final class SimulatedSwarm {
    let network: SimulatedNetwork
    var nodes: [DHTNode] = []
    let seed: UInt64

    /// `host` gives each node's host (10.0.0.1 upwards by default); every node binds port 49737.
    init(size: Int, seed: UInt64 = 1, conditions: LinkConditions = LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(3)),
         configure: (Int, inout DHTNodeConfiguration) -> Void = { _, _ in },
         host: (Int) -> IPAddress = { IPAddress.v4(0x0A00_0000 | UInt32($0 + 1)) }) throws {
        self.seed = seed
        network = try SimulatedNetwork(seed: seed, conditions: conditions)
        for index in 0..<size {
            let host = host(index)
            let transport = try network.bind(host: host, port: 49737)
            var configuration = DHTNodeConfiguration()
            if index > 0 { configuration.bootstrap = [nodes[0].localAddress] }
            configure(index, &configuration)
            let node = try DHTNode(configuration: configuration, transport: transport,
                                   scheduler: network.scheduler, random: .seeded(seed &* 1_000_003 &+ UInt64(index)))
            nodes.append(node)
        }
    }

    var scheduler: VirtualScheduler { network.scheduler }

    func run(for duration: Duration) { _ = network.scheduler.run(for: duration) }

    /// Starts nodes one after another (each bootstrapping through node 0), then lets the swarm settle.
    func bootstrapAll(stagger: Duration = .milliseconds(20), settle: Duration = .seconds(10)) {
        nodes[0].start()
        for node in nodes.dropFirst() {
            node.start()
            run(for: stagger)
        }
        run(for: settle)
        // A second round, as long-running nodes re-bootstrap, fills the tables of early joiners.
        for node in nodes { node.bootstrap() }
        run(for: settle)
    }

    /// Starts nodes one after another, each joining with its own bootstrap walk (through node 0, or
    /// the addresses `configure` gave it), then lets the swarm settle. Unlike ``bootstrapAll(stagger:settle:)``
    /// there is no second, swarm-wide re-bootstrap round: every table is what the joins alone built,
    /// which halves the work in large swarms.
    func joinAll(stagger: Duration = .milliseconds(20), settle: Duration = .seconds(5)) {
        nodes[0].start()
        for node in nodes.dropFirst() {
            node.start()
            run(for: stagger)
        }
        run(for: settle)
    }

    /// The ids of the k nodes closest to `target`, by brute force.
    func bruteForceClosest(to target: NodeID, k: Int = 20, excluding: NodeID? = nil) -> [NodeID] {
        nodes.map(\.id).filter { $0 != excluding }.sorted { $0.distance(to: target) < $1.distance(to: target) }.prefix(k).map { $0 }
    }

    func randomTarget(_ generator: inout SeededRandomGenerator) -> NodeID {
        NodeID((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Runs a query to completion on virtual time and returns its results and summary.
    func runQuery(from node: DHTNode, _ query: DHTQuery, options: QueryOptions = QueryOptions(),
                  limit: Duration = .seconds(60)) -> (results: [QueryResult], summary: QuerySummary?) {
        var results: [QueryResult] = []
        var summary: QuerySummary?
        node.query(query, options: options, onResult: { results.append($0) }) { summary = $0 }
        let deadline = scheduler.now + limit
        while summary == nil && scheduler.now < deadline { run(for: .milliseconds(100)) }
        return (results, summary)
    }
}
