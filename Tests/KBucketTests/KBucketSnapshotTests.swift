import KBucket
import Testing

@Suite struct KBucketSnapshotTests {
    private func sampleTree() -> TaggedTree {
        var table = KBucketTree<Int>(configuration: .init(localNodeID: id(0x60), numberOfNodesPerKBucket: 2))
        for (tag, byte) in [UInt8(0x61), 0xE0, 0x20, 0x70, 0x40, 0x68, 0x64].enumerated() {
            table.add(contact(id(byte), tag: tag))
        }
        return table
    }

    @Test func snapshotListsEveryBucketWithPrefixDepthFlagsContactsAndFill() {
        let table = sampleTree()
        let snapshot = table.snapshot()
        #expect(snapshot.localNodeID == id(0x60))
        #expect(snapshot.count == table.count)
        #expect(snapshot.depth == table.depth)
        #expect(snapshot.numberOfNodesPerKBucket == 2)
        #expect(snapshot.buckets.count == table.depth + 1)
        #expect(snapshot.buckets.flatMap(\.contacts) == table.toArray())
        let local = snapshot.buckets.filter(\.containsLocalID)
        #expect(local.count == 1)
        #expect(local.first?.canSplit == true)
        #expect(local.first?.depth == table.depth)
        #expect(local.first?.prefix.matches(id(0x60)) == true)
        #expect(snapshot.buckets.filter(\.canSplit).count == 1)
        for bucket in snapshot.buckets {
            #expect(bucket.capacity == 2)
            #expect(bucket.fill == Double(bucket.count) / 2)
            #expect(bucket.prefix.length == bucket.depth)
            #expect(bucket.prefix.bits.count == bucket.depth)
            #expect(bucket.contacts.allSatisfy { bucket.prefix.matches($0.id) })
        }
        let prefixes = snapshot.buckets.map(\.prefix.description)
        #expect(prefixes == prefixes.sorted())
        #expect(prefixes == ["00", "010", "01100", "01101", "0111", "1"])
        #expect(prefixes.last == "1")
    }

    @Test func theRootBucketHasAnEmptyPrefix() {
        let snapshot = KBucketTree<Int>(localNodeID: id(0x01)).snapshot()
        #expect(snapshot.buckets.count == 1)
        #expect(snapshot.buckets[0].prefix.description == "")
        #expect(snapshot.buckets[0].prefix.matches(id(0xFF)))
        #expect(snapshot.buckets[0].fill == 0)
    }

    @Test func aSnapshotDoesNotChangeWhenTheTableChangesAfterwards() {
        var table = sampleTree()
        let snapshot = table.snapshot()
        let before = snapshot.buckets.flatMap(\.contacts)
        table.add(contact(id(0x61), tag: 99))
        table.remove(id(0xE0))
        table.add(contact(id(0x10), tag: 7))
        #expect(snapshot.buckets.flatMap(\.contacts) == before)
        #expect(table.snapshot().buckets.flatMap(\.contacts) == table.toArray())
    }
}
