import DHTRPC
import Foundation
import HyperDHT
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

@Suite struct PeerRequestHandlingTests {
    /// One storing node and a raw client, to look at replies byte by byte.
    final class Bench {
        let network: SimulatedNetwork
        let node: HyperDHTNode
        init() throws {
            network = SimulatedNetwork(seed: 11)
            let dht = try DHTNode(transport: try network.bind(host: IPAddress(10, 0, 0, 1), port: 49737),
                                  scheduler: network.scheduler, random: .seeded(1))
            node = HyperDHTNode(dht: dht, random: .seeded(2))
            node.start()
        }
    }

    @Test func oneReplyHoldsAtMost150PeersAndTheNodeKeepsAnswering() throws {
        let bench = try Bench()
        let topic = NodeID([UInt8](repeating: 9, count: 32))
        // 400 announcers, each a real DHT node sending a real announce (query pass + commit).
        var clients: [HyperDHTNode] = []
        for n in 0..<400 {
            let dht = try DHTNode(configuration: DHTNodeConfiguration(ephemeral: true, bootstrap: [bench.node.dht.localAddress]),
                                  transport: try bench.network.bind(host: .v4(0x0A01_0000 | UInt32(n)), port: 7000),
                                  scheduler: bench.network.scheduler, random: .seeded(UInt64(100 + n)))
            let client = HyperDHTNode(dht: dht, random: .seeded(UInt64(n)))
            clients.append(client)
            client.announce(key: topic, port: 8000, onResult: { _ in }, onFinish: { _ in })
        }
        _ = bench.network.scheduler.run(for: .seconds(30))
        #expect(bench.node.store.count == 400)
        var largest = 0
        var finished = false
        clients[0].lookup(key: topic, onResult: { largest = max(largest, $0.peers.count) }, onFinish: { _ in finished = true })
        _ = bench.network.scheduler.run(for: .seconds(10))
        #expect(finished)
        #expect(largest == 150)
    }
}
