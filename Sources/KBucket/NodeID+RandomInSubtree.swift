extension NodeID {
    /// A random id of the same length in the subtree that branches off this id's path at bit `index`: bits
    /// `0..<index` are this id's, bit `index` is flipped, and the rest are drawn from `generator`. A bucket
    /// refresh walks toward such an id to learn the nodes of a far bucket.
    public func randomID(branchingOffAt index: Int, using generator: inout some RandomNumberGenerator) -> NodeID {
        precondition(index >= 0 && index < 8 * count, "branching bit out of range")
        var bytes = self.bytes
        let byteIndex = index >> 3
        let bitInByte = UInt8(7 - (index & 7))
        let keepMask: UInt8 = bitInByte == 7 ? 0 : ~UInt8(0) << (bitInByte + 1)  // bits above `index` in its byte
        let flipped = (bytes[byteIndex] ^ (1 << bitInByte)) & (keepMask | (1 << bitInByte))
        bytes[byteIndex] = flipped | (UInt8.random(in: 0...255, using: &generator) & ~(keepMask | (1 << bitInByte)))
        for later in (byteIndex + 1)..<bytes.count { bytes[later] = UInt8.random(in: 0...255, using: &generator) }
        return NodeID(bytes)
    }
}
