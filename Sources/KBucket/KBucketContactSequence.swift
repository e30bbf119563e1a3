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
