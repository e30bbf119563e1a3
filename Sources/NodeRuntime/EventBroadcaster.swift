import NIOCore

/// Fans one event source out to any number of `AsyncStream` subscribers. Confined to one loop.
///
/// A subscriber takes events one at a time, or in batches: a batch subscriber's events are held on
/// the loop and handed over at most once per interval, so a flood of events costs a few task
/// wake-ups a second instead of one per event (the monitor's case).
final class EventBroadcaster<Event: Sendable> {
    private let eventLoop: any EventLoop
    private var subscribers: [AsyncStream<Event>.Continuation] = []
    private var batchSubscribers: [BatchSubscriber] = []
    private var observers: [(id: Int, observe: (Event) -> Void)] = []
    private var nextObserverID = 0
    private var finished = false

    /// Creates a broadcaster confined to `eventLoop` (where batch hand-overs are scheduled).
    init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func subscribe(_ continuation: AsyncStream<Event>.Continuation) {
        if finished {
            continuation.finish()
            return
        }
        subscribers.append(continuation)
    }

    /// Adds a subscriber that gets the events of each `interval` as one array, keeping at most the
    /// newest `limit` events of an interval.
    func subscribeBatches(_ continuation: AsyncStream<[Event]>.Continuation, interval: TimeAmount, limit: Int) {
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
        for subscriber in batchSubscribers {
            subscriber.pending.append(event)
            if subscriber.pending.count >= 2 * subscriber.limit {
                subscriber.pending.removeFirst(subscriber.pending.count - subscriber.limit)
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
        guard !subscriber.pending.isEmpty else { return }
        let batch = subscriber.pending.suffix(subscriber.limit)
        subscriber.pending.removeAll(keepingCapacity: true)
        if case .terminated = subscriber.continuation.yield(Array(batch)) {
            batchSubscribers.removeAll { $0 === subscriber }
        }
    }

    func finish() {
        finished = true
        observers.removeAll()
        for subscriber in subscribers { subscriber.finish() }
        subscribers.removeAll()
        for subscriber in batchSubscribers {
            flush(subscriber)
            subscriber.continuation.finish()
        }
        batchSubscribers.removeAll()
    }

    /// A batch subscriber's state: the events waiting for the next hand-over.
    private final class BatchSubscriber {
        let continuation: AsyncStream<[Event]>.Continuation
        let interval: TimeAmount
        let limit: Int
        var pending: [Event] = []
        var flushScheduled = false

        init(continuation: AsyncStream<[Event]>.Continuation, interval: TimeAmount, limit: Int) {
            self.continuation = continuation
            self.interval = interval
            self.limit = limit
        }
    }
}
