import DHTRPC
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// `DHTNode.findNode(_:at:)`: one `_find_node`, no walk – netcheck relies on the listed nodes hearing nothing from us.
@Suite struct FindNodeTests {
    @Test func oneFindNodeListsTheAnswerersContactsWithoutContactingThem() throws {
        let swarm = try SimulatedSwarm(size: 6, seed: 41)
        swarm.bootstrapAll()
        let bootstrap = swarm.nodes[0].localAddress
        let asker = try swarm.network.makeNode(host: IPAddress(10, 0, 0, 60), seed: 5)
        var sent: [PeerAddress] = []
        swarm.network.trace = { if $0.sender == asker.localAddress { sent.append($0.destination) } }
        var listed: [NodeReference]?
        asker.findNode(asker.id, at: bootstrap) { listed = try? $0.get() }
        swarm.run(for: .seconds(2))
        let contacts = try #require(listed)
        // As dht-rpc does, the answerer added us before answering, so the list names us too.
        #expect(contacts.contains { $0.id == asker.id && $0.address == asker.localAddress })
        #expect(Set(contacts.filter { $0.id != asker.id }.map(\.address)) == Set(swarm.nodes.dropFirst().map(\.localAddress)))
        #expect(sent == [bootstrap])
        #expect(asker.snapshot().routingTable.buckets.flatMap(\.contacts).map(\.payload.address) == [bootstrap])
    }

    @Test func aSilentAddressFailsWithATimeout() throws {
        let swarm = try SimulatedSwarm(size: 1, seed: 42)
        var result: Result<[NodeReference], DHTError>?
        swarm.nodes[0].findNode(swarm.nodes[0].id, at: PeerAddress(host: IPAddress(10, 0, 9, 9), port: 1)) { result = $0 }
        swarm.run(for: .seconds(3))
        #expect(throws: DHTError.request(.timedOut)) { try result?.get() }
    }
}
