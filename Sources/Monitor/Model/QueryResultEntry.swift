import DHTRPC
import IPEncoding

/// A peer an announce or lookup found, and the node that returned it.
public struct FoundPeer: Equatable, Sendable {
    /// The peer's address as announced.
    public var address: PeerAddress
    /// The node that stores the announcement – the referrer for a hole punch to the peer.
    public var via: NodeReference
    /// Whether it came as a LAN address (`localPeers`).
    public var isLocalNetwork: Bool

    /// Creates a found peer.
    public init(address: PeerAddress, via: NodeReference, isLocalNetwork: Bool = false) {
        self.address = address
        self.via = via
        self.isLocalNetwork = isLocalNetwork
    }
}

/// One selectable result of a walk: a peer it found or a node that answered it.
public enum QueryResultEntry: Equatable, Sendable {
    /// A peer announced under the walk's target.
    case peer(FoundPeer)
    /// A DHT node that answered the walk.
    case node(NodeReference)

    /// The address `p` pings and `h` punches.
    public var address: PeerAddress {
        switch self {
        case .peer(let peer): peer.address
        case .node(let node): node.address
        }
    }

    /// The referrer this result names itself: for a found peer, the node that returned it.
    public var referrer: PeerAddress? {
        if case .peer(let peer) = self { return peer.via.address }
        return nil
    }
}
