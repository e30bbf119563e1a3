import DHTRPC
import IPEncoding
import KBucket

/// One node's answer to an announce or lookup: the peers it stores for the key.
public struct PeerResult: Sendable {
    /// The node that answered (this node itself for a local-store answer).
    public var node: NodeReference
    /// Public addresses announced under the key (never the requester's own).
    public var peers: [PeerAddress]
    /// Addresses on the requester's LAN (same first two octets as its `localAddress`), rebuilt from
    /// the 4-byte `localPeers` entries.
    public var localPeers: [PeerAddress]
    /// Whether it came from this node's own store rather than the network.
    public var isLocal: Bool
}

/// What an announce / lookup / unannounce stream yields: answers as they arrive, then the summary.
public enum PeerQueryEvent: Sendable {
    /// A node's answer.
    case result(PeerResult)
    /// The walk ended.
    case finished(QuerySummary)
}

/// What a hyperdht node serves and finds, for observers (the monitor's store and queries panes,
/// `hyperdht node` logs).
public enum HyperDHTEvent: Sendable {
    /// `peer` announced itself under `key` (with a valid token); `refreshed` if it already was.
    case announced(key: NodeID, peer: PeerAddress, localAddress: PeerAddress?, refreshed: Bool)
    /// `peer` withdrew its announcement under `key`.
    case unannounced(key: NodeID, peer: PeerAddress)
    /// `from` looked `key` up here; `answered` peers were returned.
    case lookedUp(key: NodeID, from: PeerAddress, answered: Int)
    /// Announcements aged out or were evicted to respect the store's caps.
    case storeTrimmed(expired: Int, evicted: Int)
    /// An announce, unannounce or lookup of ours started as walk `query` (its `queryStarted` DHT
    /// event names only the `peers` command).
    case peerWalkStarted(query: QueryID, type: PeerRequestType, key: NodeID)
    /// An announce or lookup of ours (walk `query`) learned peers for `key` from another node, `node` –
    /// the node a hole punch to them goes through. Our own store's answers are not reported.
    case peersFound(query: QueryID, key: NodeID, node: NodeReference, peers: [PeerAddress], localPeers: [PeerAddress])
    /// A keep-alive round of a kept announcement of `key`: the `storingNodes` holding it were pinged and
    /// `answered` of them answered; `behindNAT` is what their answers said (`nil`: they could not tell);
    /// the next round comes after `next`, or `nil` when pings pause until the next re-announce (we are public).
    case keepAlivePinged(key: NodeID, storingNodes: Int, answered: Int, behindNAT: Bool?, next: Duration?)
}

/// The hyperdht request types (`PeerRequest.type`).
public enum PeerRequestType: UInt32, Sendable {
    /// Ask for the peers stored under a key.
    case lookup = 0
    /// Store the sender under a key (needs a valid round-trip token).
    case announce = 1
    /// Remove the sender from a key (needs a valid round-trip token).
    case unannounce = 2
}

extension PeerQueryEvent: WalkStreamEvent {
    /// The answer, for `.result`.
    public var answer: PeerResult? {
        if case .result(let result) = self { return result }
        return nil
    }

    /// The summary, for `.finished`.
    public var summary: QuerySummary? {
        if case .finished(let summary) = self { return summary }
        return nil
    }
}
