import NIOCore
import UDPRequest

/// A ``Scheduler`` backed by one NIO `EventLoop`: real monotonic time, timers run on the loop.
///
/// `now` counts from the scheduler's creation (NIO's monotonic `NIODeadline`, never the wall
/// clock). Work scheduled here runs on the loop, one piece at a time, in deadline order, with equal
/// deadlines in the order they were scheduled (NIO orders its timer heap by deadline, then by a
/// per-loop sequence number). Like the protocol objects that use it, an instance is confined to its
/// loop: create it anywhere, but schedule only on the loop (checked in debug builds).
public final class EventLoopScheduler: Scheduler {
    /// The loop this scheduler's work runs on.
    public let eventLoop: any EventLoop
    private let origin: NIODeadline

    /// Creates a scheduler for `eventLoop` whose clock reads zero now.
    public init(eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
        self.origin = .now()
    }

    /// Monotonic time since this scheduler was created.
    public var now: Timestamp {
        Timestamp(nanoseconds: (NIODeadline.now() - origin).nanoseconds)
    }

    /// Schedules `work` on the loop at `deadline` (as soon as possible if it has passed). Must be
    /// called on the loop; the work never runs inside this call.
    @discardableResult
    public func schedule(at deadline: Timestamp, _ work: @escaping () -> Void) -> any Cancellable {
        // The isolated API accepts a non-Sendable closure; it asserts we are on the loop (debug).
        let scheduled = eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(
            deadline: origin + .nanoseconds(deadline.nanoseconds)
        ) {
            work()
        }
        return ScheduledTaskHandle(scheduled)
    }
}

/// Cancels one NIO scheduled task.
final class ScheduledTaskHandle: Cancellable {
    private let scheduled: Scheduled<Void>

    init(_ scheduled: Scheduled<Void>) { self.scheduled = scheduled }

    func cancel() { scheduled.cancel() }
}
