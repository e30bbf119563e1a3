import IPEncoding
import KBucket
import NATDiagnosis
import Testing

/// The log behind a punch's hints: other referrers of exactly the peer, the peer host's ports as
/// each storing node sees them, and its bound.
@Suite struct PeerSightingLogTests {
    let key = NodeID([UInt8](repeating: 1, count: 32)), otherKey = NodeID([UInt8](repeating: 2, count: 32))
    let peer = PeerAddress(host: IPAddress(203, 0, 113, 5), port: 6000)
    func node(_ last: UInt8) -> PeerAddress { PeerAddress(host: IPAddress(198, 51, 100, last), port: 49737) }

    @Test func otherNodesThatReturnedThePeerAreAlternatesNewestFirst() {
        var log = PeerSightingLog()
        log.record(key: key, node: node(1), peers: [peer])
        log.record(key: key, node: node(2), peers: [peer])
        log.record(key: key, node: node(3), peers: [PeerAddress(host: peer.host, port: 6001)])
        log.record(key: key, node: node(4), peers: [peer])
        let hints = log.hints(peer: peer, referrer: node(1))
        #expect(hints.alternates == [node(4), node(2)])
        #expect(hints.sightings.map(\.address.port) == [6000, 6000, 6001, 6000])
    }

    @Test func sightingsComeOnlyFromKeysThePeerWasFoundUnder() {
        var log = PeerSightingLog()
        log.record(key: key, node: node(1), peers: [peer])
        log.record(key: otherKey, node: node(2), peers: [PeerAddress(host: peer.host, port: 7000)])
        let hints = log.hints(peer: peer, referrer: node(1))
        #expect(hints.alternates.isEmpty)
        #expect(hints.sightings == [.init(reportedBy: node(1), address: peer)])
        // A key named by the caller counts even when the exact address is not among its answers.
        let named = log.hints(peer: PeerAddress(host: peer.host, port: 1), referrer: node(1), keys: [otherKey])
        #expect(named.sightings == [.init(reportedBy: node(2), address: PeerAddress(host: peer.host, port: 7000))])
    }

    @Test func theLogKeepsItsNewestSightingsWithinCapacity() {
        var log = PeerSightingLog(capacity: 3)
        for last in 1...5 { log.record(key: key, node: node(UInt8(last)), peers: [peer]) }
        log.record(key: key, node: node(5), peers: [peer])  // a repeat is not a new entry
        #expect(log.count == 3)
        #expect(log.hints(peer: peer, referrer: node(9)).alternates == [node(5), node(4), node(3)])
    }
}
