import KBucket

/// A tiny seeded generator (SplitMix64) so random tests replay exactly from their seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }

    mutating func id(_ count: Int = 32) -> NodeID {
        NodeID(bytes(count))
    }
}

/// An id from hex that the test knows to be valid.
func hexID(_ hex: String) -> NodeID {
    do {
        return try NodeID(hex: hex)
    } catch {
        fatalError("bad hex in test: \(hex)")
    }
}

/// An id whose first bytes are given and the rest zero.
func id(_ leading: UInt8..., length: Int = 32) -> NodeID {
    NodeID(leading + [UInt8](repeating: 0, count: length - leading.count))
}

/// Contacts whose payload is an integer tag, so tests can tell versions of the same id apart.
typealias TaggedTree = KBucketTree<Int>
typealias TaggedContact = KBucketContact<Int>

func contact(_ id: NodeID, tag: Int = 0, clock: Int = 0) -> TaggedContact {
    TaggedContact(id: id, vectorClock: clock, payload: tag)
}

/// The ids of a contact list, for compact comparisons.
func ids<Payload>(_ contacts: [KBucketContact<Payload>]) -> [NodeID] {
    contacts.map(\.id)
}

/// The whole table sorted by exact XOR distance to `target`: what `closest` must return.
func bruteForceClosest<Payload>(_ tree: KBucketTree<Payload>, to target: NodeID, count: Int) -> [NodeID] {
    Array(tree.toArray().map(\.id).sorted { $0.distance(to: target) < $1.distance(to: target) }.prefix(count))
}
