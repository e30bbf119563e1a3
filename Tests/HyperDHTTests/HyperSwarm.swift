import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import NetworkSimulation
import UDPRequest

/// N hyperdht nodes on one simulated network; node 0 bootstraps the rest.
final class HyperSwarm {
    let network: SimulatedNetwork
    var nodes: [HyperDHTNode] = []
    var served: [[HyperDHTEvent]] = []

    init(size: Int, seed: UInt64 = 3, store: PeerStoreConfiguration = PeerStoreConfiguration(),
         host: (Int) -> IPAddress = { IPAddress.v4(0x0A00_0000 | UInt32($0 + 1)) }) throws {
        network = try SimulatedNetwork(seed: seed, conditions: LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(3)))
        for index in 0..<size {
            let transport = try network.bind(host: host(index), port: 49737)
            var configuration = DHTNodeConfiguration()
            if index > 0 { configuration.bootstrap = [nodes[0].dht.localAddress] }
            let random = NodeRandomSource.seeded(seed &* 7_919 &+ UInt64(index))
            let dht = try DHTNode(configuration: configuration, transport: transport, scheduler: network.scheduler, random: random)
            let node = HyperDHTNode(dht: dht, store: store, random: .seeded(seed &+ UInt64(index)))
            let slot = served.count
            served.append([])
            node.onEvent = { [unowned self] in self.served[slot].append($0) }
            nodes.append(node)
        }
    }

    var scheduler: VirtualScheduler { network.scheduler }
    func run(for duration: Duration) { _ = scheduler.run(for: duration) }

    func bootstrapAll() {
        for node in nodes {
            node.start()
            run(for: .milliseconds(20))
        }
        run(for: .seconds(10))
        for node in nodes { node.dht.bootstrap() }
        run(for: .seconds(10))
    }

    /// Runs an operation to completion and returns its results and summary.
    func collect(_ start: (@escaping (PeerResult) -> Void, @escaping (QuerySummary) -> Void) -> Void)
        -> (results: [PeerResult], summary: QuerySummary?) {
        var results: [PeerResult] = []
        var summary: QuerySummary?
        start({ results.append($0) }, { summary = $0 })
        let deadline = scheduler.now + .seconds(60)
        while summary == nil && scheduler.now < deadline { run(for: .milliseconds(100)) }
        run(for: .milliseconds(50))
        return (results, summary)
    }

    func announce(_ index: Int, key: NodeID, port: UInt16 = 0, localAddress: PeerAddress? = nil) -> (results: [PeerResult], summary: QuerySummary?) {
        collect { onResult, onFinish in
            nodes[index].announce(key: key, port: port, localAddress: localAddress, onResult: onResult, onFinish: onFinish)
        }
    }

    func lookup(_ index: Int, key: NodeID, localAddress: PeerAddress? = nil) -> (results: [PeerResult], summary: QuerySummary?) {
        collect { onResult, onFinish in
            nodes[index].lookup(key: key, localAddress: localAddress, onResult: onResult, onFinish: onFinish)
        }
    }

    func unannounce(_ index: Int, key: NodeID, port: UInt16 = 0) -> QuerySummary? {
        collect { _, onFinish in nodes[index].unannounce(key: key, port: port, onFinish: onFinish) }.summary
    }
}

func key(_ byte: UInt8) -> NodeID { NodeID([UInt8](repeating: byte, count: 32)) }
