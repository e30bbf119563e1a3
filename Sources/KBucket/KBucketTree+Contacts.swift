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
