/// Fans one event source out to any number of `AsyncStream` subscribers. Confined to one loop.
final class EventBroadcaster<Event: Sendable> {
    private var subscribers: [AsyncStream<Event>.Continuation] = []
    private var finished = false

    func subscribe(_ continuation: AsyncStream<Event>.Continuation) {
        if finished {
            continuation.finish()
            return
        }
        subscribers.append(continuation)
    }

    func publish(_ event: Event) {
        guard !subscribers.isEmpty else { return }
        var terminated: [Int] = []
        for (index, subscriber) in subscribers.enumerated() {
            if case .terminated = subscriber.yield(event) { terminated.append(index) }
        }
        for index in terminated.reversed() { subscribers.remove(at: index) }
    }

    func finish() {
        finished = true
        for subscriber in subscribers { subscriber.finish() }
        subscribers.removeAll()
    }
}
