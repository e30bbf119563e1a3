/// One hand-over from ``MonitorBackend/events()``: translated events, oldest first, and how many
/// events the backend (or the node under it) dropped before them because the monitor fell behind.
/// The inbox adds that count to its own, so the header's "events dropped" is everything lost.
public struct MonitorEventBatch: Sendable, Equatable {
    /// The events, in the order they happened.
    public var events: [MonitorEvent]
    /// Events lost before these (upstream of the inbox).
    public var dropped: Int

    /// Creates a batch.
    public init(_ events: [MonitorEvent], dropped: Int = 0) {
        self.events = events
        self.dropped = dropped
    }
}

extension AsyncStream<MonitorEventBatch>.Continuation {
    /// Yields `batch` plus `carried` lost events; returns how many events the next batch must carry
    /// (those of a batch a full buffer pushed out to make room, 0 otherwise). A bounded backend
    /// stream calls this for every batch so no loss goes uncounted.
    public func yield(_ batch: MonitorEventBatch, carrying carried: Int) -> Int {
        var batch = batch
        batch.dropped += carried
        if case .dropped(let lost) = yield(batch) { return lost.events.count + lost.dropped }
        return 0
    }

    /// Ends the stream once the count a full buffer still owes has been handed over: a drop-only
    /// batch, each attempt after waiting `interval` for the consumer to make room (a full buffer
    /// pushes out its oldest batch, whose count the next attempt carries), at most `attempts` times.
    public func finish(carrying carried: Int, interval: Duration = .milliseconds(20), attempts: Int = 50) async {
        var carried = carried, attempts = attempts
        while carried > 0 && attempts > 0 {
            try? await Task.sleep(for: interval)
            carried = yield(MonitorEventBatch([]), carrying: carried)
            attempts -= 1
        }
        finish()
    }
}
