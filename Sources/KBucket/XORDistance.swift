/// The exact XOR distance between two ids, shaped like k-bucket 3.3.1's `KBucket.distance` but without its
/// loss of precision.
///
/// The distance is the big-endian unsigned integer of `max(a.count, b.count)` bytes whose byte `i` is
/// `a[i] ^ b[i]` where both ids have a byte `i`, and `0xFF` where only the longer one does. The reference folds
/// the same bytes into a JavaScript double (`d = d * 256 + byte`), so with 32-byte ids only about the top 53 bits
/// count and nearby contacts tie; this type compares every bit. Distances of different byte lengths compare as
/// the integers they are.
public struct XORDistance: Sendable {
    /// The distance's bytes, most significant first.
    @usableFromInline let value: NodeID

    /// The distance between `a` and `b` (symmetric).
    @inlinable
    public init(_ a: NodeID, _ b: NodeID) {
        if a.count == b.count && a.count <= 32 {
            value = NodeID(words: (a.w0 ^ b.w0, a.w1 ^ b.w1, a.w2 ^ b.w2, a.w3 ^ b.w3), extra: nil, count: a.count)
        } else {
            value = Self.general(a, b)
        }
    }

    @usableFromInline
    static func general(_ a: NodeID, _ b: NodeID) -> NodeID {
        let shorter = min(a.count, b.count)
        let longer = max(a.count, b.count)
        var bytes = [UInt8](repeating: 0xFF, count: longer)
        for index in 0..<shorter {
            bytes[index] = a.byte(at: index) ^ b.byte(at: index)
        }
        return NodeID(bytes)
    }

    /// The distance's bytes, most significant first (`max(a.count, b.count)` of them).
    public var bytes: [UInt8] { value.bytes }
}

extension XORDistance: Hashable {
    /// Two distances are equal when they are the same integer (leading zero bytes do not count).
    @inlinable
    public static func == (lhs: XORDistance, rhs: XORDistance) -> Bool {
        if lhs.value.count == rhs.value.count { return lhs.value == rhs.value }
        return !(lhs < rhs) && !(rhs < lhs)
    }

    /// Hashes the integer's significant bytes.
    public func hash(into hasher: inout Hasher) {
        for byte in value.bytes.drop(while: { $0 == 0 }) {
            hasher.combine(byte)
        }
    }
}

extension XORDistance: Comparable {
    /// Compares two distances as unsigned integers.
    @inlinable
    public static func < (lhs: XORDistance, rhs: XORDistance) -> Bool {
        let a = lhs.value
        let b = rhs.value
        if a.count == b.count && a.count <= 32 {
            if a.w0 != b.w0 { return a.w0 < b.w0 }
            if a.w1 != b.w1 { return a.w1 < b.w1 }
            if a.w2 != b.w2 { return a.w2 < b.w2 }
            return a.w3 < b.w3
        }
        return numericallyLess(a, b)
    }

    @usableFromInline
    static func numericallyLess(_ a: NodeID, _ b: NodeID) -> Bool {
        // Left-pad the shorter number with zero bytes, then compare byte by byte.
        let length = max(a.count, b.count)
        let padA = length - a.count
        let padB = length - b.count
        for index in 0..<length {
            let x = index < padA ? 0 : a.byte(at: index - padA)
            let y = index < padB ? 0 : b.byte(at: index - padB)
            if x != y { return x < y }
        }
        return false
    }
}

extension NodeID {
    /// The exact XOR distance from this id to `other`; see `XORDistance`.
    @inlinable
    public func distance(to other: NodeID) -> XORDistance {
        XORDistance(self, other)
    }

    /// k-bucket 3.3.1's `KBucket.distance`, bit for bit: the bytes folded into a double
    /// (`d = d * 256 + (a[i] ^ b[i])`, then `d * 256 + 255` for each byte only the longer id has).
    ///
    /// Kept to reproduce the reference's `closest` order where its rounding makes contacts tie
    /// (`KBucketDistance.referenceDouble`); the routing table itself uses the exact `XORDistance`.
    public func referenceDoubleDistance(to other: NodeID) -> Double {
        var distance = 0.0
        let shorter = min(count, other.count)
        let longer = max(count, other.count)
        for index in 0..<shorter {
            distance = distance * 256 + Double(byte(at: index) ^ other.byte(at: index))
        }
        for _ in shorter..<longer {
            distance = distance * 256 + 255
        }
        return distance
    }
}
