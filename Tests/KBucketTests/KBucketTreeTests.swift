import KBucket
import Testing

private let local = id(0x00)

private func tree(k: Int = 20, ping: Int = 3, arbiter: KBucketArbiter<Int>? = nil) -> TaggedTree {
    var configuration = KBucketConfiguration<Int>(localNodeID: local, numberOfNodesPerKBucket: k, numberOfNodesToPing: ping)
    if let arbiter { configuration.arbiter = arbiter }
    return TaggedTree(configuration: configuration)
}

@Suite struct KBucketTreeTests {
    @Test func addingANewContactReportsAdded() {
        var table = tree()
        let event = table.add(contact(id(0x80), tag: 1))
        #expect(event == .added(contact(id(0x80), tag: 1)))
        #expect(table.count == 1)
        #expect(table.get(id(0x80))?.payload == 1)
        #expect(table.contains(id(0x80)))
        #expect(!table.contains(id(0x81)))
    }

    @Test func reAddingAKnownIdReplacesItAndMovesItToTheMostRecentlySeenEnd() {
        var table = tree()
        table.add(contact(id(0x80), tag: 1))
        table.add(contact(id(0x90), tag: 2))
        let event = table.add(contact(id(0x80), tag: 3))
        #expect(event == .updated(old: contact(id(0x80), tag: 1), new: contact(id(0x80), tag: 3)))
        #expect(table.toArray() == [contact(id(0x90), tag: 2), contact(id(0x80), tag: 3)])
        #expect(table.count == 2)
    }

    @Test func higherIncumbentVectorClockKeepsTheIncumbentSilentlyAndInPlace() {
        var table = tree()
        table.add(contact(id(0x80), tag: 1, clock: 5))
        table.add(contact(id(0x90), tag: 2))
        #expect(table.add(contact(id(0x80), tag: 3, clock: 4)) == nil)
        #expect(table.toArray() == [contact(id(0x80), tag: 1, clock: 5), contact(id(0x90), tag: 2)])
        #expect(table.add(contact(id(0x80), tag: 4, clock: 5)) != nil)
    }

    @Test func anArbiterMayMergeTheIncumbentAndTheCandidate() {
        var table = tree(arbiter: { incumbent, candidate in
            .replace(with: contact(candidate.id, tag: incumbent.payload + candidate.payload))
        })
        table.add(contact(id(0x80), tag: 10))
        let event = table.add(contact(id(0x80), tag: 5))
        #expect(event == .updated(old: contact(id(0x80), tag: 10), new: contact(id(0x80), tag: 15)))
        #expect(table.get(id(0x80))?.payload == 15)
    }

    @Test func candidateAlwaysWinsArbiterRefreshesEvenOlderClocks() {
        var table = tree(arbiter: KBucketConfiguration<Int>.candidateAlwaysWins)
        table.add(contact(id(0x80), tag: 1, clock: 9))
        #expect(table.add(contact(id(0x80), tag: 2, clock: 0)) != nil)
        #expect(table.get(id(0x80))?.payload == 2)
    }

    @Test func aFullLocalBucketSplitsAndKeepsEveryContact() {
        var table = tree(k: 2)
        table.add(contact(id(0x80), tag: 1))
        table.add(contact(id(0x40), tag: 2))
        #expect(table.depth == 0)
        // Full root bucket: it splits at bit 0; 0x80 goes far, 0x40 and 0x20 stay on the local side.
        #expect(table.add(contact(id(0x20), tag: 3)) == .added(contact(id(0x20), tag: 3)))
        #expect(table.depth == 1)
        #expect(table.count == 3)
        #expect(ids(table.toArray()) == [id(0x40), id(0x20), id(0x80)])
    }

    @Test func aFullFarBucketReportsPingWithItsOldestContactsAndDoesNotAddTheNewcomer() {
        var table = tree(k: 3, ping: 2)
        for (tag, byte) in [UInt8(0x01), 0x80, 0x90, 0xA0].enumerated() {
            table.add(contact(id(byte), tag: tag))
        }
        // The root split at bit 0; the far bucket (bit 0 = 1) now holds 0x80, 0x90, 0xA0 and is full.
        let event = table.add(contact(id(0xB0), tag: 9))
        #expect(event == .ping(oldContacts: [contact(id(0x80), tag: 1), contact(id(0x90), tag: 2)],
                               newContact: contact(id(0xB0), tag: 9)))
        #expect(!table.contains(id(0xB0)))
        #expect(table.count == 4)
        // The usual answer: drop a dead contact and add the newcomer again.
        table.remove(id(0x80))
        #expect(table.add(contact(id(0xB0), tag: 9)) == .added(contact(id(0xB0), tag: 9)))
    }

    @Test func pingCarriesNoMoreContactsThanTheBucketHolds() {
        var table = tree(k: 2, ping: 5)
        for byte: UInt8 in [0x01, 0x80, 0x90] { table.add(contact(id(byte))) }
        guard case .ping(let oldContacts, _) = table.add(contact(id(0xA0))) else {
            Issue.record("expected a ping event")
            return
        }
        #expect(ids(oldContacts) == [id(0x80), id(0x90)])
    }

    @Test func removeReportsRemovedOnlyForStoredIds() {
        var table = tree()
        table.add(contact(id(0x80), tag: 1))
        #expect(table.remove(id(0x81)) == nil)
        #expect(table.remove(id(0x80)) == .removed(contact(id(0x80), tag: 1)))
        #expect(table.remove(id(0x80)) == nil)
        #expect(table.isEmpty)
    }

    @Test func removeAllEmptiesTheTableAndCollapsesTheTree() {
        var table = tree(k: 1)
        for byte: UInt8 in [0x01, 0x80, 0x40] { table.add(contact(id(byte))) }
        #expect(table.depth > 0)
        table.removeAll()
        #expect(table.count == 0 && table.depth == 0 && table.toArray().isEmpty)
    }

    @Test func modifyPayloadChangesAContactInPlaceWithoutReordering() {
        var table = tree()
        table.add(contact(id(0x80), tag: 1))
        table.add(contact(id(0x90), tag: 2))
        #expect(table.modifyPayload(of: id(0x80)) { $0 += 40; return $0 } == 41)
        #expect(table.modifyPayload(of: id(0x70)) { $0 = 0 } == nil)
        #expect(table.toArray() == [contact(id(0x80), tag: 41), contact(id(0x90), tag: 2)])
    }

    @Test func refreshChangesThePayloadAndMovesTheContactToTheMostRecentlySeenEnd() {
        var table = tree()
        for (tag, byte) in [0x80, 0x90, 0xA0, 0xB0].enumerated() { table.add(contact(id(UInt8(byte)), tag: tag)) }
        #expect(table.refresh(id(0x90)) { $0 += 10 })
        #expect(table.toArray() == [contact(id(0x80), tag: 0), contact(id(0xA0), tag: 2), contact(id(0xB0), tag: 3),
                                    contact(id(0x90), tag: 11)])
        #expect(table.refresh(id(0x90)) { $0 += 1 })  // already last: stays last
        #expect(table.toArray().last == contact(id(0x90), tag: 12))
        #expect(!table.refresh(id(0x70)) { $0 = 0 })
        #expect(table.count == 4)
    }

    @Test func shortIdsRouteToTheLowSidePastTheirLastBit() {
        var table = KBucketTree<Int>(configuration: .init(localNodeID: id(0xFF, 0x80), numberOfNodesPerKBucket: 1))
        // A one-byte id 0xFF agrees with the local id for 8 bits; bit 8 reads as 0 and the local id's is 1.
        table.add(contact(NodeID([0xFF])))
        table.add(contact(id(0xFF, 0xC0)))
        let snapshot = table.snapshot()
        let bucket = snapshot.buckets.first { $0.contacts.contains { $0.id == NodeID([0xFF]) } }
        #expect(bucket?.prefix.description == "111111110")
        #expect(table.get(NodeID([0xFF])) != nil)
    }

    @Test func idsThatDifferOnlyInLengthAreSeparateContacts() {
        var table = tree()
        table.add(contact(NodeID([0x80]), tag: 1))
        #expect(table.add(contact(NodeID([0x80, 0x00]), tag: 2)) == .added(contact(NodeID([0x80, 0x00]), tag: 2)))
        #expect(table.count == 2)
        #expect(table.get(NodeID([0x80]))?.payload == 1)
    }

    /// The reference recurses without end here (all ids read as zero bits forever); we report ping instead.
    @Test func idsNoSplitCanSeparateReportPingInsteadOfSplittingForever() {
        var table = KBucketTree<Int>(configuration: .init(localNodeID: NodeID([0x00]), numberOfNodesPerKBucket: 2))
        table.add(contact(NodeID([])))
        table.add(contact(NodeID([0x00, 0x00])))
        let event = table.add(contact(NodeID([0x00, 0x00, 0x00])))
        #expect(event == .ping(oldContacts: [contact(NodeID([])), contact(NodeID([0x00, 0x00]))],
                               newContact: contact(NodeID([0x00, 0x00, 0x00]))))
        #expect(table.depth == 24)
        #expect(table.count == 2)
    }

    @Test func closestCollectsWholeBucketsTowardTheTargetThenSortsByXOR() {
        var table = tree(k: 4)
        for byte: UInt8 in [0x01, 0x02, 0x03, 0x80, 0x81, 0xC0, 0xF0, 0x41] { table.add(contact(id(byte))) }
        #expect(ids(table.closest(to: id(0xC1), count: 2)) == [id(0xC0), id(0xF0)])
        #expect(ids(table.closest(to: id(0x00), count: 3)) == [id(0x01), id(0x02), id(0x03)])
        #expect(table.closest(to: id(0x00)).count == table.count)
        #expect(ids(table.closest(to: id(0x42))) == bruteForceClosest(table, to: id(0x42), count: .max))
    }

    @Test func closestOfANonPositiveCountOrAnEmptyTableIsEmpty() {
        var table = tree()
        #expect(table.closest(to: id(0x80), count: 5).isEmpty)
        table.add(contact(id(0x80)))
        #expect(table.closest(to: id(0x80), count: 0).isEmpty)
        #expect(table.closest(to: id(0x80), count: -1).isEmpty)
    }

    @Test func closestOrdersMixedLengthIdsByExactReferenceShapedDistance() {
        var table = KBucketTree<Int>(localNodeID: NodeID([0x00, 0x00]))
        for bytes: [UInt8] in [[0x01], [0x01, 0x00, 0x00], [0x01, 0x01], [0xFF, 0xFF]] { table.add(contact(NodeID(bytes))) }
        // Distances to 0x0100: [01 01] → 0001, [01] → 00FF, [01 00 00] → 0000FF (the same integer: walk order
        // breaks the tie), [FF FF] → FEFF.
        let expected: [[UInt8]] = [[0x01, 0x01], [0x01], [0x01, 0x00, 0x00], [0xFF, 0xFF]]
        #expect(table.closest(to: NodeID([0x01, 0x00])).map(\.id.bytes) == expected)
    }

    @Test func customDistanceOrdersByTheCallersMetricKeepingWalkOrderForTies() {
        var configuration = KBucketConfiguration<Int>(localNodeID: local)
        configuration.distance = .custom { contactID, _ in contactID.byte(at: 0) & 0xF0 }
        var table = KBucketTree(configuration: configuration)
        for byte: UInt8 in [0x35, 0x31, 0x22, 0x10] { table.add(contact(id(byte))) }
        #expect(ids(table.closest(to: id(0x00))) == [id(0x10), id(0x22), id(0x35), id(0x31)])
    }

    @Test func toArrayAndContactsListBucketsByPrefixLowestFirst() {
        var table = KBucketTree<Int>(configuration: .init(localNodeID: id(0x60), numberOfNodesPerKBucket: 1))
        for byte: UInt8 in [0x61, 0xE0, 0x20, 0x70, 0x40] { table.add(contact(id(byte))) }
        let expected = [id(0x20), id(0x40), id(0x61), id(0x70), id(0xE0)]
        #expect(ids(table.toArray()) == expected)
        #expect(ids(Array(table.contacts)) == expected)
        #expect(table.contacts.underestimatedCount == 5)
    }

    @Test func configurationValidationRejectsZeroCounts() {
        #expect(throws: KBucketError.invalidBucketSize(0)) {
            try KBucketConfiguration<Int>(localNodeID: local, numberOfNodesPerKBucket: 0).validate()
        }
        #expect(throws: KBucketError.invalidPingCount(0)) {
            try KBucketConfiguration<Int>(localNodeID: local, numberOfNodesToPing: 0).validate()
        }
        #expect(throws: Never.self) { try KBucketConfiguration<Int>(localNodeID: local).validate() }
    }
}
