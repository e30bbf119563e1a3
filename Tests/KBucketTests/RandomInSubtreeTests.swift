import KBucket
import Testing

/// What a bucket refresh builds on: random ids in the subtree of one far bucket, and how many contacts each far
/// bucket holds.
@Suite struct RandomInSubtreeTests {
    static func commonPrefixLength(_ a: NodeID, _ b: NodeID) -> Int {
        var bit = 0
        while bit < 8 * a.count, a.bit(at: bit) == b.bit(at: bit) { bit += 1 }
        return bit
    }

    @Test(arguments: [1, 20, 32])
    func anIdBranchingOffAtABitKeepsTheBitsBeforeItFlipsItAndDrawsTheRest(length: Int) {
        var random = SplitMix64(seed: UInt64(length))
        let local = random.id(length)
        for index in 0..<(8 * length) {
            var rests = Set<[Bool]>()
            for _ in 0..<8 {
                let id = local.randomID(branchingOffAt: index, using: &random)
                #expect(id.count == length)
                #expect(Self.commonPrefixLength(local, id) == index, "bit \(index)")
                rests.insert(((index + 1)..<(8 * length)).map { id.bit(at: $0) })
            }
            // 8 draws of ≥ 8 random bits are not all the same (a 2^-56 chance per bit position).
            if 8 * length - index - 1 >= 8 { #expect(rests.count > 1, "bit \(index): the rest is not drawn") }
        }
    }

    @Test func farBucketCountsCountTheContactsOfEachFarBucketByItsBranchingBit() {
        var random = SplitMix64(seed: 0x5EED)
        let local = random.id()
        var table = KBucketTree<Int>(localNodeID: local)
        for value in 0..<600 {
            // Half the ids share a long prefix with the local id, so the table splits deep along its path.
            let id = value.isMultiple(of: 2) ? random.id()
                : local.randomID(branchingOffAt: Int.random(in: 0..<40, using: &random), using: &random)
            _ = table.add(KBucketContact(id: id, payload: value))
        }
        let all = table.counts()
        let odd = table.farBucketCounts { $0.payload % 2 == 1 }
        #expect(all.count > 8, "the table split along the local id's path")
        var expected = Array(repeating: 0, count: all.count), expectedOdd = expected
        var inOwnLeaf = 0
        for contact in table.toArray() {
            let bit = Self.commonPrefixLength(local, contact.id)
            if bit < all.count {
                expected[bit] += 1
                if contact.payload % 2 == 1 { expectedOdd[bit] += 1 }
            } else {
                inOwnLeaf += 1
            }
        }
        #expect(all == expected)
        #expect(odd == expectedOdd)
        #expect(all.reduce(0, +) + inOwnLeaf == table.count)
    }
}

extension KBucketTree {
    fileprivate func counts() -> [Int] { farBucketCounts { _ in true } }
}
