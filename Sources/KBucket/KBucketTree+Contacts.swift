extension KBucketTree {
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

extension KBucketTree {
    /// For each far bucket, by the bit at which it branches off the local id's path (index `i` holds the ids
    /// that agree with the local id on bits `0..<i` and differ at bit `i`; there are ``depth`` of them), how
    /// many of its contacts satisfy `predicate`. The local id's own leaf is not included. What a bucket refresh
    /// needs to find the subtrees of the id space the table knows no one in.
    public func farBucketCounts(where predicate: (Contact) -> Bool) -> [Int] {
        buckets.dropLast().map { bucket in bucket.reduce(0) { $0 + (predicate($1) ? 1 : 0) } }
    }
}
