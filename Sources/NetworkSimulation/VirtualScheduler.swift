import UDPRequest

/// A ``Scheduler`` on virtual time: the clock starts at zero and moves only when a test or a
/// simulation driver runs it, so every run with the same inputs is the same.
///
/// Follows NIO's `EmbeddedEventLoop`: scheduled work sits in a priority queue keyed by
/// (deadline, insertion order), so work with equal deadlines runs in the order it was scheduled.
/// Cancellation is O(1). There is no wall clock anywhere. Confine an instance to one thread.
public final class VirtualScheduler: Scheduler {
    /// The current virtual time. Moves forward only inside the `run` and `advance` methods.
    public private(set) var now: Timestamp = .zero

    private var queue = ScheduledEventQueue()
    private let counters = QueueCounters()
    private var nextSequence: UInt64 = 0
    private var isRunning = false

    /// Creates a scheduler whose clock reads zero.
    public init() {}

    /// The number of scheduled pieces of work that have neither run nor been cancelled.
    public var pendingCount: Int { counters.live }

    /// The deadline of the next work that will run, or `nil` if nothing is pending.
    public var nextDeadline: Timestamp? {
        discardCancelledTop()
        return queue.top.map { Timestamp(nanoseconds: $0.deadline) }
    }

    /// Schedules `work` at `deadline`. A deadline in the past counts as `now`: the work runs after
    /// everything already due, never synchronously inside this call.
    @discardableResult
    public func schedule(at deadline: Timestamp, _ work: @escaping () -> Void) -> any Cancellable {
        let task = VirtualTask(work: work, counters: counters)
        queue.push(deadline: max(deadline, now).nanoseconds, sequence: nextSequence, task: task)
        nextSequence &+= 1
        counters.live += 1
        return task
    }

    /// Runs, in order, all work due at or before `deadline` (including work that this work schedules
    /// within the window), then leaves the clock at `deadline` (or where it was, if later).
    /// Returns the number of pieces of work that ran.
    @discardableResult
    public func run(until deadline: Timestamp) -> Int {
        var ran = 0
        runLoop { entryDeadline in
            guard entryDeadline <= deadline.nanoseconds else { return false }
            ran += 1
            return true
        }
        if deadline > now { now = deadline }
        return ran
    }

    /// Runs all work due within `duration` from now; see ``run(until:)``.
    @discardableResult
    public func run(for duration: Duration) -> Int {
        run(until: now + duration)
    }

    /// The same as ``run(until:)``, named after NIO's `EmbeddedEventLoop.advanceTime(to:)`.
    @discardableResult
    public func advance(to deadline: Timestamp) -> Int {
        run(until: deadline)
    }

    /// The same as ``run(for:)``, named after NIO's `EmbeddedEventLoop.advanceTime(by:)`.
    @discardableResult
    public func advance(by duration: Duration) -> Int {
        run(until: now + duration)
    }

    /// Runs work in deadline order, moving the clock to each deadline, until nothing is pending or
    /// `maxEvents` pieces of work have run. Returns `true` if the scheduler went idle, `false` if it
    /// stopped at the limit (a simulation that never quiesces, such as one with periodic timers).
    @discardableResult
    public func runUntilIdle(maxEvents: Int = 10_000_000) -> Bool {
        var ran = 0
        runLoop { _ in
            guard ran < maxEvents else { return false }
            ran += 1
            return true
        }
        return counters.live == 0
    }

    /// Runs the single next piece of work, moving the clock to its deadline. Returns `false` if
    /// nothing was pending.
    @discardableResult
    public func step() -> Bool {
        var ran = false
        runLoop { _ in
            guard !ran else { return false }
            ran = true
            return true
        }
        return ran
    }

    /// Pops and runs live entries while `admit` accepts the next one.
    private func runLoop(_ admit: (_ deadline: Int64) -> Bool) {
        precondition(!isRunning, "VirtualScheduler must not be run from inside its own scheduled work")
        isRunning = true
        defer { isRunning = false }
        while true {
            discardCancelledTop()
            guard let top = queue.top, admit(top.deadline) else { return }
            queue.removeTop()
            guard let work = top.task.take() else { continue }
            counters.live -= 1
            if top.deadline > now.nanoseconds { now = Timestamp(nanoseconds: top.deadline) }
            work()
        }
    }

    /// Pops cancelled entries off the top and compacts the heap when cancelled entries dominate it.
    private func discardCancelledTop() {
        if counters.cancelledInQueue > 4096 && counters.cancelledInQueue > counters.live {
            queue.removeFinished()
            counters.cancelledInQueue = 0
        }
        while let top = queue.top, !top.task.isPending {
            queue.removeTop()
            counters.cancelledInQueue -= 1
        }
    }
}
