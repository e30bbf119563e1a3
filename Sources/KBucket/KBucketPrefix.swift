/// The bit prefix that every id in a bucket shares: the path from the tree's root to the bucket's leaf.
///
/// Stored as the local id plus a length (and whether the last bit is flipped), so taking a snapshot costs
/// nothing per bit; the bits are produced when asked for.
public struct KBucketPrefix: Sendable, Hashable {
    @usableFromInline let localID: NodeID
    /// The number of bits in the prefix, which is the bucket's depth in the tree (0 for the root bucket).
    public let length: Int
    /// True for a far bucket: its last bit is the opposite of the local id's.
    @usableFromInline let flipsLastBit: Bool

    @usableFromInline
    init(localID: NodeID, length: Int, flipsLastBit: Bool) {
        self.localID = localID
        self.length = length
        self.flipsLastBit = flipsLastBit
    }

    /// Bit `index` of the prefix (`index` in `0..<length`), most significant first.
    public func bit(at index: Int) -> Bool {
        precondition(index >= 0 && index < length, "prefix bit index out of range")
        let bit = localID.bit(at: index)
        return flipsLastBit && index == length - 1 ? !bit : bit
    }

    /// The prefix's bits, most significant first.
    public var bits: [Bool] { (0..<length).map { bit(at: $0) } }

    /// Whether `id` starts with this prefix (bits past the id's length read as zero), i.e. belongs in the bucket.
    public func matches(_ id: NodeID) -> Bool {
        guard length > 0 else { return true }
        if !flipsLastBit { return id.commonPrefixLength(with: localID, limit: length) == length }
        return id.commonPrefixLength(with: localID, limit: length - 1) == length - 1
            && id.bit(at: length - 1) != localID.bit(at: length - 1)
    }
}

extension KBucketPrefix: CustomStringConvertible {
    /// The bits as `0` and `1` characters, e.g. `"0010"`; empty for the root bucket.
    public var description: String {
        String((0..<length).map { bit(at: $0) ? "1" : "0" })
    }
}
