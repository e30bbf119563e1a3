/// A Kademlia routing table that makes the same decisions as k-bucket 3.3.1 (the version dht-rpc 2.3 uses).
///
/// The reference keeps a binary tree of buckets keyed by id bits and splits only the bucket on the local id's
/// side (every other leaf is `dontSplit`). Such a tree is always a single spine along the local id's bits, so it
/// is stored as one array: `buckets[i]` for `i < depth` is the far leaf that branches off the spine at bit `i`
/// (its ids agree with the local id on bits `0..<i` and differ at bit `i`), and `buckets[depth]` is the leaf
/// that holds the local id. Finding a contact's bucket is then a common-prefix count, not a walk.
///
/// Use it from one thread: it is a value type whose mutating calls return the event the reference would emit
/// (`KBucketEvent`), so no observer runs while the table is being changed. Copies are cheap (copy-on-write,
/// per bucket), which is what `snapshot()` relies on. The type is `Sendable` when its payload is.
public struct KBucketTree<Payload> {
    /// A contact in this table.
    public typealias Contact = KBucketContact<Payload>
    /// An event returned by `add(_:)` and `remove(_:)`.
    public typealias Event = KBucketEvent<Payload>
    /// This table's options.
    public typealias Configuration = KBucketConfiguration<Payload>

    /// The options the table was created with.
    public let configuration: Configuration
    /// Far leaves by branching depth, then the local id's leaf last (never empty).
    @usableFromInline var buckets: [[Contact]]
    /// The number of contacts in all buckets.
    @usableFromInline var storedCount: Int
    @usableFromInline let localID: NodeID
    @usableFromInline let bucketSize: Int
    @usableFromInline let pingCount: Int

    /// Creates an empty table. Traps if `configuration.validate()` would throw.
    public init(configuration: Configuration) {
        do {
            try configuration.validate()
        } catch {
            preconditionFailure("invalid KBucketConfiguration: \(error)")
        }
        self.configuration = configuration
        localID = configuration.localNodeID
        bucketSize = configuration.numberOfNodesPerKBucket
        pingCount = configuration.numberOfNodesToPing
        buckets = [[]]
        storedCount = 0
    }

    /// Creates an empty table for `localNodeID` with the reference's defaults (k = 20, ping 3, vector-clock
    /// arbiter, exact XOR distance).
    public init(localNodeID: NodeID) {
        self.init(configuration: Configuration(localNodeID: localNodeID))
    }

    /// The id of the node that owns the table.
    public var localNodeID: NodeID { localID }

    /// The number of contacts in the table (O(1)).
    @inlinable
    public var count: Int { storedCount }

    /// Whether the table holds no contact.
    @inlinable
    public var isEmpty: Bool { storedCount == 0 }

    /// How many times the table has split: the depth of the local id's bucket. There are `depth + 1` buckets.
    @inlinable
    public var depth: Int { buckets.count - 1 }

    /// The index in `buckets` of the leaf `id` belongs to: the first bit where it leaves the local id's path.
    @inlinable
    func bucketIndex(for id: NodeID) -> Int {
        id.commonPrefixLength(with: localID, limit: buckets.count - 1)
    }

    @inlinable
    func slot(of id: NodeID, in bucket: Int) -> Int? {
        buckets[bucket].firstIndex { $0.id == id }
    }

    // MARK: - Lookup

    /// The stored contact with this exact id (same length and bytes), or `nil`.
    @inlinable
    public func get(_ id: NodeID) -> Contact? {
        let bucket = bucketIndex(for: id)
        return slot(of: id, in: bucket).map { buckets[bucket][$0] }
    }

    /// Whether a contact with this exact id is stored.
    @inlinable
    public func contains(_ id: NodeID) -> Bool {
        slot(of: id, in: bucketIndex(for: id)) != nil
    }

    /// Changes a stored contact's payload in place, without moving it in its bucket, and returns what `body`
    /// returns; `nil` (and `body` is not called) if the id is not stored.
    ///
    /// The nodejs reference mutates contact objects in place (dht-rpc sets tokens and ticks on them); this is the
    /// equivalent. `body` must not touch the table.
    @inlinable
    @discardableResult
    public mutating func modifyPayload<Result>(
        of id: NodeID, _ body: (inout Payload) throws -> Result
    ) rethrows -> Result? {
        let bucket = bucketIndex(for: id)
        guard let slot = slot(of: id, in: bucket) else { return nil }
        return try body(&buckets[bucket][slot].payload)
    }

    /// Changes a stored contact's payload and moves it to the most-recently-seen end of its bucket; returns
    /// whether the id is stored (if not, nothing happens and `body` is not called).
    ///
    /// This is what ``add(_:)`` does with a stored id when the arbiter takes the candidate (as
    /// `KBucketConfiguration.candidateAlwaysWins` always does), without building the candidate, calling the
    /// arbiter or reporting an event – for a caller that refreshes contacts it knows, many times a second.
    /// `body` must not touch the table.
    @inlinable
    @discardableResult
    public mutating func refresh(_ id: NodeID, _ body: (inout Payload) throws -> Void) rethrows -> Bool {
        let bucket = bucketIndex(for: id)
        guard let slot = slot(of: id, in: bucket) else { return false }
        try body(&buckets[bucket][slot].payload)
        if slot < buckets[bucket].count - 1 {
            buckets[bucket].append(buckets[bucket].remove(at: slot))
        }
        return true
    }

    // MARK: - Changes

    /// Adds or refreshes a contact, deciding exactly as k-bucket 3.3.1's `add` does, and returns the event the
    /// reference would emit:
    /// - id already stored: the arbiter decides; `.updated(old:new:)` when the winner replaced the entry and moved
    ///   to the most-recently-seen end of its bucket, `nil` when the incumbent stays.
    /// - bucket has room: `.added`, appended at the end.
    /// - bucket full and it is the local id's bucket: it splits (no event) and the add is retried.
    /// - bucket full and may not split: `.ping(oldContacts:newContact:)` with the `numberOfNodesToPing`
    ///   least-recently-seen contacts; the newcomer is *not* added.
    ///
    /// One deviation: when the local bucket is full of ids that no split can separate (they differ only in
    /// length, so all their remaining bits read as zero), the reference recurses without end; this table reports
    /// `.ping` instead.
    @inlinable
    @discardableResult
    public mutating func add(_ contact: Contact) -> Event? {
        while true {
            let bucket = bucketIndex(for: contact.id)
            if let slot = slot(of: contact.id, in: bucket) {
                return update(bucket: bucket, slot: slot, with: contact)
            }
            if buckets[bucket].count < bucketSize {
                if buckets[bucket].capacity == 0 { buckets[bucket].reserveCapacity(bucketSize) }
                buckets[bucket].append(contact)
                storedCount += 1
                return .added(contact)
            }
            guard bucket == buckets.count - 1, splitCanSeparate(contact.id) else {
                return .ping(oldContacts: Array(buckets[bucket].prefix(pingCount)), newContact: contact)
            }
            splitLocalBucket()
        }
    }

    @inlinable
    mutating func update(bucket: Int, slot: Int, with candidate: Contact) -> Event? {
        let incumbent = buckets[bucket][slot]
        switch configuration.arbiter(incumbent, candidate) {
        case .keepIncumbent:
            return nil
        case .replace(let selection):
            precondition(selection.id == incumbent.id, "a KBucket arbiter must not change the contact's id")
            buckets[bucket].remove(at: slot)
            buckets[bucket].append(selection)
            return .updated(old: incumbent, new: selection)
        }
    }

    /// Removes the contact with this exact id and returns `.removed(contact)`, or `nil` if it was not stored.
    @inlinable
    @discardableResult
    public mutating func remove(_ id: NodeID) -> Event? {
        let bucket = bucketIndex(for: id)
        guard let slot = slot(of: id, in: bucket) else { return nil }
        storedCount -= 1
        return .removed(buckets[bucket].remove(at: slot))
    }

    /// Removes every contact but keeps the configuration. The tree collapses to a single bucket.
    public mutating func removeAll() {
        buckets = [[]]
        storedCount = 0
    }

    // MARK: - Splitting

    /// Whether splitting the (full) local bucket at the current depth could ever separate its contacts and the
    /// newcomer: past the last bit of the longest id involved every bit reads as zero.
    @inlinable
    func splitCanSeparate(_ newcomer: NodeID) -> Bool {
        let depth = buckets.count - 1
        if depth < 8 * max(localID.count, newcomer.count) { return true }
        return buckets[depth].contains { depth < 8 * $0.id.count }
    }

    /// Splits the local id's bucket in two at bit `depth`, keeping each side's order: the half that agrees with the
    /// local id stays the local bucket, the other becomes the far leaf at this depth (the reference's `dontSplit`).
    @inlinable
    mutating func splitLocalBucket() {
        let depth = buckets.count - 1
        let localBit = localID.bit(at: depth)
        let full = buckets[depth]
        let nearCount = full.reduce(0) { $0 + ($1.id.bit(at: depth) == localBit ? 1 : 0) }
        var near: [Contact] = []
        var far: [Contact] = []
        // Empty leaves stay unallocated; `add` reserves a whole bucket on first use.
        if nearCount > 0 { near.reserveCapacity(bucketSize) }
        if nearCount < full.count { far.reserveCapacity(bucketSize) }
        for contact in full {
            if contact.id.bit(at: depth) == localBit {
                near.append(contact)
            } else {
                far.append(contact)
            }
        }
        buckets[depth] = far
        buckets.append(near)
    }
}

extension KBucketTree: Sendable where Payload: Sendable {}
