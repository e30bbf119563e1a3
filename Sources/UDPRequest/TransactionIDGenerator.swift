/// Hands out 15-bit transaction ids the way udp-request does: a counter starting at a random value
/// in 0..<32767, going up by one per request, wrapping to 0 *before* use when it reaches 32767 – so
/// the reference never sends tid 0x7fff itself (though it answers one).
public struct TransactionIDGenerator: Sendable {
    private var counter: UInt16

    /// The largest counter value; reaching it wraps to 0 before use.
    public static let wrapValue: UInt16 = 32767

    /// Starts the counter at `start` (taken modulo 32767).
    public init(start: UInt16) { counter = start % Self.wrapValue }

    /// Starts the counter at a random value, as `(Math.random() * 32767) | 0` does.
    public init<G: RandomNumberGenerator>(using generator: inout G) {
        counter = UInt16.random(in: 0..<Self.wrapValue, using: &generator)
    }

    /// The tid the next request will use (without consuming it).
    public var peek: UInt16 { counter == Self.wrapValue ? 0 : counter }

    /// Returns the next tid.
    public mutating func next() -> UInt16 {
        if counter == Self.wrapValue { counter = 0 }
        defer { counter += 1 }
        return counter
    }
}
