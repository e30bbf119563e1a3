import UDPRequest

/// One hand-over from ``MonitorBackend/events()``: translated events, oldest first, when they
/// happened on the node's clock (when the backend knows), and how many events the backend (or the
/// node under it) dropped before them because the monitor fell behind. The inbox maps the times onto
/// the monitor's clock and adds the count to its own, so the header's "events dropped" is everything lost.
public struct MonitorEventBatch: Sendable, Equatable, Codable {
    /// The events, in the order they happened.
    public var events: [MonitorEvent]
    /// When each event happened on the node's clock (`times[i]` is `events[i]`'s); `nil`: not
    /// known, the events count as happening when they reach the inbox.
    public var times: [Timestamp]?
    /// The node's clock when the batch was handed over (with `times`).
    public var handedOverAt: Timestamp?
    /// Events lost before these (upstream of the inbox).
    public var dropped: Int
    /// Whether these events replace everything before them (a replay stepping back hands over the
    /// events up to its new position this way); `nil` (the usual case): they follow them.
    public var resetsHistory: Bool?

    /// Creates a batch of events without node times.
    public init(_ events: [MonitorEvent], dropped: Int = 0) {
        self.events = events
        self.dropped = dropped
    }

    /// Creates a batch of events that happened at `times` on the node's clock, handed over at
    /// `handedOverAt` on that clock.
    public init(_ events: [MonitorEvent], times: [Timestamp], handedOverAt: Timestamp, dropped: Int = 0) {
        self.events = events
        self.times = times
        self.handedOverAt = handedOverAt
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
