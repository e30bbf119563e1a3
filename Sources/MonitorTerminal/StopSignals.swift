import Foundation
import ProcessSignals

/// Turns SIGINT, SIGTERM and SIGHUP into a flag the UI loop polls, so those exits go through the
/// normal path that restores the terminal. (Crash signals are handled in C: see `shim.h`.)
final class StopSignals: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var subscription: SignalSubscription?

    /// Starts listening (the handlers are in place when it returns); the signals' default actions are
    /// replaced until ``cancel()``.
    init() {
        subscription = SignalSubscription.catching([SIGINT, SIGTERM, SIGHUP]) { [weak self] number in
            self?.note(number)
        }
    }

    private func note(_ number: Int32) {
        lock.lock()
        if received == nil { received = number }
        lock.unlock()
    }

    /// The first stop signal received, if any.
    var signal: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Stops listening and restores the default actions.
    func cancel() {
        subscription?.cancel()
        subscription = nil
    }
}
