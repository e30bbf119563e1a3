import UDPRequest

/// Per-second rates and a traffic history from the socket's running totals, sampled at each status.
public struct TrafficMeter: Sendable {
    /// Rates over roughly the last second.
    public struct Rates: Equatable, Sendable {
        /// Datagrams received per second.
        public var datagramsIn: Double = 0
        /// Datagrams sent per second.
        public var datagramsOut: Double = 0
        /// Bytes received per second.
        public var bytesIn: Double = 0
        /// Bytes sent per second.
        public var bytesOut: Double = 0
        /// Timeouts per second.
        public var timeouts: Double = 0

        /// Zero rates.
        public init() {}
    }

    private var samples = RingBuffer<(time: Duration, counters: RequestSocketCounters)>(capacity: 64)
    /// Datagrams (in + out) per whole second, oldest first: the sparkline's data.
    public private(set) var perSecond = RingBuffer<Int>(capacity: 120)
    private var secondStart: (second: Int64, datagrams: Int)?
    /// The current rates.
    public private(set) var rates = Rates()

    /// Creates an empty meter.
    public init() {}

    /// Records the totals seen at monitor time `time` and updates rates and the per-second history.
    public mutating func record(_ counters: RequestSocketCounters, at time: Duration) {
        samples.append((time, counters))
        let datagrams = counters.datagramsIn + counters.datagramsOut
        let second = time.components.seconds
        if let start = secondStart {
            if second > start.second {
                perSecond.append(max(0, datagrams - start.datagrams))
                // Seconds with no sample at all (a stalled UI) count as silent.
                for _ in 0..<min(Int(second - start.second - 1), perSecond.capacity) { perSecond.append(0) }
                secondStart = (second, datagrams)
            }
        } else {
            secondStart = (second, datagrams)
        }
        rates = computeRates(now: time)
    }

    private func computeRates(now: Duration) -> Rates {
        guard let newest = samples.last else { return Rates() }
        var base = newest
        for sample in samples where now - sample.time <= .milliseconds(1500) {
            base = sample
            break
        }
        let seconds = Double((newest.time - base.time).components.attoseconds) / 1e18
            + Double((newest.time - base.time).components.seconds)
        guard seconds >= 0.2 else { return rates }
        var rates = Rates()
        rates.datagramsIn = Double(newest.counters.datagramsIn - base.counters.datagramsIn) / seconds
        rates.datagramsOut = Double(newest.counters.datagramsOut - base.counters.datagramsOut) / seconds
        rates.bytesIn = Double(newest.counters.bytesIn - base.counters.bytesIn) / seconds
        rates.bytesOut = Double(newest.counters.bytesOut - base.counters.bytesOut) / seconds
        rates.timeouts = Double(newest.counters.timeouts - base.counters.timeouts) / seconds
        return rates
    }
}

/// Draws a series as block characters, one per value, scaled to the series' maximum.
public enum Sparkline {
    /// The eight levels, lowest first.
    public static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values of `values` as a sparkline (right-aligned, padded with spaces).
    public static func render(_ values: [Int], width: Int) -> String {
        guard width > 0 else { return "" }
        let shown = values.suffix(width)
        let peak = max(1, shown.max() ?? 1)
        var text = String(repeating: " ", count: width - shown.count)
        for value in shown {
            let level = value <= 0 ? 0 : min(levels.count - 1, Int((Double(value) / Double(peak)) * Double(levels.count - 1) + 0.5))
            text.append(levels[level])
        }
        return text
    }
}
