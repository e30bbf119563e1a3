/// A collected contact's exact XOR distance to the target as four words, plus where the contact is stored.
/// Used when all ids involved have the target's length (at most 32 bytes), which is always the case in dht-rpc.
@usableFromInline
struct ClosestSortKey {
    @usableFromInline var d0: UInt64
    @usableFromInline var d1: UInt64
    @usableFromInline var d2: UInt64
    @usableFromInline var d3: UInt64
    /// Position in walk order; breaks ties so the order is stable.
    @usableFromInline var sequence: Int32
    @usableFromInline var bucket: Int32
    @usableFromInline var slot: Int32

    @inlinable
    init(d0: UInt64, d1: UInt64, d2: UInt64, d3: UInt64, sequence: Int32, bucket: Int32, slot: Int32) {
        self.d0 = d0
        self.d1 = d1
        self.d2 = d2
        self.d3 = d3
        self.sequence = sequence
        self.bucket = bucket
        self.slot = slot
    }

    @inlinable
    static func < (a: ClosestSortKey, b: ClosestSortKey) -> Bool {
        if a.d0 != b.d0 { return a.d0 < b.d0 }
        if a.d1 != b.d1 { return a.d1 < b.d1 }
        if a.d2 != b.d2 { return a.d2 < b.d2 }
        if a.d3 != b.d3 { return a.d3 < b.d3 }
        return a.sequence < b.sequence
    }

    /// Sorts the `count` smallest keys into `keys[0..<count]` (the rest is left in any order). When only a few
    /// of many collected contacts are wanted – a large bucket, a small `count` – this keeps a sorted prefix and
    /// inserts the rare key that beats its last element, instead of sorting everything.
    @inlinable
    static func moveSmallestToFront(_ count: Int, of buffer: UnsafeMutableBufferPointer<ClosestSortKey>) {
        guard count > 0 else { return }
        var keys = buffer
        if count * 4 >= keys.count {
            keys.sort(by: <)
            return
        }
        var prefix = UnsafeMutableBufferPointer(rebasing: keys[0..<count])
        prefix.sort(by: <)
        for index in count..<keys.count where keys[index] < keys[count - 1] {
            let key = keys[index]
            var slot = count - 1
            while slot > 0 && key < keys[slot - 1] {
                keys[slot] = keys[slot - 1]
                slot -= 1
            }
            keys[slot] = key
        }
    }
}

extension KBucketTree {
    /// Up to `count` contacts closest to `target`, nearest first – k-bucket 3.3.1's `closest(id, n)`.
    ///
    /// Like the reference, it walks the tree toward `target`, collecting whole buckets until it has at least
    /// `count` contacts (or has visited every bucket), sorts what it collected by `configuration.distance` and
    /// keeps the first `count`. Ties keep the order of the walk (bucket order, least recently seen first). With
    /// the default exact XOR distance and ids of equal length the answer equals a sort of the whole table by XOR
    /// distance. Where the reference's double-precision distance ties (see `KBucketDistance`), the order here is
    /// the exact one. Returns `[]` when `count <= 0` (the reference throws).
    @inlinable
    public func closest(to target: NodeID, count: Int = .max) -> [Contact] {
        closest(to: target, count: count, where: { _ in true })
    }

    /// Up to `count` of the contacts `isIncluded` accepts, closest to `target` first: the walk of
    /// ``closest(to:count:)`` counting only accepted contacts, so it goes on until it has `count` of them. With
    /// the default exact XOR distance and ids of equal length the answer equals a sort of the accepted contacts
    /// by XOR distance – what filtering a longer `closest(to:count:)` answer gives, without building it.
    @inlinable
    public func closest(to target: NodeID, count: Int = .max, where isIncluded: (Contact) -> Bool) -> [Contact] {
        guard count > 0, storedCount > 0 else { return [] }
        var collected = 0
        var accepted = 0
        var bucketsVisited = 0
        var sameLength = target.count <= 32
        var walk = walk(toward: target)
        while accepted < count, let bucket = walk.next() {
            collected += buckets[bucket].count
            bucketsVisited += 1
            for contact in buckets[bucket] {
                if isIncluded(contact) { accepted += 1 }
                if contact.id.count != target.count { sameLength = false }
            }
        }
        if case .xor = configuration.distance.storage, sameLength {
            return closestByWords(to: target, count: count, collected: collected, bucketsVisited: bucketsVisited,
                                  where: isIncluded)
        }
        return closestGeneral(to: target, count: count, bucketsVisited: bucketsVisited, where: isIncluded)
    }

    /// The fast path: exact XOR over the words of equal-length ids, sorted in a temporary buffer. The walk visits
    /// buckets in order of increasing distance (every contact of a bucket is nearer than any of the next one's), so
    /// each bucket's keys are sorted on their own and only as many as are still wanted.
    @inlinable
    func closestByWords(to target: NodeID, count: Int, collected: Int, bucketsVisited: Int,
                        where isIncluded: (Contact) -> Bool) -> [Contact] {
        withUnsafeTemporaryAllocation(of: ClosestSortKey.self, capacity: collected) { keys in
            var walk = walk(toward: target)
            var next = 0
            for _ in 0..<bucketsVisited {
                guard let bucket = walk.next() else { break }
                let start = next
                buckets[bucket].withUnsafeBufferPointer { contacts in
                    for slot in contacts.indices where isIncluded(contacts[slot]) {
                        let id = contacts[slot].id
                        let key = ClosestSortKey(
                            d0: id.w0 ^ target.w0, d1: id.w1 ^ target.w1, d2: id.w2 ^ target.w2, d3: id.w3 ^ target.w3,
                            sequence: Int32(truncatingIfNeeded: next), bucket: Int32(truncatingIfNeeded: bucket),
                            slot: Int32(truncatingIfNeeded: slot)
                        )
                        (keys.baseAddress! + next).initialize(to: key)
                        next += 1
                    }
                }
                let wanted = Swift.min(count - start, next - start)
                ClosestSortKey.moveSmallestToFront(wanted, of: UnsafeMutableBufferPointer(rebasing: keys[start..<next]))
            }
            let resultCount = Swift.min(count, next)
            var result: [Contact] = []
            result.reserveCapacity(resultCount)
            for index in 0..<resultCount {
                let key = keys[index]
                result.append(buckets[Int(key.bucket)][Int(key.slot)])
            }
            return result
        }
    }

    /// Mixed id lengths or a custom metric: collect the ids, let the distance strategy order them.
    @usableFromInline
    func closestGeneral(to target: NodeID, count: Int, bucketsVisited: Int, where isIncluded: (Contact) -> Bool) -> [Contact] {
        var contacts: [Contact] = []
        var walk = walk(toward: target)
        for _ in 0..<bucketsVisited {
            guard let bucket = walk.next() else { break }
            for contact in buckets[bucket] where isIncluded(contact) { contacts.append(contact) }
        }
        let order: [Int]
        switch configuration.distance.storage {
        case .xor:
            let keys = contacts.map { XORDistance($0.id, target) }
            order = contacts.indices.sorted { keys[$0] < keys[$1] || (!(keys[$1] < keys[$0]) && $0 < $1) }
        case .custom(let sortedIndices):
            order = sortedIndices(target, contacts.map(\.id))
        }
        return order.prefix(count).map { contacts[$0] }
    }
}
