import IPEncoding
import KBucket

// The lines printed while a command runs (docs/JSON-OUTPUT.md): answers of a walk, and the running
// output of the commands that run until stopped.

/// `lookup`, `announce`: one node's answer (or our own store's, `local`).
struct PeersLine: JSONLineBody, Equatable {
    static let type = "peers"

    /// The key walked to.
    var key: NodeID
    /// The node that answered.
    var node: JSONAddress
    /// Its id, null if it sent none.
    @Nullable var nodeId: NodeID?
    /// Whether the answer came from this process's own node rather than the network.
    var local: Bool
    /// Public addresses announced under the key.
    var peers: [JSONAddress]
    /// Announced addresses on our LAN (same /16 as the LAN address we shared).
    var localPeers: [JSONAddress]
}

/// `node`, `bootstrap`: the node is up.
struct ListeningLine: JSONLineBody, Equatable {
    static let type = "listening"

    /// Where it listens (0.0.0.0: every IPv4 interface).
    var address: JSONAddress
    /// Its node id.
    var id: NodeID
}

/// `node`, `bootstrap`: the node joined its network (a bootstrap node, or a first node, joins at once).
struct ReadyLine: JSONLineBody, Equatable {
    static let type = "ready"

    /// Nodes that answered the bootstrap walk (0 for a node with no bootstrap nodes).
    var responses: Int
}

/// `node`: no bootstrap node answered; it tries again after `retryInSeconds`.
struct BootstrapFailedLine: JSONLineBody, Equatable {
    static let type = "bootstrap-failed"

    var error: String
    var retryInSeconds: Int64
}

/// `node`, `bootstrap`: it stored (or refreshed) an announcement for another node.
struct ServedAnnounceLine: JSONLineBody, Equatable {
    static let type = "announce"

    var key: NodeID
    /// The announced address.
    var peer: JSONAddress
    /// The LAN address sent with it, if any.
    @Nullable var localAddress: JSONAddress?
    /// Whether it was already stored (a re-announce).
    var refreshed: Bool
}

/// `node`, `bootstrap`: it removed an announcement on request.
struct ServedUnannounceLine: JSONLineBody, Equatable {
    static let type = "unannounce"

    var key: NodeID
    var peer: JSONAddress
}

/// `node`, `bootstrap`: it answered a lookup.
struct ServedLookupLine: JSONLineBody, Equatable {
    static let type = "lookup"

    var key: NodeID
    /// Who asked.
    var from: JSONAddress
    /// How many peers the answer carried.
    var answered: Int
}

/// `testnet`: every node is up; join through `bootstrap`.
struct TestnetLine: JSONLineBody, Equatable {
    static let type = "testnet"

    var bootstrap: JSONAddress
    var nodes: Int
}

/// `announce --keep`: the first round is done; it keeps the key announced until stopped.
struct KeepingLine: JSONLineBody, Equatable {
    static let type = "keeping"

    var key: NodeID
    /// The port announced (0: the UDP port other nodes see us at).
    var port: UInt16
    /// The LAN address shared with it, if any.
    @Nullable var lanAddress: JSONAddress?
}

/// `announce --keep --verbose`: a keep-alive round pinged the nodes storing the announcement.
struct KeepaliveLine: JSONLineBody, Equatable {
    static let type = "keepalive"

    var key: NodeID
    var storingNodes: Int
    var answered: Int
    /// Whether the answers show a NAT in front of us; null if unknown.
    @Nullable var behindNAT: Bool?
    /// Seconds to the next round; null: paused until the next re-announce.
    @Nullable var nextSeconds: Int64?
}

/// `node`, `bootstrap`, `announce --keep`, `monitor` with `--metrics`: where the Prometheus metrics are served.
struct MetricsLine: JSONLineBody, Equatable {
    static let type = "metrics"

    /// The scrape URL (`http://HOST:PORT/metrics`).
    var url: String
    /// The address the metrics listener is bound to.
    var address: JSONAddress
}

/// Every kind of `--json` line (each has `docs/json/TYPE.schema.json`; a test checks both ways).
enum JSONLineCatalogue {
    static var types: [String] {
        [SummaryLine.type, PongLine.type, PunchedLine.type, NetcheckLine.type, ErrorLine.type, StoppedLine.type,
         PeersLine.type, ListeningLine.type, ReadyLine.type, BootstrapFailedLine.type, ServedAnnounceLine.type,
         ServedUnannounceLine.type, ServedLookupLine.type, TestnetLine.type, KeepingLine.type, KeepaliveLine.type, MetricsLine.type]
    }
}
