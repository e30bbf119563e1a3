import UDPRequest

// Draws defined here, bit for bit, rather than via `Double.random(in:using:)`, so a seed replays the
// same run on every toolchain.
extension SeededRandomGenerator {
    /// A uniform value in [0, 1) from the top 53 bits of the next output.
    mutating func nextUnitInterval() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// `true` with probability `p`; draws nothing when `p` is zero.
    mutating func nextBool(probability p: Double) -> Bool {
        p > 0 && nextUnitInterval() < p
    }

    /// A uniform integer in 0...bound; draws nothing when `bound` is zero or less.
    mutating func nextNanoseconds(upTo bound: Int64) -> Int64 {
        guard bound > 0 else { return 0 }
        let range = UInt64(bound) &+ 1
        if range == 0 { return Int64(bitPattern: next() >> 1) }
        return Int64(range.multipliedFullWidth(by: next()).high)
    }
}
