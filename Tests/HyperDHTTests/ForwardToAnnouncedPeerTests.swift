import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import Testing
import UDPRequest

/// A node that stores an announcement forwards hole punches to the announced address (an app's port
/// the routing table never holds), and refuses a neighbouring port nobody announced.
@Suite struct ForwardToAnnouncedPeerTests {
    @Test func theStoreVouchesForAnnouncedAddressesOnly() throws {
        // Global addresses, so only the store (not a shared private block) decides.
        let swarm = try HyperSwarm(size: 40, host: { IPAddress.v4(0x0B00_0000 | UInt32($0 + 1)) })
        swarm.bootstrapAll()
        let topic = key(0x3C)
        _ = swarm.announce(3, key: topic, port: 4000)
        let announced = PeerAddress(host: swarm.nodes[3].dht.localAddress.host, port: 4000)
        let (results, _) = swarm.lookup(10, key: topic)
        let answer = try #require(results.first { !$0.isLocal && $0.peers.contains(announced) })
        let referrer = try #require(swarm.nodes.first { $0.dht.localAddress == answer.node.address })
        #expect(referrer.store.containsPeer(at: announced))

        let before = referrer.dht.snapshot().counters
        for target in [announced, PeerAddress(host: announced.host, port: 4001)] {
            swarm.nodes[10].dht.holepunch(peer: target, referrer: referrer.dht.localAddress,
                                          options: .forwardOnly) { _ in }
        }
        swarm.run(for: .seconds(3))
        let after = referrer.dht.snapshot().counters
        #expect(after.holepunchesForwarded == before.holepunchesForwarded + 1, "to the announced port")
        #expect(after.holepunchForwardsRefused == before.holepunchForwardsRefused + 1, "not to port 4001")
    }
}
