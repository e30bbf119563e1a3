import Foundation

/// Where the node's side hands things to the UI: events (bounded – a flood drops the oldest and
/// counts them, together with what the backend reports it dropped), the latest status and store, and command results. Thread-safe; the UI drains it
/// once per frame, so the node never waits for the UI and the UI never falls behind.
public final class MonitorInbox: @unchecked Sendable {
    /// Everything waiting for the next frame.
    public struct Batch: Sendable {
        /// Events in arrival order, each with its arrival time on the monitor's clock.
        public var events: [TimedEvent] = []
        /// Events dropped since the last drain: because the inbox was full, or upstream (the
        /// backend's batches said so).
        public var dropped = 0
        /// The latest status, if a new one arrived.
        public var status: NodeStatus?
        /// The latest store state, if one arrived (`.some(nil)`: no store attached).
        public var store: StoreSnapshot??
        /// Command results for the message line, oldest first.
        public var messages: [(text: String, isError: Bool)] = []
        /// Whether the events replace the model's histories (``MonitorEventBatch/resetsHistory``).
        public var resetsHistory = false

        /// An empty batch.
        public init() {}
    }

    private let lock = NSLock()
    private var events: RingBuffer<TimedEvent>
    private let origin = ContinuousClock.now
    private var droppedAtLastDrain = 0
    private var droppedUpstream = 0
    private var clockMapping = NodeClockMapping()
    private var status: NodeStatus?
    private var store: StoreSnapshot??
    private var messages: [(text: String, isError: Bool)] = []
    private var resetsHistory = false

    /// Creates an inbox holding at most `eventCapacity` undrained events.
    public init(eventCapacity: Int = 50_000) {
        events = RingBuffer(capacity: eventCapacity)
    }

    /// The monitor's clock: time since the inbox was created. The UI loop uses it too, so event
    /// times and frame times agree.
    public func now() -> Duration { ContinuousClock.now - origin }

    /// Adds an event, stamped with its arrival time.
    public func post(_ event: MonitorEvent) {
        post([event])
    }

    /// Adds events in order, all stamped with the same arrival time (one lock for the batch).
    public func post(_ batch: [MonitorEvent]) {
        guard !batch.isEmpty else { return }
        let time = now()
        lock.lock()
        for event in batch { events.append(TimedEvent(at: time, event: event)) }
        lock.unlock()
    }

    /// Adds a backend's batch: its events in order – stamped with the times they happened on the
    /// node's clock mapped onto the monitor's (once per batch, ``NodeClockMapping``), or with their
    /// arrival when the batch has no times – and the count of what was dropped before them.
    public func post(_ batch: MonitorEventBatch) {
        let arrival = now()
        lock.lock()
        defer { lock.unlock() }
        droppedUpstream += batch.dropped
        if batch.resetsHistory == true {  // the events waiting are replaced too
            events.removeAll()
            resetsHistory = true
        }
        guard !batch.events.isEmpty else { return }
        if let times = batch.times, let handedOverAt = batch.handedOverAt, times.count == batch.events.count {
            let mapped = clockMapping.map(times, handedOverAt: handedOverAt, arrival: arrival)
            for (event, time) in zip(batch.events, mapped) { events.append(TimedEvent(at: time, event: event)) }
        } else {
            for event in batch.events { events.append(TimedEvent(at: arrival, event: event)) }
        }
    }

    /// Replaces the pending status.
    public func post(status: NodeStatus) {
        lock.lock()
        self.status = status
        lock.unlock()
    }

    /// Replaces the pending store state.
    public func post(store: StoreSnapshot?) {
        lock.lock()
        self.store = .some(store)
        lock.unlock()
    }

    /// Adds a message.
    public func post(message text: String, isError: Bool) {
        lock.lock()
        messages.append((text, isError))
        if messages.count > 16 { messages.removeFirst(messages.count - 16) }
        lock.unlock()
    }

    /// Takes everything pending.
    public func drain() -> Batch {
        lock.lock()
        defer { lock.unlock() }
        var batch = Batch()
        batch.events = Array(events)
        batch.dropped = events.dropped - droppedAtLastDrain + droppedUpstream
        droppedAtLastDrain = events.dropped
        droppedUpstream = 0
        events.removeAll()
        batch.status = status
        batch.store = store
        batch.messages = messages
        batch.resetsHistory = resetsHistory
        resetsHistory = false
        status = nil
        store = nil
        messages = []
        return batch
    }
}

/// An event and when it happened, on the monitor's clock.
public struct TimedEvent: Sendable, Equatable {
    /// When it happened (mapped from the node's clock), or else when it arrived, on the monitor's clock.
    public var at: Duration
    /// The event.
    public var event: MonitorEvent

    /// Creates a timed event.
    public init(at: Duration, event: MonitorEvent) {
        self.at = at
        self.event = event
    }
}
