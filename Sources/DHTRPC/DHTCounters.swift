/// DHT-level running totals (the socket keeps datagram-level ones in ``RequestSocketCounters``).
public struct DHTCounters: Sendable, Equatable, Codable {
    /// Nodes that entered the routing table.
    public var nodesAdded = 0
    /// Nodes that left it.
    public var nodesRemoved = 0
    /// Walks (queries, updates, bootstraps) started.
    public var queriesStarted = 0
    /// Hole punches we asked for.
    public var holepunchesAsked = 0
    /// Hole punches that were answered by the punched peer.
    public var holepunchesAnswered = 0
    /// Hole-punch pings we forwarded as a referrer.
    public var holepunchesForwarded = 0
    /// Hole-punch forwards we refused, as referrer or as the punched peer (``ForwardingPolicy``).
    public var holepunchForwardsRefused = 0
    /// Upkeep pings sent.
    public var upkeepPings = 0
    /// Bucket refresh walks started (``BucketRefreshPolicy``).
    public var bucketRefreshes = 0

    /// Creates zeroed counters.
    public init() {}
}
