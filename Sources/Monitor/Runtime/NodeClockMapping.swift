import UDPRequest

/// Maps the times events happened on the node's clock (its scheduler's `now`) onto the monitor's
/// clock, once per batch: the offset between the clocks is what a batch shows – its hand-over time
/// on the node's clock against its arrival on the monitor's – and the smallest offset seen is kept,
/// because hand-over latency can only add to it. Mapped times never go backwards (a smaller offset
/// found later does not move events before ones already shown) and never lie in the future, so a
/// timeline's steps keep their order and the node's spacing.
struct NodeClockMapping: Sendable {
    private var offset: Duration?
    private var lastMapped: Duration?

    /// The monitor-clock times of `times` (node clock), for a batch handed over at `handedOverAt`
    /// (node clock) that arrived at `arrival` (monitor clock).
    mutating func map(_ times: [Timestamp], handedOverAt: Timestamp, arrival: Duration) -> [Duration] {
        let seen = arrival - .nanoseconds(handedOverAt.nanoseconds)
        let offset = min(self.offset ?? seen, seen)
        self.offset = offset
        return times.map { time in
            var mapped = min(arrival, .nanoseconds(time.nanoseconds) + offset)
            if let lastMapped { mapped = max(mapped, lastMapped) }
            lastMapped = mapped
            return mapped
        }
    }
}
