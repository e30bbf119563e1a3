import DHTRPC
import IPEncoding
import KBucket

/// What the monitor hears from the node: the subset of the node's events the panes use, as plain
/// values with public initialisers (so tests and other backends can produce them). Built from
/// ``DHTEvent`` by ``init(_:)``; the HyperDHT layer adds ``peersFound(queryID:key:from:peers:localPeers:)``.
public enum MonitorEvent: Sendable, Equatable, Codable {
    /// A request went out (first transmission).
    case requestSent(tid: UInt16, command: String, to: PeerAddress, bytes: Int)
    /// A request was retransmitted.
    case requestRetransmitted(tid: UInt16, command: String, to: PeerAddress, transmission: Int)
    /// An answer matched one of our requests.
    case responseMatched(tid: UInt16, command: String, from: PeerAddress, roundTripTime: Duration)
    /// A request got no answer in time.
    case requestTimedOut(tid: UInt16, command: String, to: PeerAddress, transmissions: Int)
    /// A request was cancelled (node closing).
    case requestCancelled(tid: UInt16, command: String, to: PeerAddress)
    /// A request arrived.
    case requestReceived(tid: UInt16, command: String, from: PeerAddress)
    /// An answer whose tid matched a request but came from elsewhere; dropped.
    case spoofedResponse(tid: UInt16, from: PeerAddress, expected: PeerAddress)
    /// A datagram that did not decode; dropped.
    case malformedDropped(from: PeerAddress, bytes: Int)
    /// Datagrams from `from`'s host went over the per-source rate limit and were dropped (at most one
    /// such event per second per source; `droppedSoFar` is the node's total).
    case rateLimited(from: PeerAddress, droppedSoFar: Int)
    /// A node entered the routing table.
    case nodeAdded(NodeReference)
    /// A node in the table was heard from again.
    case nodeRefreshed(NodeReference)
    /// A node left the table.
    case nodeRemoved(NodeReference, reason: String)
    /// The first bootstrap finished.
    case ready
    /// A bootstrap finished with this many responses.
    case bootstrapped(responses: Int)
    /// A walk started.
    case queryStarted(id: UInt64, command: String, target: NodeID, isUpdate: Bool)
    /// A walk got an answer or an error.
    case queryProgressed(id: UInt64, QueryStep)
    /// A walk ended.
    case queryFinished(id: UInt64, QueryOutcome)
    /// We asked `referrer` to forward a `_ping` to `peer`.
    case holepunchAsked(peer: PeerAddress, referrer: PeerAddress, tid: UInt16?)
    /// Part of our punch to `peer`: a `_ping` straight to it (`phase` "before" or "after" the ask), so
    /// our own NAT lets its answer in.
    case holepunchDirectPing(peer: PeerAddress, referrer: PeerAddress, phase: String)
    /// As a referrer we forwarded `from`'s `_ping` to `to`.
    case holepunchForwarded(from: PeerAddress, to: PeerAddress, tid: UInt16)
    /// As a referrer we refused to forward `from`'s `_ping` to `to` (`reason` says why).
    case holepunchForwardRefused(from: PeerAddress, to: PeerAddress, reason: String)
    /// A forwarded `_ping` reached us and we answered `requester` directly.
    case holepunchReceived(requester: PeerAddress, referrer: PeerAddress, tid: UInt16)
    /// The punched peer answered us (from `from`).
    case holepunchAnswered(peer: PeerAddress, referrer: PeerAddress, from: PeerAddress, roundTripTime: Duration)
    /// Our punch through `referrer` got no answer.
    case holepunchFailed(peer: PeerAddress, referrer: PeerAddress, reason: String)
    /// A follow-up probe step after our punch to `peer` through `referrer` failed (what was sent or
    /// found; `isProblem` marks a symptom).
    case holepunchProbeStep(peer: PeerAddress, referrer: PeerAddress, text: String, isProblem: Bool)
    /// The follow-up's verdict on that failed punch: the `cause` id, a few words (`label`) and the
    /// `explanation`.
    case holepunchExplained(peer: PeerAddress, referrer: PeerAddress, cause: String, label: String, explanation: String)
    /// `reportedBy` sees us at `address`.
    case observedAddress(PeerAddress, reportedBy: PeerAddress)
    /// Walk `queryID` is a `label` (lookup, announce, unannounce) – more than its DHT command says.
    case queryLabelled(id: UInt64, label: String)
    /// Walk `queryID` (an announce or lookup of ours) learned peers announced under `key` from `from`,
    /// the node a hole punch to them goes through; `localPeers` are on our LAN.
    case peersFound(queryID: UInt64, key: NodeID, from: NodeReference, peers: [PeerAddress], localPeers: [PeerAddress])
}

/// One step of a running walk.
public struct QueryStep: Sendable, Equatable, Codable {
    /// Answers so far.
    public var responses: Int
    /// Errors so far.
    public var errors: Int
    /// Requests in flight.
    public var inflight: Int
    /// Deepest hop answered.
    public var hops: Int
    /// Bits shared with the target by the closest node that answered.
    public var closestPrefix: Int
    /// The node of this step.
    public var node: NodeReference
    /// Whether it answered.
    public var answered: Bool

    /// Creates a step.
    public init(responses: Int, errors: Int, inflight: Int, hops: Int, closestPrefix: Int, node: NodeReference,
                answered: Bool) {
        self.responses = responses
        self.errors = errors
        self.inflight = inflight
        self.hops = hops
        self.closestPrefix = closestPrefix
        self.node = node
        self.answered = answered
    }
}

/// How a walk ended.
public struct QueryOutcome: Sendable, Equatable, Codable {
    /// Answers.
    public var responses: Int
    /// Errors.
    public var errors: Int
    /// Deepest hop.
    public var hops: Int
    /// From start to end.
    public var duration: Duration
    /// Closest nodes that answered, closest first.
    public var closest: [NodeReference]
    /// Why it failed, if it did.
    public var error: String?

    /// Creates an outcome.
    public init(responses: Int, errors: Int, hops: Int, duration: Duration, closest: [NodeReference],
                error: String? = nil) {
        self.responses = responses
        self.errors = errors
        self.hops = hops
        self.duration = duration
        self.closest = closest
        self.error = error
    }

    /// Copies a node's query summary.
    public init(_ summary: QuerySummary) {
        self.init(responses: summary.responses, errors: summary.errors, hops: summary.hops, duration: summary.duration,
                  closest: summary.closest, error: summary.error.map { "\($0)" })
    }
}
