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
    /// Where the contact is in its bucket.
    @usableFromInline var slot: Int32

    @inlinable
    init(d0: UInt64, d1: UInt64, d2: UInt64, d3: UInt64, sequence: Int32, slot: Int32) {
        self.d0 = d0
        self.d1 = d1
        self.d2 = d2
        self.d3 = d3
        self.sequence = sequence
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
}

/// What the sort in ``KBucketTree/forEachClosestByWords(to:count:collected:bucketsVisited:where:_:)`` moves: a collected
/// contact's first distance word and where its full ``ClosestSortKey`` is. Sixteen bytes instead of the key's
/// forty, and the first word decides nearly every comparison; a tie on it is settled by the full keys.
@usableFromInline
struct ClosestOrderEntry {
    @usableFromInline var d0: UInt64
    /// Index of the full key in the keys buffer.
    @usableFromInline var index: Int32

    @inlinable
    init(d0: UInt64, index: Int32) {
        self.d0 = d0
        self.index = index
    }

    /// Whether `a` goes before `b`: the nearer first word, then (rarely) the full keys in `keys`.
    @inlinable
    static func precedes(_ a: ClosestOrderEntry, _ b: ClosestOrderEntry,
                         in keys: UnsafeMutableBufferPointer<ClosestSortKey>) -> Bool {
        a.d0 != b.d0 ? a.d0 < b.d0 : keys[Int(a.index)] < keys[Int(b.index)]
    }

    /// Sorts the `count` smallest entries (by `keys`' order) into `entries[0..<count]` (the rest is left in any
    /// order). When only a few of many collected contacts are wanted – a large bucket, a small `count` – this keeps
    /// a sorted prefix and inserts the rare entry that beats its last element, instead of sorting everything.
    @inlinable
    static func moveSmallestToFront(_ count: Int, of entries: UnsafeMutableBufferPointer<ClosestOrderEntry>,
                                    keys: UnsafeMutableBufferPointer<ClosestSortKey>) {
        guard count > 0 else { return }
        if count * 4 >= entries.count {
            sort(entries, keys: keys)
            return
        }
        sort(UnsafeMutableBufferPointer(rebasing: entries[0..<count]), keys: keys)
        for index in count..<entries.count where precedes(entries[index], entries[count - 1], in: keys) {
            insert(entries[index], into: entries, below: count - 1, keys: keys)
        }
    }

    /// Sorts `entries`: by insertion up to 32 of them (a bucket's worth, the usual case), the standard sort beyond.
    /// Not the standard sort throughout: for a bucket, it allocated scratch memory (its closure context and merge
    /// buffer) about four times per answer.
    @inlinable
    static func sort(_ entries: UnsafeMutableBufferPointer<ClosestOrderEntry>,
                     keys: UnsafeMutableBufferPointer<ClosestSortKey>) {
        guard entries.count <= 32 else {
            var entries = entries
            entries.sort { precedes($0, $1, in: keys) }
            return
        }
        var index = 1
        while index < entries.count {
            insert(entries[index], into: entries, below: index, keys: keys)
            index += 1
        }
    }

    /// Puts `entry` into the sorted `entries[0..<end]`, moving later ones up (`entries[end]` is overwritten).
    @inlinable
    static func insert(_ entry: ClosestOrderEntry, into entries: UnsafeMutableBufferPointer<ClosestOrderEntry>,
                       below end: Int, keys: UnsafeMutableBufferPointer<ClosestSortKey>) {
        var slot = end
        while slot > 0 && precedes(entry, entries[slot - 1], in: keys) {
            entries[slot] = entries[slot - 1]
            slot -= 1
        }
        entries[slot] = entry
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
        var result: [Contact] = []
        forEachClosest(to: target, count: count, whereStored: { isIncluded($0.pointee) }) { contact in
            if result.isEmpty { result.reserveCapacity(Swift.min(count, storedCount)) }
            result.append(contact.pointee)
        }
        return result
    }

    /// Hands `body` the contacts ``closest(to:count:where:)`` returns, nearest first, read in place: no array of
    /// contacts is built and no contact is copied, which is what an answer's `nodes` field, written from each
    /// contact in turn, wants. `isIncluded` and `body` get a pointer to the contact in the table's storage, valid
    /// only during that call. (Closures over the generic `Contact` itself would copy every contact they are handed,
    /// through its value witness.)
    @inlinable
    public func forEachClosest(to target: NodeID, count: Int, whereStored isIncluded: (UnsafePointer<Contact>) -> Bool,
                               _ body: (UnsafePointer<Contact>) -> Void) {
        guard count > 0, storedCount > 0 else { return }
        var collected = 0
        var accepted = 0
        var bucketsVisited = 0
        var sameLength = target.count <= 32
        var walk = walk(toward: target)
        while accepted < count, let bucket = walk.next() {
            collected += buckets[bucket].count
            bucketsVisited += 1
            buckets[bucket].withUnsafeBufferPointer { contacts in
                guard let base = contacts.baseAddress else { return }
                for slot in contacts.indices {
                    if isIncluded(base + slot) { accepted += 1 }
                    if base[slot].id.count != target.count { sameLength = false }
                }
            }
        }
        if case .xor = configuration.distance.storage, sameLength {
            forEachClosestByWords(to: target, count: count, collected: collected, bucketsVisited: bucketsVisited,
                                  where: isIncluded, body)
            return
        }
        let general = closestGeneral(to: target, count: count, bucketsVisited: bucketsVisited,
                                     where: { contact in withUnsafePointer(to: contact) { isIncluded($0) } })
        general.withUnsafeBufferPointer { contacts in
            guard let base = contacts.baseAddress else { return }
            for index in contacts.indices { body(base + index) }
        }
    }

    /// The fast path: exact XOR over the words of equal-length ids, sorted in a temporary buffer. The walk visits
    /// buckets in order of increasing distance (every contact of a bucket is nearer than any of the next one's), so
    /// each bucket's keys are sorted on their own, only as many as are still wanted, and handed on at once.
    @inlinable
    func forEachClosestByWords(to target: NodeID, count: Int, collected: Int, bucketsVisited: Int,
                               where isIncluded: (UnsafePointer<Contact>) -> Bool,
                               _ body: (UnsafePointer<Contact>) -> Void) {
        withUnsafeTemporaryAllocation(of: ClosestSortKey.self, capacity: collected) { keys in
            withUnsafeTemporaryAllocation(of: ClosestOrderEntry.self, capacity: collected) { order in
                var walk = walk(toward: target)
                var next = 0
                for _ in 0..<bucketsVisited {
                    guard let bucket = walk.next() else { break }
                    buckets[bucket].withUnsafeBufferPointer { contacts in
                        guard let base = contacts.baseAddress else { return }
                        let start = next
                        for slot in contacts.indices where isIncluded(base + slot) {
                            let id = base[slot].id
                            let key = ClosestSortKey(
                                d0: id.w0 ^ target.w0, d1: id.w1 ^ target.w1, d2: id.w2 ^ target.w2, d3: id.w3 ^ target.w3,
                                sequence: Int32(truncatingIfNeeded: next), slot: Int32(truncatingIfNeeded: slot)
                            )
                            (keys.baseAddress! + next).initialize(to: key)
                            (order.baseAddress! + next).initialize(to: ClosestOrderEntry(
                                d0: key.d0, index: Int32(truncatingIfNeeded: next)))
                            next += 1
                        }
                        let wanted = Swift.min(count - start, next - start)
                        guard wanted > 0 else { return }
                        ClosestOrderEntry.moveSmallestToFront(
                            wanted, of: UnsafeMutableBufferPointer(rebasing: order[start..<next]), keys: keys)
                        for index in start..<(start + wanted) {
                            body(base + Int(keys[Int(order[index].index)].slot))
                        }
                    }
                }
            }
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
