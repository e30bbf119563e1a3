import UDPRequest

/// The work behind one ``VirtualScheduler`` entry, and the handle that cancels it.
///
/// Cancelling drops the closure at once (releasing what it captured) and leaves the queue entry in
/// place; the scheduler skips it when it reaches the top, so cancellation is O(1).
final class VirtualTask: Cancellable {
    private var work: (() -> Void)?
    private let counters: QueueCounters

    init(work: @escaping () -> Void, counters: QueueCounters) {
        self.work = work
        self.counters = counters
    }

    /// Whether the task has neither run nor been cancelled.
    var isPending: Bool { work != nil }

    /// Takes the work out to run it; `nil` if it was cancelled.
    func take() -> (() -> Void)? {
        defer { work = nil }
        return work
    }

    func cancel() {
        guard work != nil else { return }
        work = nil
        counters.live -= 1
        counters.cancelledInQueue += 1
    }
}

/// Counts shared by a scheduler and its tasks, so a task can be cancelled without a reference back
/// to the scheduler.
final class QueueCounters {
    /// Entries that will still run.
    var live = 0
    /// Cancelled entries still sitting in the heap.
    var cancelledInQueue = 0
}

/// A binary min-heap of scheduled tasks keyed by (deadline, insertion sequence), so equal deadlines
/// pop in the order they were pushed.
struct ScheduledEventQueue {
    struct Entry {
        var deadline: Int64
        var sequence: UInt64
        var task: VirtualTask

        @inline(__always)
        func precedes(_ other: Entry) -> Bool {
            deadline != other.deadline ? deadline < other.deadline : sequence < other.sequence
        }
    }

    private var heap: [Entry] = []

    var count: Int { heap.count }
    var top: Entry? { heap.first }

    mutating func push(_ entry: Entry) {
        heap.append(entry)
        siftUp(heap.count - 1)
    }

    mutating func pop() -> Entry? {
        guard !heap.isEmpty else { return nil }
        if heap.count == 1 { return heap.removeLast() }
        let first = heap[0]
        heap[0] = heap.removeLast()
        siftDown(0)
        return first
    }

    /// Drops every entry whose task was cancelled (or already ran) and restores the heap in O(n).
    mutating func removeAll(where shouldRemove: (Entry) -> Bool) {
        heap.removeAll(where: shouldRemove)
        var index = heap.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        let count = heap.count
        while true {
            let left = 2 * parent + 1
            guard left < count else { return }
            let right = left + 1
            var best = left
            if right < count && heap[right].precedes(heap[left]) { best = right }
            guard heap[best].precedes(heap[parent]) else { return }
            heap.swapAt(best, parent)
            parent = best
        }
    }
}
