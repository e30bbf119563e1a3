/// One hand-over of a node's events (``HyperDHTHandle/eventBatches(every:limit:bufferedBatches:)``):
/// the events, oldest first, and how many events were dropped before them because the consumer fell
/// behind – trimmed to a batch's limit, or whole batches lost beyond the buffered ones – so a
/// consumer can show what it never saw.
public struct EventBatch<Event: Sendable>: Sendable {
    /// The events, in the order they happened.
    public var events: [Event]
    /// Events dropped since the previous batch (before these).
    public var dropped: Int

    /// Creates a batch.
    public init(events: [Event], dropped: Int = 0) {
        self.events = events
        self.dropped = dropped
    }
}
