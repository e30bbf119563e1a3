import IPEncoding
import KBucket

/// Which node returned which peer in recent announces and lookups, bounded: what a failed punch's
/// follow-up needs to try other referrers (``PunchFailureProbe/Hints/alternateReferrers``) and to see
/// whether the nodes storing a peer's announcement see it at different ports
/// (``PunchFailureProbe/Hints/peerSightings``). A value; the caller keeps it where its walks report.
public struct PeerSightingLog: Sendable {
    private struct Sighting: Equatable, Sendable {
        let key: NodeID
        let node: PeerAddress
        let peer: PeerAddress
    }

    /// The most sightings kept; the oldest go first.
    public let capacity: Int
    private var sightings: [Sighting] = []

    /// Creates an empty log keeping at most `capacity` sightings.
    public init(capacity: Int = 1024) { self.capacity = max(1, capacity) }

    /// The number of sightings kept.
    public var count: Int { sightings.count }

    /// Records that `node` returned `peers` for `key` (a repeat moves to the newest end).
    public mutating func record(key: NodeID, node: PeerAddress, peers: [PeerAddress]) {
        for peer in peers.suffix(capacity) {
            let sighting = Sighting(key: key, node: node, peer: peer)
            sightings.removeAll { $0 == sighting }
            sightings.append(sighting)
        }
        if sightings.count > capacity { sightings.removeFirst(sightings.count - capacity) }
    }

    /// Hints for a punch to `peer` through `referrer`: the other nodes that returned exactly this
    /// peer, newest first, and where each node that returned the peer's host – under `keys`, or by
    /// default under a key the peer itself was found under – sees it.
    public func hints(peer: PeerAddress, referrer: PeerAddress, keys: [NodeID]? = nil)
        -> (alternates: [PeerAddress], sightings: [PunchFailureFacts.PeerSighting]) {
        let keys = keys ?? sightings.filter { $0.peer == peer }.map(\.key)
        var alternates: [PeerAddress] = []
        for sighting in sightings.reversed() where sighting.peer == peer && sighting.node != referrer
            && !alternates.contains(sighting.node) {
            alternates.append(sighting.node)
        }
        let seen = sightings.filter { sighting in sighting.peer.host == peer.host && keys.contains(sighting.key) }
            .map { PunchFailureFacts.PeerSighting(reportedBy: $0.node, address: $0.peer) }
        return (alternates, seen)
    }
}
