import HyperDHT
import IPEncoding
import KBucket
import NATDiagnosis

/// Which node returned which peer in our recent announces and lookups, bounded: what a punch's
/// follow-up needs to try other referrers and to see whether the nodes storing a peer's
/// announcement see it at different ports.
actor FoundPeerLog {
    private struct Sighting: Equatable {
        let key: NodeID
        let node: PeerAddress
        let peer: PeerAddress
    }

    private let capacity: Int
    private var sightings: [Sighting] = []

    init(capacity: Int = 1024) { self.capacity = capacity }

    /// Records that `node` returned `peers` for `key`.
    func record(key: NodeID, node: PeerAddress, peers: [PeerAddress]) {
        for peer in peers.prefix(capacity) {
            let sighting = Sighting(key: key, node: node, peer: peer)
            sightings.removeAll { $0 == sighting }
            sightings.append(sighting)
        }
        if sightings.count > capacity { sightings.removeFirst(sightings.count - capacity) }
    }

    /// Hints for a punch to `peer` through `referrer`: the other nodes that returned exactly this
    /// peer (newest first), and where every node that returned a peer at its host, under a key the
    /// peer was found under, sees it.
    func hints(peer: PeerAddress, referrer: PeerAddress) -> (alternates: [PeerAddress], sightings: [PunchFailureFacts.PeerSighting]) {
        let keys = Set(sightings.filter { $0.peer == peer }.map(\.key.hexString))
        var alternates: [PeerAddress] = []
        for sighting in sightings.reversed() where sighting.peer == peer && sighting.node != referrer
            && !alternates.contains(sighting.node) {
            alternates.append(sighting.node)
        }
        let seen = sightings.filter { keys.contains($0.key.hexString) && $0.peer.host == peer.host }
            .map { PunchFailureFacts.PeerSighting(reportedBy: $0.node, address: $0.peer) }
        return (alternates, seen)
    }
}

extension PunchFailureProbe.Hints {
    /// Adds what a lookup's answers say about `peer`: the other nodes that returned exactly it (to
    /// punch through) and where every node sees the peer's host (to spot a port-randomising NAT).
    mutating func add(_ lookup: AsyncStream<PeerQueryEvent>, peer: PeerAddress, referrer: PeerAddress) async {
        for await event in lookup {
            guard case .result(let result) = event, !result.isLocal else { continue }
            for address in result.peers where address.host == peer.host {
                peerSightings.append(.init(reportedBy: result.node.address, address: address))
                if address == peer, result.node.address != referrer, !alternateReferrers.contains(result.node.address) {
                    alternateReferrers.append(result.node.address)
                }
            }
        }
    }
}
