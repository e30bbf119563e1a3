import Monitor
import UDPRequest

/// Keeps event times on one timeline across nodes: a node that comes back (restarted) starts its
/// clock again near zero, and the inbox maps node times onto the monitor's clock by the smallest
/// offset it has seen – so a later node's batches are shifted to continue where the previous node's
/// clock left off, plus the wall time between.
public struct ReattachTimeline: Sendable {
    private var shift: Duration = .zero
    private var needsShift = false
    private var last: (handedOverAt: Timestamp, arrival: ContinuousClock.Instant)?

    /// A timeline with no node yet.
    public init() {}

    /// The node went away; the next node's first batch sets a new shift.
    public mutating func nodeLeft() {
        if last != nil { needsShift = true }
    }

    /// `batch` with its times shifted onto the timeline.
    public mutating func continuing(_ batch: MonitorEventBatch, arrival: ContinuousClock.Instant) -> MonitorEventBatch {
        guard let handedOverAt = batch.handedOverAt, let times = batch.times else { return batch }
        if needsShift, let last {
            shift = (last.handedOverAt - handedOverAt) + (arrival - last.arrival)
            needsShift = false
        }
        var shifted = batch
        shifted.handedOverAt = handedOverAt + shift
        shifted.times = times.map { $0 + shift }
        last = (handedOverAt + shift, arrival)
        return shifted
    }
}
