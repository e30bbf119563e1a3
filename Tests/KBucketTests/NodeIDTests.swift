import KBucket
import Testing

@Suite struct NodeIDTests {
    @Test func hexRoundTripsInLowerCase() throws {
        let hex = "2db36b8b5e95b486ace45ed5c5a4bc81006583271b9a93799b52f18084ddff2b"
        let id = try NodeID(hex: hex.uppercased())
        #expect(id.count == 32)
        #expect(id.hexString == hex)
        #expect(id.description == hex)
        #expect(id.bytes.first == 0x2d)
        #expect(id.bytes.last == 0x2b)
        #expect(try NodeID(hex: "") == NodeID.empty)
    }

    @Test func invalidHexIsRejected() {
        #expect(throws: KBucketError.invalidHexID("abc")) { try NodeID(hex: "abc") }
        #expect(throws: KBucketError.invalidHexID("zz")) { try NodeID(hex: "zz") }
    }

    @Test func bitsCountFromTheMostSignificantBitAndReadZeroPastTheEnd() {
        let id = NodeID([0b1010_0000, 0x01])
        #expect(id.bit(at: 0))
        #expect(!id.bit(at: 1))
        #expect(id.bit(at: 2))
        #expect(id.bit(at: 15))
        #expect(!id.bit(at: 16))
        #expect(!id.bit(at: 300))
    }

    @Test func idsLongerThan32BytesKeepEveryByte() {
        var rng = SplitMix64(seed: 7)
        let bytes = rng.bytes(40)
        let id = NodeID(bytes)
        #expect(id.count == 40)
        #expect(id.bytes == bytes)
        #expect(id.bit(at: 8 * 39 + 7) == (bytes[39] & 1 == 1))
        var other = bytes
        other[38] ^= 0x10
        #expect(NodeID(other) != id)
        #expect(id.commonPrefixLength(with: NodeID(other), limit: 1000) == 8 * 38 + 3)
        #expect(Set([id, NodeID(bytes), NodeID(other)]).count == 2)
    }

    @Test func idsThatDifferOnlyInLengthAreDifferent() {
        #expect(NodeID([0x00]) != NodeID([0x00, 0x00]))
        #expect(NodeID([0x00]).commonPrefixLength(with: NodeID([0x00, 0x00]), limit: 100) == 100)
        #expect(NodeID([0x12, 0x34]) == NodeID([0x12, 0x34]))
    }

    @Test func commonPrefixLengthStopsAtTheFirstDifferentBitOrTheLimit() {
        let a = id(0xFF, 0x00)
        let b = id(0xFF, 0x20)
        #expect(a.commonPrefixLength(with: b, limit: 256) == 10)
        #expect(a.commonPrefixLength(with: b, limit: 4) == 4)
        #expect(a.commonPrefixLength(with: a, limit: 256) == 256)
    }

    @Test func xorDistanceComparesEveryBitWhereTheReferenceDoubleTies() {
        let target = id(0x80)
        let near = NodeID([UInt8](repeating: 0, count: 20) + [0x01] + [UInt8](repeating: 0, count: 11))
        let far = NodeID([UInt8](repeating: 0, count: 20) + [0x09] + [UInt8](repeating: 0, count: 11))
        #expect(near.referenceDoubleDistance(to: target) == far.referenceDoubleDistance(to: target))
        #expect(near.distance(to: target) < far.distance(to: target))
        #expect(!(far.distance(to: target) < near.distance(to: target)))
    }

    @Test func xorDistanceOfDifferentLengthsPadsTheLongerIdWithFF() {
        // Like the reference: common bytes XOR, then 0xFF for every byte only the longer id has.
        #expect(NodeID([0x0F]).distance(to: NodeID([0x01, 0x02])).bytes == [0x0E, 0xFF])
        // Compared as integers: 0x0EFF (two bytes) is larger than 0xF0 (one byte).
        #expect(NodeID([0xF1]).distance(to: NodeID([0x01])) < NodeID([0x0F]).distance(to: NodeID([0x01, 0x02])))
        #expect(XORDistance(NodeID([0x00, 0x05]), NodeID([0x00, 0x00])) == XORDistance(NodeID([0x05]), NodeID([0x00])))
    }

    @Test func referenceDoubleDistanceFoldsBytesLikeTheReference() {
        #expect(NodeID([0x01, 0x02]).referenceDoubleDistance(to: NodeID([0x00, 0x00])) == 258)
        #expect(NodeID([0x01]).referenceDoubleDistance(to: NodeID([0x00, 0x00])) == 256 + 255)
    }
}
