import IPEncoding

/// Per-source token buckets with a bounded table (see ``SourceRateLimit``). A source is an IPv4
/// host, or an IPv6 /64 (one subscriber's usual allocation, so cycling through its addresses does
/// not escape the limit). Sans-I/O: the caller passes the time.
public struct SourceRateLimiter: Sendable {
    /// What the limiter decided for one datagram.
    public enum Decision: Equatable, Sendable {
        /// Admit it.
        case admit
        /// Drop it; `report` is true at most once per second per source, for an event.
        case drop(report: Bool)
    }

    /// The limits applied.
    public let limit: SourceRateLimit
    private var buckets: [SourceKey: Entry] = [:]
    private var overflow: Entry?
    private var lastSweep: Timestamp?

    private struct Entry {
        var bucket: TokenBucket
        var lastReport: Timestamp?
    }

    /// A rate-limited source: an IPv4 address, or an IPv6 address's first 64 bits.
    struct SourceKey: Hashable {
        let high: UInt64
        let low: UInt64
        init(_ host: IPAddress) {
            switch host.unmappedIPv4 ?? host {
            case .v4(let value): (high, low) = (0, UInt64(value))
            case .v6(let high, _): (self.high, self.low) = (high, 1 << 63)
            }
        }
    }

    /// Creates an empty limiter.
    public init(limit: SourceRateLimit) {
        self.limit = limit
    }

    /// Sources with state kept now.
    public var trackedSources: Int { buckets.count }

    /// Decides whether one more datagram from `host` is admitted at `now`.
    public mutating func admit(from host: IPAddress, now: Timestamp) -> Decision {
        let key = SourceKey(host)
        if var entry = buckets[key] {
            let decision = Self.take(&entry, now: now)
            buckets[key] = entry
            return decision
        }
        if buckets.count >= limit.maxTrackedSources { sweep(now: now) }
        if buckets.count < limit.maxTrackedSources {
            var entry = Entry(bucket: TokenBucket(ratePerSecond: limit.ratePerSecond, burst: limit.burst, now: now))
            let decision = Self.take(&entry, now: now)
            buckets[key] = entry
            return decision
        }
        var shared = overflow ?? Entry(bucket: TokenBucket(ratePerSecond: limit.ratePerSecond, burst: limit.burst, now: now))
        let decision = Self.take(&shared, now: now)
        overflow = shared
        return decision
    }

    private static func take(_ entry: inout Entry, now: Timestamp) -> Decision {
        if entry.bucket.take(now: now) { return .admit }
        let report = entry.lastReport.map { now - $0 >= .seconds(1) } ?? true
        if report { entry.lastReport = now }
        return .drop(report: report)
    }

    /// Forgets sources whose buckets have refilled (they carry no state). At most once per second, so
    /// a table full of active sources costs one pass per second, not one per datagram.
    private mutating func sweep(now: Timestamp) {
        if let lastSweep, now - lastSweep < .seconds(1) { return }
        lastSweep = now
        buckets = buckets.filter { !$0.value.bucket.isFull(at: now) }
    }
}
