import NIOCore
import UDPRequest

/// Fans one event source out to any number of `AsyncStream` subscribers. Confined to one loop.
///
/// A subscriber takes events one at a time, or in batches: a batch subscriber's events are held on
/// the loop and handed over at most once per interval, so a flood of events costs a few task
/// wake-ups a second instead of one per event (the monitor's case). Whatever a batch subscriber
/// loses – events trimmed to its limit, batches its stream's buffer drops – is counted and handed
/// over with its next batch (``EventBatch/dropped``). Batched events carry the time they were
/// published on the node's clock (``EventBatch/times``).
final class EventBroadcaster<Event: Sendable> {
    private let eventLoop: any EventLoop
    private let clock: () -> Timestamp
    private var subscribers: [AsyncStream<Event>.Continuation] = []
    private var batchSubscribers: [BatchSubscriber] = []
    private var observers: [(id: Int, observe: (Event) -> Void)] = []
    private var nextObserverID = 0
    private var finished = false

    /// Creates a broadcaster confined to `eventLoop` (where batch hand-overs are scheduled) that
    /// stamps events with `clock` – the node's scheduler's `now`, so the stamps are the node's times.
    init(eventLoop: any EventLoop, clock: @escaping () -> Timestamp) {
        self.eventLoop = eventLoop
        self.clock = clock
    }

    func subscribe(_ continuation: AsyncStream<Event>.Continuation) {
        if finished {
            continuation.finish()
            return
        }
        subscribers.append(continuation)
    }

    /// Adds a subscriber that gets the events of each `interval` as one batch, keeping at most the
    /// newest `limit` events of an interval (the rest counted as dropped).
    func subscribeBatches(_ continuation: AsyncStream<EventBatch<Event>>.Continuation, interval: TimeAmount, limit: Int) {
        if finished {
            continuation.finish()
            return
        }
        batchSubscribers.append(BatchSubscriber(continuation: continuation, interval: interval, limit: max(1, limit)))
    }

    /// Adds a closure that sees every event synchronously, on the loop, before any stream does
    /// (for probes that run on the loop beside the node). Returns the id ``removeObserver(_:)`` takes.
    func addObserver(_ observe: @escaping (Event) -> Void) -> Int {
        nextObserverID += 1
        observers.append((nextObserverID, observe))
        return nextObserverID
    }

    /// Stops calling the observer `id`.
    func removeObserver(_ id: Int) {
        observers.removeAll { $0.id == id }
    }

    func publish(_ event: Event) {
        for observer in observers { observer.observe(event) }
        if !subscribers.isEmpty {
            var terminated: [Int] = []
            for (index, subscriber) in subscribers.enumerated() {
                if case .terminated = subscriber.yield(event) { terminated.append(index) }
            }
            for index in terminated.reversed() { subscribers.remove(at: index) }
        }
        guard !batchSubscribers.isEmpty else { return }
        let time = clock()
        for subscriber in batchSubscribers {
            subscriber.pending.append(event)
            subscriber.pendingTimes.append(time)
            if subscriber.pending.count >= 2 * subscriber.limit {
                let excess = subscriber.pending.count - subscriber.limit
                subscriber.pending.removeFirst(excess)
                subscriber.pendingTimes.removeFirst(excess)
                subscriber.dropped += excess
            }
            if !subscriber.flushScheduled {
                subscriber.flushScheduled = true
                eventLoop.assumeIsolated().scheduleTask(in: subscriber.interval) { [weak self, weak subscriber] in
                    guard let self, let subscriber else { return }
                    self.flush(subscriber)
                }
            }
        }
    }

    private func flush(_ subscriber: BatchSubscriber) {
        subscriber.flushScheduled = false
        guard !subscriber.pending.isEmpty || subscriber.dropped > 0 else { return }
        let kept = subscriber.pending.suffix(subscriber.limit)
        let batch = EventBatch(events: Array(kept), times: Array(subscriber.pendingTimes.suffix(subscriber.limit)),
                               handedOverAt: clock(), dropped: subscriber.dropped + subscriber.pending.count - kept.count)
        subscriber.pending.removeAll(keepingCapacity: true)
        subscriber.pendingTimes.removeAll(keepingCapacity: true)
        subscriber.dropped = 0
        switch subscriber.continuation.yield(batch) {
        case .terminated:
            subscriber.isTerminated = true
            batchSubscribers.removeAll { $0 === subscriber }
        case .dropped(let lost):  // the stream's buffer was full and lost its oldest batch: count it
            subscriber.dropped += lost.events.count + lost.dropped
        case .enqueued:
            break
        @unknown default:
            break
        }
    }

    func finish() {
        finished = true
        observers.removeAll()
        for subscriber in subscribers { subscriber.finish() }
        subscribers.removeAll()
        for subscriber in batchSubscribers { finishBatches(subscriber, attemptsLeft: Self.finishAttempts) }
        batchSubscribers.removeAll()
    }

    /// How many intervals the last hand-over waits for room in a full buffer.
    static var finishAttempts: Int { 50 }

    /// Hands over what is pending and ends the stream – once the count of every batch a full buffer
    /// pushed out has been handed over too (retried every interval while the consumer catches up, at
    /// most `attemptsLeft` times; a consumer that stopped reading loses only that count).
    private func finishBatches(_ subscriber: BatchSubscriber, attemptsLeft: Int) {
        flush(subscriber)
        guard subscriber.dropped > 0, !subscriber.isTerminated, attemptsLeft > 0 else {
            subscriber.continuation.finish()
            return
        }
        eventLoop.assumeIsolated().scheduleTask(in: subscriber.interval) { [self] in
            finishBatches(subscriber, attemptsLeft: attemptsLeft - 1)
        }
    }

    /// A batch subscriber's state: the events waiting for the next hand-over.
    private final class BatchSubscriber {
        let continuation: AsyncStream<EventBatch<Event>>.Continuation
        let interval: TimeAmount
        let limit: Int
        var pending: [Event] = []
        /// When each pending event was published.
        var pendingTimes: [Timestamp] = []
        /// Events lost since the last hand-over.
        var dropped = 0
        /// Whether the consumer went away.
        var isTerminated = false
        var flushScheduled = false

        init(continuation: AsyncStream<EventBatch<Event>>.Continuation, interval: TimeAmount, limit: Int) {
            self.continuation = continuation
            self.interval = interval
            self.limit = limit
        }
    }
}
