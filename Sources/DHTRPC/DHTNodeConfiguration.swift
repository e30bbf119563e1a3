import IPEncoding
import KBucket
import UDPRequest

/// Options for a ``DHTNode``; the defaults are dht-rpc 2.3's.
public struct DHTNodeConfiguration: Sendable {
    /// The node's 32-byte id; `nil` draws a random one from the node's generator.
    public var id: NodeID?
    /// Ephemeral nodes send no id, so others never add them to their routing tables.
    public var ephemeral: Bool
    /// Addresses contacted (without an id) when the routing table holds fewer contacts than this list.
    public var bootstrap: [PeerAddress]
    /// How many requests may be in flight on the socket at once; more wait in a queue.
    public var concurrency: Int
    /// Closest nodes a query keeps and returns (Kademlia's k).
    public var k: Int
    /// The upkeep tick (dht-rpc: 5 s). Every ``pingEveryTicks`` ticks the least recently seen nodes
    /// are pinged; a full bucket keeps contacts heard from within ``freshTicks`` ticks.
    public var tickInterval: Duration
    /// Ticks between rounds of pinging the least recently seen nodes (dht-rpc: 8, i.e. 40 s).
    public var pingEveryTicks: Int
    /// A contact heard from fewer ticks ago than this is "fresh" (dht-rpc: 3).
    public var freshTicks: Int
    /// The most requests that may wait for a free slot; beyond it a request fails at once.
    public var maxQueuedRequests: Int
    /// The most queries (and updates) running at once; beyond it a new one fails at once.
    public var maxActiveQueries: Int
    /// Timeouts and retransmissions of the requests walks send (bootstrap included). The default
    /// sends once and gives up after 1.25–1.5 s, exactly like dht-rpc, so a nodejs peer sees the same
    /// traffic. On lossy links ``RequestOptions/withRetries`` (udp-request's `retry: true` schedule)
    /// recovers lost datagrams, at the price of up to 8.25 s per dead peer and duplicate datagrams.
    public var walkRequestOptions: RequestOptions
    /// Failed requests in a row after which a contact leaves the routing table (BEP 5 and libtorrent
    /// keep such a count; from ``RoutingContact/staleAfterFailures`` on it is no longer handed out).
    public var maxContactFailures: Int
    /// Stale contacts pinged per upkeep tick, to revive or remove them (a bounded background rate).
    public var stalePingsPerTick: Int
    /// The per-source limit on incoming datagrams (`nil`: none; see ``SourceRateLimit``). Load
    /// generators that send from one address (benchmarks) turn it off.
    public var requestRateLimit: SourceRateLimit?
    /// Where hole-punch pings are forwarded (see ``ForwardingPolicy``).
    public var forwarding: ForwardingPolicy
    /// Walks that fill far buckets the table knows no one in (see ``BucketRefreshPolicy``).
    public var bucketRefresh: BucketRefreshPolicy

    /// Creates a configuration.
    public init(
        id: NodeID? = nil,
        ephemeral: Bool = false,
        bootstrap: [PeerAddress] = [],
        concurrency: Int = 16,
        k: Int = 20,
        tickInterval: Duration = .seconds(5),
        pingEveryTicks: Int = 8,
        freshTicks: Int = 3,
        maxQueuedRequests: Int = 4096,
        maxActiveQueries: Int = 256,
        walkRequestOptions: RequestOptions = .once,
        maxContactFailures: Int = 3,
        stalePingsPerTick: Int = 2,
        requestRateLimit: SourceRateLimit? = .standard,
        forwarding: ForwardingPolicy = ForwardingPolicy(),
        bucketRefresh: BucketRefreshPolicy = .standard
    ) {
        self.id = id
        self.ephemeral = ephemeral
        self.bootstrap = bootstrap
        self.concurrency = concurrency
        self.k = k
        self.tickInterval = tickInterval
        self.pingEveryTicks = pingEveryTicks
        self.freshTicks = freshTicks
        self.maxQueuedRequests = maxQueuedRequests
        self.maxActiveQueries = maxActiveQueries
        self.walkRequestOptions = walkRequestOptions
        self.maxContactFailures = maxContactFailures
        self.stalePingsPerTick = stalePingsPerTick
        self.requestRateLimit = requestRateLimit
        self.forwarding = forwarding
        self.bucketRefresh = bucketRefresh
    }

    /// Throws ``DHTError/invalidConfiguration(_:)`` for values the node cannot run with.
    public func validate() throws(DHTError) {
        if let id, id.count != DHTNode.idLength {
            throw .invalidConfiguration("id must be \(DHTNode.idLength) bytes, got \(id.count)")
        }
        if concurrency < 1 { throw .invalidConfiguration("concurrency must be at least 1, got \(concurrency)") }
        if k < 1 { throw .invalidConfiguration("k must be at least 1, got \(k)") }
        if tickInterval <= .zero { throw .invalidConfiguration("tickInterval must be positive") }
        if pingEveryTicks < 1 || freshTicks < 0 { throw .invalidConfiguration("pingEveryTicks must be ≥ 1 and freshTicks ≥ 0") }
        if maxContactFailures < 1 || stalePingsPerTick < 0 {
            throw .invalidConfiguration("maxContactFailures must be ≥ 1 and stalePingsPerTick ≥ 0")
        }
        if maxQueuedRequests < 0 || maxActiveQueries < 1 { throw .invalidConfiguration("queue and query caps must be positive") }
        try bucketRefresh.validate()
    }
}
