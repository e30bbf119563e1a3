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
///
/// The heap holds plain keys (no references) and the tasks sit in a slot array beside it, so
/// sifting moves 24-byte values with no reference counting: the simulation's hottest loop.
struct ScheduledEventQueue {
    private struct Key {
        var deadline: Int64
        var sequence: UInt64
        var slot: Int

        @inline(__always)
        func precedes(_ other: Key) -> Bool {
            deadline != other.deadline ? deadline < other.deadline : sequence < other.sequence
        }
    }

    private var heap: [Key] = []
    private var tasks: [VirtualTask?] = []
    private var freeSlots: [Int] = []

    var count: Int { heap.count }

    /// The earliest entry's deadline (nanoseconds) and task.
    var top: (deadline: Int64, task: VirtualTask)? {
        guard let first = heap.first, let task = tasks[first.slot] else { return nil }
        return (first.deadline, task)
    }

    mutating func push(deadline: Int64, sequence: UInt64, task: VirtualTask) {
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
            tasks[slot] = task
        } else {
            slot = tasks.count
            tasks.append(task)
        }
        heap.append(Key(deadline: deadline, sequence: sequence, slot: slot))
        siftUp(heap.count - 1)
    }

    /// Removes the earliest entry.
    mutating func removeTop() {
        guard let first = heap.first else { return }
        tasks[first.slot] = nil
        freeSlots.append(first.slot)
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            siftDown(0)
        }
    }

    /// Drops every entry whose task is no longer pending and restores the heap in O(n).
    mutating func removeFinished() {
        heap.removeAll { key in
            guard let task = tasks[key.slot], task.isPending else {
                tasks[key.slot] = nil
                freeSlots.append(key.slot)
                return true
            }
            return false
        }
        var index = heap.count / 2
        while index > 0 {
            index -= 1
            siftDown(index)
        }
    }

    private mutating func siftUp(_ start: Int) {
        heap.withUnsafeMutableBufferPointer { heap in
            let moving = heap[start]
            var hole = start
            while hole > 0 {
                let parent = (hole - 1) / 2
                guard moving.precedes(heap[parent]) else { break }
                heap[hole] = heap[parent]
                hole = parent
            }
            heap[hole] = moving
        }
    }

    private mutating func siftDown(_ start: Int) {
        heap.withUnsafeMutableBufferPointer { heap in
            let count = heap.count
            let moving = heap[start]
            var hole = start
            while true {
                var child = 2 * hole + 1
                guard child < count else { break }
                if child + 1 < count && heap[child + 1].precedes(heap[child]) { child += 1 }
                guard heap[child].precedes(moving) else { break }
                heap[hole] = heap[child]
                hole = child
            }
            heap[hole] = moving
        }
    }
}
