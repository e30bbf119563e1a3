import Monitor
import UDPRequest

/// The subscribed clients and the node's recent events.
struct EventFanOut {
    var subscribers: [ObjectIdentifier: ControlOutbox] = [:]
    private var events: [MonitorEvent] = []
    private var times: [Timestamp] = []
    private var handedOverAt: Timestamp?

    /// Keeps `batch`'s events (with their node times; a batch without times is not kept), at most `limit`.
    mutating func remember(_ batch: MonitorEventBatch, limit: Int) {
        guard let batchTimes = batch.times, let handover = batch.handedOverAt, batchTimes.count == batch.events.count else { return }
        events += batch.events
        times += batchTimes
        handedOverAt = handover
        if events.count > limit {
            events.removeFirst(events.count - limit)
            times.removeFirst(times.count - limit)
        }
    }

    /// The kept events as one batch; `nil` when there are none.
    func history() -> MonitorEventBatch? {
        guard let handedOverAt, !events.isEmpty else { return nil }
        return MonitorEventBatch(events, times: times, handedOverAt: handedOverAt)
    }
}
