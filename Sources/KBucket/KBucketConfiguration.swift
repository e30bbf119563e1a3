/// The options of a routing table, with k-bucket 3.3.1's defaults.
public struct KBucketConfiguration<Payload>: Sendable {
    /// The id of the node that owns the table; only the bucket on its side of the tree may split.
    public var localNodeID: NodeID
    /// How many contacts a bucket holds before it is full (k); 20 by default, as dht-rpc uses.
    public var numberOfNodesPerKBucket: Int
    /// How many least-recently-seen contacts a `.ping` event carries; 3 by default.
    public var numberOfNodesToPing: Int
    /// Decides between a stored contact and a newly added one with the same id.
    public var arbiter: KBucketArbiter<Payload>
    /// How `closest(to:count:)` sorts contacts; exact XOR by default.
    public var distance: KBucketDistance

    /// Creates a configuration; every option but the local id has the reference's default.
    public init(
        localNodeID: NodeID,
        numberOfNodesPerKBucket: Int = 20,
        numberOfNodesToPing: Int = 3,
        arbiter: @escaping KBucketArbiter<Payload> = Self.vectorClockArbiter,
        distance: KBucketDistance = .xor
    ) {
        self.localNodeID = localNodeID
        self.numberOfNodesPerKBucket = numberOfNodesPerKBucket
        self.numberOfNodesToPing = numberOfNodesToPing
        self.arbiter = arbiter
        self.distance = distance
    }

    /// The reference's default arbiter: keep the incumbent if its `vectorClock` is higher than the candidate's,
    /// otherwise take the candidate (so equal clocks refresh the contact and move it to the tail).
    public static var vectorClockArbiter: KBucketArbiter<Payload> {
        { incumbent, candidate in
            incumbent.vectorClock > candidate.vectorClock ? .keepIncumbent : .replace(with: candidate)
        }
    }

    /// dht-rpc 2.3.0's arbiter: the candidate always wins, so every re-added contact moves to the tail.
    public static var candidateAlwaysWins: KBucketArbiter<Payload> {
        { _, candidate in .replace(with: candidate) }
    }

    /// Checks the options once, at the edge: both counts must be at least 1.
    ///
    /// `KBucketTree.init(configuration:)` traps on a configuration that fails this check.
    public func validate() throws(KBucketError) {
        guard numberOfNodesPerKBucket >= 1 else { throw .invalidBucketSize(numberOfNodesPerKBucket) }
        guard numberOfNodesToPing >= 1 else { throw .invalidPingCount(numberOfNodesToPing) }
    }
}
