import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import Testing

/// A lookup publishes every remote answer that carries peers as `peersFound`, tagged with its walk's id and
/// the node that returned them (the referrer for a hole punch) – what the monitor's queries pane shows.
@Suite struct PeersFoundEventTests {
    @Test func aLookupReportsWhichNodeReturnedWhichPeersUnderItsWalkID() throws {
        let swarm = try HyperSwarm(size: 40)
        swarm.bootstrapAll()
        let topic = key(0x3C)
        _ = swarm.announce(5, key: topic, port: 4000)
        let announced = PeerAddress(host: swarm.nodes[5].dht.localAddress.host, port: 4000)
        swarm.served[30].removeAll()

        var walkID: QueryID?
        let (results, summary) = swarm.collect { onResult, onFinish in
            walkID = swarm.nodes[30].lookup(key: topic, onResult: onResult, onFinish: onFinish)
        }
        #expect(summary?.error == nil)
        let id = try #require(walkID)
        let found = swarm.served[30].compactMap { event -> (QueryID?, NodeID, NodeReference, [PeerAddress])? in
            if case .peersFound(let query, let key, let node, let peers, _) = event { return (query, key, node, peers) }
            return nil
        }
        let answering = results.filter { !$0.peers.isEmpty && !$0.isLocal }
        #expect(!answering.isEmpty)
        #expect(found.count == answering.count)
        #expect(found.allSatisfy { $0.0 == id && $0.1 == topic && $0.3 == [announced] })
        #expect(Set(found.map(\.2.address)) == Set(answering.map(\.node.address)))
        let labelled = swarm.served[30].contains {
            if case .peerWalkStarted(id, .lookup, topic) = $0 { return true } else { return false }
        }
        #expect(labelled, "the walk is announced as a lookup")
    }

    @Test func aLookupThatFindsNothingReportsNothing() throws {
        let swarm = try HyperSwarm(size: 20)
        swarm.bootstrapAll()
        swarm.served[3].removeAll()
        let (_, summary) = swarm.lookup(3, key: key(0x4D))
        #expect(summary?.error == nil)
        #expect(!swarm.served[3].contains { if case .peersFound = $0 { return true } else { return false } })
    }
}
