import UDPRequest

/// One hand-over of a node's events (``HyperDHTHandle/eventBatches(every:limit:bufferedBatches:)``):
/// the events, oldest first, when each happened on the node's clock, and how many events were
/// dropped before them because the consumer fell behind – trimmed to a batch's limit, or whole
/// batches lost beyond the buffered ones – so a consumer can show what it never saw.
public struct EventBatch<Event: Sendable>: Sendable {
    /// The events, in the order they happened.
    public var events: [Event]
    /// When each event happened on the node's clock (its scheduler's `now`): `times[i]` is `events[i]`'s.
    public var times: [Timestamp]
    /// The node's clock when the batch was handed over: with the batch's arrival on another clock,
    /// it maps `times` onto that clock.
    public var handedOverAt: Timestamp
    /// Events dropped since the previous batch (before these).
    public var dropped: Int

    /// Creates a batch.
    public init(events: [Event], times: [Timestamp], handedOverAt: Timestamp, dropped: Int = 0) {
        self.events = events
        self.times = times
        self.handedOverAt = handedOverAt
        self.dropped = dropped
    }
}
