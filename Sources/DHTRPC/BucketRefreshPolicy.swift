/// Kademlia's bucket refresh, which dht-rpc 2.3 lacks: a far bucket of the routing table that holds no live
/// contact is filled by a `_find_node` walk toward a random id in its subtree.
///
/// Why: a node learns the nodes near its own id from its bootstrap walk, and the rest only from nodes that
/// happen to contact it. In a quiet 10,000-node swarm whole groups of nodes ended up with an empty bucket for
/// a subtree of ~1,250 nodes, and every walk toward a target there stalled after two hops among them
/// (`Benchmarks/RESULTS.md`, "Churn, loss and NATs at scale"). The walks are ordinary `_find_node` queries, so a
/// nodejs peer sees nothing new on the wire.
public struct BucketRefreshPolicy: Sendable, Equatable {
    /// Whether the node refreshes at all (``off`` behaves exactly like dht-rpc 2.3).
    public var isEnabled: Bool
    /// Empty buckets refreshed right after a bootstrap walk ends.
    public var walksAfterBootstrap: Int
    /// Empty buckets refreshed per upkeep tick afterwards (a bucket that emptied, or split off empty).
    public var walksPerTick: Int
    /// Ticks before the same bucket is refreshed again (12 ticks: 60 s).
    public var intervalTicks: Int
    /// A refresh that found no one in the bucket's subtree doubles that bucket's interval, up to this many
    /// ticks (120: 10 minutes), so a subtree that is really empty costs almost nothing.
    public var maxIntervalTicks: Int
    /// The concurrency of a refresh walk: a background walk, like a bootstrap beside other walks.
    public var walkConcurrency: Int

    /// Creates a policy.
    public init(isEnabled: Bool = true, walksAfterBootstrap: Int = 8, walksPerTick: Int = 1,
                intervalTicks: Int = 12, maxIntervalTicks: Int = 120, walkConcurrency: Int = 2) {
        self.isEnabled = isEnabled
        self.walksAfterBootstrap = walksAfterBootstrap
        self.walksPerTick = walksPerTick
        self.intervalTicks = intervalTicks
        self.maxIntervalTicks = maxIntervalTicks
        self.walkConcurrency = walkConcurrency
    }

    /// The default: refresh empty buckets after each bootstrap and one per tick.
    public static let standard = BucketRefreshPolicy()
    /// No refresh (dht-rpc 2.3's behaviour).
    public static let off = BucketRefreshPolicy(isEnabled: false)

    /// Throws ``DHTError/invalidConfiguration(_:)`` for values a node cannot run with.
    func validate() throws(DHTError) {
        if walksAfterBootstrap < 0 || walksPerTick < 0 || walkConcurrency < 1 {
            throw .invalidConfiguration("bucket refresh: walk counts must be ≥ 0 and walkConcurrency ≥ 1")
        }
        if intervalTicks < 1 || maxIntervalTicks < intervalTicks {
            throw .invalidConfiguration("bucket refresh: intervalTicks must be ≥ 1 and maxIntervalTicks ≥ intervalTicks")
        }
    }
}
