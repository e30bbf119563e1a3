import DHTRPC
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// `DHTNode.findNode(_:at:)`: one `_find_node`, no walk – netcheck relies on the listed nodes hearing nothing from us.
@Suite struct FindNodeTests {
    @Test func oneFindNodeListsTheAnswerersContactsWithoutContactingThem() throws {
        let network = try NATProbeDriverTests.Network(seed: 11, plainNodes: 5, policy: DirectPathPolicy())
        let transport = try network.simulation.bind(host: IPAddress(10, 0, 0, 60), port: 4000)
        let asker = try DHTNode(configuration: DHTNodeConfiguration(), transport: transport,
                                scheduler: network.simulation.scheduler, random: .seeded(5))
        var sent: [PeerAddress] = []
        network.simulation.trace = { if $0.sender == transport.localAddress { sent.append($0.destination) } }
        var listed: [NodeReference]?
        asker.findNode(asker.id, at: network.bootstrap) { listed = try? $0.get() }
        _ = network.simulation.scheduler.run(for: .seconds(2))
        let contacts = try #require(listed)
        // As dht-rpc does, the answerer added us before answering, so the list names us too.
        #expect(contacts.contains { $0.id == asker.id && $0.address == transport.localAddress })
        #expect(Set(contacts.filter { $0.id != asker.id }.map(\.address)) == Set(network.nodes.dropFirst().map(\.localAddress)))
        #expect(contacts.allSatisfy { $0.id != nil })
        #expect(sent == [network.bootstrap])
        #expect(asker.snapshot().routingTable.buckets.flatMap(\.contacts).map(\.payload.address) == [network.bootstrap])
    }
}
