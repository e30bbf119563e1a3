/// A consistent, immutable picture of a routing table for a live monitor: every bucket with its prefix, depth,
/// flags, contacts and fill.
///
/// Taking one is O(number of buckets): the contact arrays are shared copy-on-write with the table, so a snapshot
/// of 5,000 contacts copies no contact; the next change to a bucket copies only that bucket. `Sendable` when the
/// payload is, so it can be handed to a rendering thread.
public struct KBucketSnapshot<Payload> {
    /// The id of the node that owns the table.
    public let localNodeID: NodeID
    /// The bucket capacity (k).
    public let numberOfNodesPerKBucket: Int
    /// The number of contacts in all buckets.
    public let count: Int
    /// The depth of the local id's bucket (the number of splits so far).
    public let depth: Int
    /// Every bucket (leaf of the tree), in `toArray()` order: by bit prefix, lowest first.
    public let buckets: [Bucket]

    /// One leaf of the tree.
    public struct Bucket {
        /// The bits every id in this bucket starts with; its length is the bucket's depth.
        public let prefix: KBucketPrefix
        /// Whether the local id's path ends here (exactly one bucket does).
        public let containsLocalID: Bool
        /// Whether the bucket may split when full: true only for the local id's bucket (the reference's
        /// `!dontSplit`).
        public let canSplit: Bool
        /// The contacts, least recently seen first.
        public let contacts: [KBucketContact<Payload>]
        /// The bucket capacity (k).
        public let capacity: Int

        /// The depth of the bucket in the tree (the prefix length).
        public var depth: Int { prefix.length }
        /// The number of contacts in the bucket.
        public var count: Int { contacts.count }
        /// `count / capacity`, from 0 to 1.
        public var fill: Double { Double(contacts.count) / Double(capacity) }
    }
}

extension KBucketSnapshot: Sendable where Payload: Sendable {}
extension KBucketSnapshot.Bucket: Sendable where Payload: Sendable {}

extension KBucketTree {
    /// A snapshot of the whole tree for display; cheap enough to take many times a second (see
    /// `KBucketSnapshot`).
    public func snapshot() -> KBucketSnapshot<Payload> {
        let depth = buckets.count - 1
        var walk = walk(toward: .empty)
        var leaves: [KBucketSnapshot<Payload>.Bucket] = []
        leaves.reserveCapacity(buckets.count)
        while let index = walk.next() {
            let isLocal = index == depth
            leaves.append(
                KBucketSnapshot.Bucket(
                    prefix: KBucketPrefix(localID: localID, length: isLocal ? depth : index + 1, flipsLastBit: !isLocal),
                    containsLocalID: isLocal,
                    canSplit: isLocal,
                    contacts: buckets[index],
                    capacity: bucketSize
                )
            )
        }
        return KBucketSnapshot(
            localNodeID: localID, numberOfNodesPerKBucket: bucketSize, count: storedCount, depth: depth,
            buckets: leaves
        )
    }
}
