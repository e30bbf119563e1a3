import DHTRPC
import IPEncoding
import KBucket

/// The monitor's only way to the node: the executable wires a real hyperdht node
/// (`HyperDHTMonitorBackend`); tests wire fakes. Every call may be made from any task and must never block
/// the node.
public protocol MonitorBackend: Sendable {
    /// The node's events from now on, translated, in batches (in order within and across batches) –
    /// one hand-over per batch keeps a flood cheap. The stream must be bounded (drop the oldest
    /// events when the monitor falls behind), count what it drops in the next batch's
    /// ``MonitorEventBatch/dropped`` (``AsyncStream/Continuation/yield(_:carrying:)`` does both), and
    /// end when the node closes.
    func events() async throws -> AsyncStream<MonitorEventBatch>
    /// The node's state now.
    func status() async throws -> NodeStatus
    /// Pings `address`.
    func ping(_ address: PeerAddress) async throws -> PingOutcome
    /// Punches a hole to `peer` through `referrer`. A backend that can probe why a punch failed
    /// does so before it throws (``MonitorError/holepunchFailed(label:explanation:)``), sending the
    /// probes' steps and verdict as ``MonitorEvent/holepunchProbeStep(peer:referrer:text:isProblem:)``
    /// and ``MonitorEvent/holepunchExplained(peer:referrer:cause:label:explanation:)`` events.
    func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingOutcome
    /// Re-runs the bootstrap walk; the number of nodes that answered.
    func bootstrap() async throws -> Int
    /// Runs a walk of `command` toward `target` (results appear through the query events too).
    func query(command: String, target: NodeID) async throws -> QueryOutcome
    /// Looks `target` up (HyperDHT: the peers announced under it).
    func lookup(_ target: LookupTarget) async throws -> LookupOutcome
    /// Announces this node under `target`.
    func announce(_ target: LookupTarget) async throws -> LookupOutcome
    /// Withdraws an announcement of this node under `target`.
    func unannounce(_ target: LookupTarget) async throws -> LookupOutcome
    /// The announcements this node stores for others; `nil` when no HyperDHT store is attached.
    func storedAnnouncements() async throws -> StoreSnapshot?
    /// What the header should say about the data's source now (a replay, a detached node); `nil`
    /// for a live node. Read once per frame, so it must be cheap.
    var sourceMarker: SourceMarker? { get }
}

extension MonitorBackend {
    /// A live node needs no marker.
    public var sourceMarker: SourceMarker? { nil }
}

extension MonitorBackend {
    /// Default for a backend over a bare DHT node (no HyperDHT layer): lookups are not available.
    public func lookup(_ target: LookupTarget) async throws -> LookupOutcome {
        throw MonitorError.unavailable("lookup needs the HyperDHT layer, which this node does not run")
    }

    /// Default for a backend over a bare DHT node: announcing is not available.
    public func announce(_ target: LookupTarget) async throws -> LookupOutcome {
        throw MonitorError.unavailable("announce needs the HyperDHT layer, which this node does not run")
    }

    /// Default for a backend over a bare DHT node: unannouncing is not available.
    public func unannounce(_ target: LookupTarget) async throws -> LookupOutcome {
        throw MonitorError.unavailable("unannounce needs the HyperDHT layer, which this node does not run")
    }

    /// Default: no HyperDHT store attached.
    public func storedAnnouncements() async throws -> StoreSnapshot? { nil }
}

/// A `_ping` (or hole punch) answer.
public struct PingOutcome: Sendable, Equatable, Codable {
    /// Who answered.
    public var responder: PeerAddress
    /// Its id, if it sent one.
    public var responderID: NodeID?
    /// Where it sees us.
    public var observedAddress: PeerAddress
    /// Round-trip time.
    public var roundTripTime: Duration

    /// Creates an outcome.
    public init(responder: PeerAddress, responderID: NodeID?, observedAddress: PeerAddress, roundTripTime: Duration) {
        self.responder = responder
        self.responderID = responderID
        self.observedAddress = observedAddress
        self.roundTripTime = roundTripTime
    }
}

/// What `l`, `a` and `u` act on: a 32-byte key typed as 64 hex digits, or topic text (the HyperDHT layer
/// decides how a topic becomes a key).
public enum LookupTarget: Sendable, Equatable, Codable, CustomStringConvertible {
    /// A key given as 64 hex digits.
    case key(NodeID)
    /// Topic text.
    case topic(String)

    /// `key 1a2b…` or `topic "text"`.
    public var description: String {
        switch self {
        case .key(let id): "key \(id.hexString.prefix(16))…"
        case .topic(let text): "topic \"\(text)\""
        }
    }
}

/// The result of a lookup, announce or unannounce.
public struct LookupOutcome: Sendable, Equatable, Codable {
    /// Peers found (lookup) – public address and, when announced, the local one.
    public var peers: [AnnouncedPeer]
    /// Nodes that answered, closest first.
    public var closest: [NodeReference]
    /// Time taken.
    public var duration: Duration

    /// Creates an outcome.
    public init(peers: [AnnouncedPeer], closest: [NodeReference], duration: Duration) {
        self.peers = peers
        self.closest = closest
        self.duration = duration
    }
}
