import Foundation
import IPEncoding
import KBucket
import UDPRequest

/// Identifies one query or update of a node, for correlating its events.
public typealias QueryID = UInt64

/// Everything a ``DHTNode`` does, for observers (the monitor is built on these and on
/// ``DHTNodeSnapshot`` alone). Delivered synchronously on the node's context; keep handlers cheap.
public enum DHTEvent: Sendable {
    /// A socket-level event: request sent / received / answered / timed out / retransmitted,
    /// response sent, forward, malformed datagram dropped, unmatched or spoofed response.
    case socket(RequestSocketEvent)
    /// A node entered the routing table.
    case nodeAdded(NodeReference)
    /// A node already in the table was heard from again (moved to its bucket's recent end).
    case nodeRefreshed(NodeReference)
    /// A node left the routing table (did not answer a ping, or lost a full bucket's ping round).
    case nodeRemoved(NodeReference, reason: NodeRemovalReason)
    /// The first bootstrap finished: the node is ready.
    case ready
    /// A bootstrap (the first or a later one) finished with this many responses.
    case bootstrapped(responses: Int)
    /// A query or update started.
    case queryStarted(QueryID, command: String, target: NodeID, isUpdate: Bool)
    /// A query got an answer or an error; `closestPrefix` is the longest id prefix (in bits) shared
    /// with the target among the nodes that answered so far.
    case queryProgressed(QueryID, QueryProgress)
    /// A query or update ended.
    case queryFinished(QueryID, QuerySummary)
    /// We asked `referrer` to forward a `_ping` to `peer` (hole punch), with this tid (`nil` while
    /// the request waits in the queue).
    case holepunchAsked(peer: PeerAddress, referrer: PeerAddress, tid: UInt16?)
    /// Part of our punch to `peer` through `referrer`: a `_ping` sent straight to the peer, so our own
    /// NAT lets its answer in (``HolepunchOptions/opensOwnMapping``).
    case holepunchDirectPing(peer: PeerAddress, referrer: PeerAddress, phase: HolepunchDirectPing)
    /// As a referrer, we forwarded `from`'s `_ping` to `to`.
    case holepunchForwarded(from: PeerAddress, to: PeerAddress, tid: UInt16)
    /// As a referrer, we refused to forward `from`'s `_ping` to `to` (see ``ForwardingPolicy``).
    case holepunchForwardRefused(from: PeerAddress, to: PeerAddress, reason: ForwardRefusal)
    /// A forwarded `_ping` reached us; we answered the original requester directly.
    case holepunchReceived(requester: PeerAddress, referrer: PeerAddress, tid: UInt16)
    /// The punched peer answered us directly (to the forwarded ping or to one of our direct pings).
    case holepunchAnswered(peer: PeerAddress, referrer: PeerAddress, from: PeerAddress, roundTripTime: Duration)
    /// Our hole punch through `referrer` got no answer.
    case holepunchFailed(peer: PeerAddress, referrer: PeerAddress, error: DHTError)
    /// A request we will not serve was dropped (forward of a command other than `_ping`, bad target, ...).
    case requestRejected(from: PeerAddress, command: String, reason: RejectionReason)
    /// A peer told us (in a `_ping` answer) the address it sees us at.
    case observedAddress(PeerAddress, reportedBy: PeerAddress)
}

/// Why a node left the routing table.
public enum NodeRemovalReason: String, Sendable {
    /// It did not answer an upkeep ping.
    case unresponsive
    /// Its bucket was full and it failed the ping that would have kept it.
    case replaced
    /// It answered a query with an error.
    case failedQuery
}

/// Why an incoming request was not served.
public enum RejectionReason: String, Sendable {
    /// `forwardRequest` on a command other than `_ping`: we are not an open relay.
    case forwardNotPing
    /// `forwardRequest` / `forwardResponse` did not hold a usable address.
    case badForwardAddress
    /// `forwardResponse` on a command other than `_ping` (this crashes the reference).
    case forwardResponseNotPing
    /// The target is missing or not 32 bytes.
    case badTarget
    /// The registered handler chose not to answer.
    case handlerDeclined
}

/// One step of a running query, for progress displays.
public struct QueryProgress: Sendable {
    /// Requests answered so far.
    public var responses: Int
    /// Requests failed so far.
    public var errors: Int
    /// Requests in flight for this query.
    public var inflight: Int
    /// The deepest hop answered (bootstrap/table nodes are hop 1).
    public var hops: Int
    /// Bits shared with the target by the closest node that answered so far.
    public var closestPrefix: Int
    /// Whether the update's commit pass has started.
    public var committing: Bool
    /// The node that answered or failed in this step.
    public var node: NodeReference
    /// Whether that step was an answer (`true`) or an error.
    public var answered: Bool
}
