/// The order in which k-bucket 3.3.1 visits the leaves of its tree when it walks toward `target`: at every
/// inner node, first the child on the target's side, then the other one.
///
/// On the spine-shaped tree (see `KBucketTree`) that order is: the far leaves where the target leaves the local
/// id's path (bit `i` differs), by increasing depth; then the local id's leaf; then the far leaves where the
/// target stays on the path (bit `i` agrees), by decreasing depth. It is also the order of increasing XOR distance
/// from the target, bucket by bucket. `toArray` is this walk toward the all-zero id (left before right).
@usableFromInline
struct BucketWalk: IteratorProtocol, Sendable {
    @usableFromInline let local: NodeID
    @usableFromInline let target: NodeID
    @usableFromInline let depth: Int
    /// 0: far leaves off the target's side, increasing depth; 1: the local leaf; 2: the rest, decreasing depth.
    @usableFromInline var phase: Int
    @usableFromInline var index: Int

    @inlinable
    init(local: NodeID, target: NodeID, depth: Int) {
        self.local = local
        self.target = target
        self.depth = depth
        phase = 0
        index = 0
    }

    /// The next bucket index (into `KBucketTree.buckets`), or `nil` when every leaf was visited.
    @inlinable
    mutating func next() -> Int? {
        if phase == 0 {
            while index < depth {
                let i = index
                index += 1
                if local.bit(at: i) != target.bit(at: i) { return i }
            }
            phase = 1
            return depth
        }
        if phase == 1 {
            phase = 2
            index = depth - 1
        }
        while index >= 0 {
            let i = index
            index -= 1
            if local.bit(at: i) == target.bit(at: i) { return i }
        }
        return nil
    }
}

extension KBucketTree {
    /// The bucket indices in the reference's walk toward `target`.
    @inlinable
    func walk(toward target: NodeID) -> BucketWalk {
        BucketWalk(local: localID, target: target, depth: buckets.count - 1)
    }

    /// Every contact, in the order of the reference's `toArray()`: buckets from the lowest bit prefix to the
    /// highest (left before right), each bucket from least to most recently seen.
    public func toArray() -> [Contact] {
        var result: [Contact] = []
        result.reserveCapacity(storedCount)
        var walk = walk(toward: .empty)
        while let bucket = walk.next() {
            result.append(contentsOf: buckets[bucket])
        }
        return result
    }

    /// Every contact, lazily, in `toArray()` order. The sequence is a copy-on-write view: it stays valid and
    /// unchanged if the table changes while it is being iterated.
    public var contacts: KBucketContactSequence<Payload> {
        KBucketContactSequence(buckets: buckets, walk: walk(toward: .empty), count: storedCount)
    }
}

/// All contacts of a `KBucketTree` in `toArray()` order, without copying them into a new array.
public struct KBucketContactSequence<Payload>: Sequence {
    @usableFromInline let buckets: [[KBucketContact<Payload>]]
    @usableFromInline let walk: BucketWalk
    /// The number of contacts the sequence yields.
    public let count: Int

    @usableFromInline
    init(buckets: [[KBucketContact<Payload>]], walk: BucketWalk, count: Int) {
        self.buckets = buckets
        self.walk = walk
        self.count = count
    }

    /// Iterates the contacts bucket by bucket.
    public struct Iterator: IteratorProtocol {
        @usableFromInline let buckets: [[KBucketContact<Payload>]]
        @usableFromInline var walk: BucketWalk
        @usableFromInline var bucket: Int = -1
        @usableFromInline var slot: Int = 0

        @usableFromInline
        init(buckets: [[KBucketContact<Payload>]], walk: BucketWalk) {
            self.buckets = buckets
            self.walk = walk
        }

        /// The next contact, or `nil` at the end.
        @inlinable
        public mutating func next() -> KBucketContact<Payload>? {
            while bucket < 0 || slot >= buckets[bucket].count {
                guard let next = walk.next() else { return nil }
                bucket = next
                slot = 0
            }
            defer { slot += 1 }
            return buckets[bucket][slot]
        }
    }

    /// Starts iterating.
    @inlinable
    public func makeIterator() -> Iterator {
        Iterator(buckets: buckets, walk: walk)
    }

    /// The exact number of contacts the sequence yields.
    public var underestimatedCount: Int { count }
}

extension KBucketContactSequence: Sendable where Payload: Sendable {}
extension KBucketContactSequence.Iterator: Sendable where Payload: Sendable {}
