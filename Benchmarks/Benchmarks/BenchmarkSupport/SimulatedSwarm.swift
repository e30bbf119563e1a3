// A swarm of DHT nodes (dht-rpc or hyperdht) on one SimulatedNetwork, built the honest way: every node joins by
// bootstrapping (a `_find_node` walk toward its own id) through a few nodes that joined before it, and then every
// node bootstraps once more, as long-running nodes re-bootstrap. No routing table is filled by hand.
import DHTRPC
import Foundation
import HyperDHT
import IPEncoding
import KBucket
import NetworkSimulation
import UDPRequest

/// N nodes on one simulated network; node `i` has the address 10.x.y.z = 10.0.0.0 + i + 1, port 49737.
public final class SimulatedSwarm<Node> {
    public let network: SimulatedNetwork
    public private(set) var nodes: [Node] = []
    private let dhtOf: (Node) -> DHTNode
    private let startNode: (Node) -> Void
    /// Wall time the join took, in seconds.
    public private(set) var buildSeconds = 0.0

    /// Creates `size` nodes (not started). Node `i > 0` bootstraps through up to `bootstrapContacts` distinct
    /// nodes drawn at random from those before it (node 0 bootstraps through nobody).
    public init(size: Int, seed: UInt64, conditions: LinkConditions, bootstrapContacts: Int = 3,
                make: (_ index: Int, _ dht: DHTNode) -> Node,
                dht: @escaping (Node) -> DHTNode, start: @escaping (Node) -> Void) throws {
        network = try SimulatedNetwork(seed: seed, conditions: conditions)
        dhtOf = dht
        startNode = start
        var picker = SeededRandomGenerator(seed: seed &+ 0x5EED)
        for index in 0..<size {
            let transport = try network.bind(host: Self.host(index), port: 49737)
            var configuration = DHTNodeConfiguration()
            if index > 0 {
                var chosen = Set<Int>()
                while chosen.count < min(bootstrapContacts, index) { chosen.insert(Int.random(in: 0..<index, using: &picker)) }
                configuration.bootstrap = chosen.sorted().map { PeerAddress(host: Self.host($0), port: 49737) }
            }
            let node = try DHTNode(configuration: configuration, transport: transport, scheduler: network.scheduler,
                                   random: .seeded(seed &* 1_000_003 &+ UInt64(index)))
            nodes.append(make(index, node))
        }
    }

    /// The address of node `index`.
    public static func host(_ index: Int) -> IPAddress { .v4(0x0A00_0000 | UInt32(index + 1)) }

    public var scheduler: VirtualScheduler { network.scheduler }

    /// The DHT node of swarm member `index`.
    public func dht(_ index: Int) -> DHTNode { dhtOf(nodes[index]) }

    public func run(for duration: Duration) { _ = network.scheduler.run(for: duration) }

    /// Starts the nodes one after another, `stagger` apart, lets the swarm settle, then (with a `restagger`)
    /// re-bootstraps every node, `restagger` apart, and settles again.
    public func join(stagger: Duration, restagger: Duration?, settle: Duration = .seconds(5)) {
        let started = monotonicNanoseconds()
        for node in nodes {
            startNode(node)
            run(for: stagger)
        }
        run(for: settle)
        if let restagger {
            for node in nodes {
                dhtOf(node).bootstrap()
                run(for: restagger)
            }
            run(for: settle)
        }
        buildSeconds = Double(monotonicNanoseconds() - started) / 1e9
    }

    /// Runs virtual time in `step`s until `done()` or `limit` has passed.
    public func run(until done: () -> Bool, step: Duration = .milliseconds(5), limit: Duration = .seconds(60)) {
        let deadline = scheduler.now + limit
        while !done() && scheduler.now < deadline { run(for: step) }
    }

    /// The ids of the `k` nodes closest to `target`, by brute force.
    public func closestIDs(to target: NodeID, k: Int = 20, excluding: NodeID? = nil) -> [NodeID] {
        nodes.map { dhtOf($0).id }.filter { $0 != excluding }
            .sorted { $0.distance(to: target) < $1.distance(to: target) }.prefix(k).map { $0 }
    }

    /// Mean routing-table size, for the report.
    public var meanTableSize: Double {
        Double(nodes.reduce(0) { $0 + dhtOf($1).snapshot().routingTable.count }) / Double(max(1, nodes.count))
    }
}
