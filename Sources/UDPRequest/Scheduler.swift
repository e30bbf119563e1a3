/// A handle to a scheduled piece of work; cancelling it guarantees the work will not run.
public protocol Cancellable: AnyObject {
    /// Stops the work from running. Calling it after the work ran, or twice, does nothing.
    func cancel()
}

/// The clock and timer service a protocol object is given, instead of reading time or sleeping.
///
/// All callbacks scheduled here, and every datagram a ``DatagramTransport`` delivers, run on the
/// scheduler's single execution context (an event loop, or a simulation's run loop), one at a time.
/// Protocol objects rely on that and take no locks.
public protocol Scheduler: AnyObject {
    /// The current time on this scheduler's clock.
    var now: Timestamp { get }

    /// Runs `work` at `deadline` (or as soon as possible if it has passed), on this scheduler's
    /// context. Work with equal deadlines runs in the order it was scheduled.
    @discardableResult
    func schedule(at deadline: Timestamp, _ work: @escaping () -> Void) -> any Cancellable
}

extension Scheduler {
    /// Runs `work` after `delay`.
    @discardableResult
    public func schedule(after delay: Duration, _ work: @escaping () -> Void) -> any Cancellable {
        schedule(at: now + delay, work)
    }
}
