import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import Testing
import UDPRequest

@Suite struct AnnounceLookupTests {
    @Test func tenAnnouncersAreAllFoundByALookupFromAnyNodeAndUnannounceRemovesOne() throws {
        let swarm = try HyperSwarm(size: 200)
        swarm.bootstrapAll()
        let topic = key(0x5A)
        var announced: Set<PeerAddress> = []
        for index in 1...10 {
            let (_, summary) = swarm.announce(index * 7, key: topic, port: 10_000 + UInt16(index))
            #expect(try #require(summary).error == nil)
            #expect(summary?.commits ?? 0 > 0)
            announced.insert(PeerAddress(host: swarm.nodes[index * 7].dht.localAddress.host, port: 10_000 + UInt16(index)))
        }
        for asker in [0, 3, 150, 199] {
            let (results, summary) = swarm.lookup(asker, key: topic)
            #expect(summary?.error == nil)
            let found = Set(results.flatMap(\.peers))
            #expect(found == announced, "lookup from node \(asker)")
        }
        let removed = PeerAddress(host: swarm.nodes[7].dht.localAddress.host, port: 10_001)
        #expect(swarm.unannounce(7, key: topic, port: 10_001)?.error == nil)
        let (results, _) = swarm.lookup(42, key: topic)
        let found = Set(results.flatMap(\.peers))
        #expect(found == announced.subtracting([removed]))
    }

    @Test func announcementsExpireAfterTheMaximumAgeUnlessRefreshed() throws {
        let swarm = try HyperSwarm(size: 40, store: PeerStoreConfiguration(maxAge: .seconds(12 * 60)))
        swarm.bootstrapAll()
        let topic = key(0x11)
        _ = swarm.announce(5, key: topic, port: 4000)
        _ = swarm.announce(6, key: topic, port: 4001)
        swarm.run(for: .seconds(8 * 60))
        _ = swarm.announce(6, key: topic, port: 4001)  // refreshed; 5's stays 8 minutes old
        swarm.run(for: .seconds(5 * 60))
        let (results, _) = swarm.lookup(20, key: topic)
        let found = Set(results.flatMap(\.peers).map(\.port))
        #expect(found == [4001])
        let stored = swarm.nodes.reduce(0) { $0 + $1.store.count }
        #expect(stored > 0)
        let expiredEvents = swarm.served.flatMap { $0 }.contains { if case .storeTrimmed(let n, _) = $0 { return n > 0 } else { return false } }
        #expect(expiredEvents)
    }

    @Test func localPeersAreReturnedOnlyToARequesterInTheSameSlash16() throws {
        let swarm = try HyperSwarm(size: 40)
        swarm.bootstrapAll()
        let topic = key(0x22)
        let lan = PeerAddress(host: IPAddress(192, 168, 7, 9), port: 5555)
        _ = swarm.announce(3, key: topic, port: 4000, localAddress: lan)
        let (sameLAN, _) = swarm.lookup(10, key: topic, localAddress: PeerAddress(host: IPAddress(192, 168, 1, 2), port: 1))
        #expect(Set(sameLAN.flatMap(\.localPeers)) == [lan])
        // The reference's lookup sends port 0 for a local address given without a port: the /16 filter still applies.
        let (portless, _) = swarm.lookup(13, key: topic, localAddress: PeerAddress(host: IPAddress(192, 168, 1, 2), port: 0))
        #expect(Set(portless.flatMap(\.localPeers)) == [lan])
        let (otherLAN, _) = swarm.lookup(11, key: topic, localAddress: PeerAddress(host: IPAddress(10, 9, 1, 2), port: 1))
        #expect(otherLAN.flatMap(\.localPeers).isEmpty)
        #expect(!otherLAN.flatMap(\.peers).isEmpty)
        let (noLAN, _) = swarm.lookup(12, key: topic)
        #expect(noLAN.flatMap(\.localPeers).isEmpty)
    }

    @Test func aLookupNeverReturnsTheRequestersOwnAnnouncement() throws {
        let swarm = try HyperSwarm(size: 30)
        swarm.bootstrapAll()
        let topic = key(0x33)
        _ = swarm.announce(4, key: topic)  // port 0: the UDP source port
        let (others, _) = swarm.lookup(9, key: topic)
        #expect(Set(others.flatMap(\.peers)) == [swarm.nodes[4].dht.localAddress])
        let (own, _) = swarm.lookup(4, key: topic)
        #expect(own.flatMap(\.peers).isEmpty)
    }
}
