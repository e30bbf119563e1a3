import IPEncoding
import KBucket
import UDPRequest

/// A point-in-time copy of a ``DHTNode``'s state: everything a monitor draws, as values.
public struct DHTNodeSnapshot: Sendable {
    /// The node's id.
    public var id: NodeID
    /// The bound address.
    public var localAddress: PeerAddress
    /// Whether the first bootstrap finished.
    public var isReady: Bool
    /// Whether the node sends no id.
    public var ephemeral: Bool
    /// Time since the node was created.
    public var uptime: Duration
    /// The upkeep tick counter.
    public var tick: Int
    /// The routing table's buckets and contacts.
    public var routingTable: KBucketSnapshot<RoutingContact>
    /// Requests waiting for an answer.
    public var inflight: [InflightRequest]
    /// Requests waiting for a free slot.
    public var queuedRequests: Int
    /// Walks running.
    public var activeQueries: Int
    /// Datagram-level totals.
    public var socketCounters: RequestSocketCounters
    /// DHT-level totals.
    public var counters: DHTCounters
}
