/// A token bucket on an injected clock: holds up to ``burst`` tokens, refills at ``ratePerSecond``,
/// and each admitted event takes one token.
public struct TokenBucket: Sendable, Equatable {
    /// Tokens added per second.
    public let ratePerSecond: Double
    /// The most tokens it holds (the largest burst admitted at once).
    public let burst: Double
    /// Tokens available at ``updatedAt``.
    public private(set) var tokens: Double
    /// When ``tokens`` was last brought up to date.
    public private(set) var updatedAt: Timestamp

    /// Creates a full bucket.
    public init(ratePerSecond: Double, burst: Double, now: Timestamp) {
        self.ratePerSecond = max(0, ratePerSecond)
        self.burst = max(1, burst)
        self.tokens = self.burst
        self.updatedAt = now
    }

    /// Takes one token if there is one; returns whether the event is admitted.
    public mutating func take(now: Timestamp) -> Bool {
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Whether the bucket would be full at `now` (nothing taken for long enough): its state carries no
    /// information and can be forgotten.
    public func isFull(at now: Timestamp) -> Bool {
        tokens + elapsedSeconds(until: now) * ratePerSecond >= burst
    }

    private mutating func refill(now: Timestamp) {
        guard now > updatedAt else { return }
        tokens = min(burst, tokens + elapsedSeconds(until: now) * ratePerSecond)
        updatedAt = now
    }

    private func elapsedSeconds(until now: Timestamp) -> Double {
        now > updatedAt ? Double(now.nanoseconds - updatedAt.nanoseconds) / 1e9 : 0
    }
}
