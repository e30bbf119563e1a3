import DHTRPC
import NodeRuntime
import UDPRequest

/// The totals and sizes a scrape reads from a node's snapshot (``HyperDHTHandle/snapshot()``): the
/// socket's and the DHT's running counters, the routing table, request queues and the peer store.
public struct NodeStatistics: Sendable, Equatable {
    /// Datagram-level totals.
    public var socket = RequestSocketCounters()
    /// DHT-level totals.
    public var dht = DHTCounters()
    /// Contacts in the routing table.
    public var routingTableNodes = 0
    /// Requests waiting for an answer.
    public var inflightRequests = 0
    /// Requests waiting for a free slot.
    public var queuedRequests = 0
    /// Walks running.
    public var activeWalks = 0
    /// Keys with at least one live announcement in the store.
    public var storeKeys = 0
    /// Live announcements in the store, over all keys.
    public var storeEntries = 0
    /// Time since the node started.
    public var uptime: Duration = .zero
    /// Whether the first bootstrap finished.
    public var isReady = false

    /// All zero.
    public init() {}

    /// The statistics in `snapshot`.
    public init(_ snapshot: HyperDHTSnapshot) {
        socket = snapshot.dht.socketCounters
        dht = snapshot.dht.counters
        routingTableNodes = snapshot.dht.routingTable.count
        inflightRequests = snapshot.dht.inflight.count
        queuedRequests = snapshot.dht.queuedRequests
        activeWalks = snapshot.dht.activeQueries
        storeKeys = snapshot.store.count
        storeEntries = snapshot.store.reduce(0) { $0 + $1.peers.count }
        uptime = snapshot.dht.uptime
        isReady = snapshot.dht.isReady
    }
}
