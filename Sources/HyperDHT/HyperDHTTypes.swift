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

/// What a storing node serves, for observers (the monitor's announcements pane, `hyperdht node` logs).
public enum HyperDHTEvent: Sendable {
    /// `peer` announced itself under `key` (with a valid token); `refreshed` if it already was.
    case announced(key: NodeID, peer: PeerAddress, localAddress: PeerAddress?, refreshed: Bool)
    /// `peer` withdrew its announcement under `key`.
    case unannounced(key: NodeID, peer: PeerAddress)
    /// `from` looked `key` up here; `answered` peers were returned.
    case lookedUp(key: NodeID, from: PeerAddress, answered: Int)
    /// Announcements aged out or were evicted to respect the store's caps.
    case storeTrimmed(expired: Int, evicted: Int)
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

extension AsyncSequence where Element == PeerQueryEvent {
    /// Runs the stream to its end: every node's answer in arrival order, and the summary.
    public func collect() async rethrows -> (results: [PeerResult], summary: QuerySummary?) {
        var results: [PeerResult] = []
        var summary: QuerySummary?
        for try await event in self {
            switch event {
            case .result(let result): results.append(result)
            case .finished(let finished): summary = finished
            }
        }
        return (results, summary)
    }
}
