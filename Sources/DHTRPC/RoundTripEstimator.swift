import UDPRequest

/// The smoothed round-trip time of the answers a node receives (RFC 6298's SRTT and RTTVAR, gains
/// 1/8 and 1/4), and the soft deadline derived from it: how long a walk waits for one request before
/// it stops counting on it and moves on. The request itself keeps running to its hard timeout
/// (udp-request's 1.25–1.5 s), and a late answer is still taken.
struct RoundTripEstimator {
    /// The shortest soft deadline: loopback and LAN round trips are far below it, and a busy host
    /// delays answers by tens of milliseconds.
    static let minimumDeadline: Duration = .milliseconds(50)
    /// The longest soft deadline, below the shortest hard timeout (1.25 s).
    static let maximumDeadline: Duration = .milliseconds(1000)

    /// The smoothed round-trip time, once an answer was seen.
    private(set) var smoothed: Duration?
    /// The smoothed mean deviation.
    private(set) var variation: Duration = .zero

    /// Feeds one measured round trip.
    mutating func observe(_ sample: Duration) {
        let sample = max(sample, .zero)
        guard let current = smoothed else {
            smoothed = sample
            variation = sample / 2
            return
        }
        let deviation = current > sample ? current - sample : sample - current
        variation = (variation * 3 + deviation) / 4
        smoothed = (current * 7 + sample) / 8
    }

    /// Three smoothed round trips, or the smoothed round trip plus four deviations if that is longer,
    /// clamped to ``minimumDeadline``...``maximumDeadline``; ``maximumDeadline`` before any answer.
    var softDeadline: Duration {
        guard let smoothed else { return Self.maximumDeadline }
        let estimate = max(smoothed * 3, smoothed + variation * 4)
        return min(max(estimate, Self.minimumDeadline), Self.maximumDeadline)
    }
}
