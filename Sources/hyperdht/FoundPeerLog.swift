import HyperDHT
import IPEncoding
import KBucket
import NATDiagnosis

/// The monitor backend's ``PeerSightingLog``, shared between its event task and its punches.
actor FoundPeerLog {
    private var log = PeerSightingLog()

    /// Records that `node` returned `peers` for `key`.
    func record(key: NodeID, node: PeerAddress, peers: [PeerAddress]) {
        log.record(key: key, node: node, peers: peers)
    }

    /// Other referrers and sightings for a punch to `peer` through `referrer`.
    func hints(peer: PeerAddress, referrer: PeerAddress) -> (alternates: [PeerAddress], sightings: [PunchFailureFacts.PeerSighting]) {
        log.hints(peer: peer, referrer: referrer)
    }
}

extension PunchFailureProbe.Hints {
    /// Adds what a lookup's answers say about `peer` (the command line's `holepunch --key`): the
    /// other nodes that returned exactly it and where every node sees the peer's host.
    mutating func add(_ lookup: AsyncStream<PeerQueryEvent>, key: NodeID, peer: PeerAddress, referrer: PeerAddress) async {
        var log = PeerSightingLog()
        for await event in lookup {
            guard case .result(let result) = event, !result.isLocal else { continue }
            log.record(key: key, node: result.node.address, peers: result.peers)
        }
        // The key is the user's: its sightings count even when the exact address punched is no longer among them.
        let (alternates, sightings) = log.hints(peer: peer, referrer: referrer, keys: [key])
        alternateReferrers += alternates.filter { !alternateReferrers.contains($0) }
        peerSightings += sightings
    }
}
