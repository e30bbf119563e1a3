import Dispatch
import Foundation
import NIOConcurrencyHelpers
import ProcessSignals

/// How a command ends when its environment goes away, instead of dying mid-write:
/// - SIGINT / SIGTERM: the registered cleanups run (close the node, withdraw a kept announcement),
///   then the process exits with the conventional status 130 / 143. A second signal exits at once.
/// - stdout closed by its reader (`| head -1`, EPIPE): the same, with status 141 – what a SIGPIPE
///   death reports to the shell, minus the death (SIGPIPE is ignored so writes fail instead).
/// Cleanups run newest first and get at most ``cleanupDeadline`` together. The monitor keeps its own handling (its UI loop
/// must restore the terminal first) and does not use this.
enum ProcessShutdown {
    /// Why the process is stopping.
    enum Reason: Equatable {
        case signal(Int32)
        case outputClosed

        /// The exit status: 128 + the signal's number.
        var status: Int32 {
            switch self {
            case .signal(let number): 128 + number
            case .outputClosed: 128 + SIGPIPE
            }
        }
    }

    /// The longest the cleanups may take before the process exits anyway.
    static let cleanupDeadline: Duration = .seconds(3)

    private struct State: Sendable {
        var installed = false
        var stopping = false
        var nextID = 0
        var cleanups: [Int: @Sendable () async -> Void] = [:]
        var farewell: (@Sendable (Reason) -> Void)?
        var exiting = false
    }

    private static let state = NIOLockedValueBox(State())

    /// Ignores SIGPIPE and turns SIGINT and SIGTERM into an orderly ``begin(_:)``. Idempotent; the
    /// handlers are in place when it returns, so a signal right after the first output line is caught.
    static func install() {
        state.withLockedValue { state in
            guard !state.installed else { return }
            state.installed = true
            signal(SIGPIPE, SIG_IGN)
            // For the process's life, never cancelled. Nil only without a free file descriptor: the
            // signals then keep their default action.
            _ = SignalSubscription.catching([SIGINT, SIGTERM]) { begin(.signal($0)) }
        }
    }

    /// Registers work to run before the process exits on a signal or a closed stdout; returns a token
    /// for ``unregister(_:)`` (once the work is done by normal means).
    @discardableResult
    static func onShutdown(_ cleanup: @escaping @Sendable () async -> Void) -> Int {
        state.withLockedValue { state in
            state.nextID += 1
            state.cleanups[state.nextID] = cleanup
            return state.nextID
        }
    }

    /// Sets what runs last, after the cleanups and just before the exit (the `--json` commands' last
    /// line, ``JSONCommandEnding``).
    static func setFarewell(_ farewell: @escaping @Sendable (Reason) -> Void) {
        state.withLockedValue { $0.farewell = farewell }
    }

    /// Forgets a cleanup registered with ``onShutdown(_:)``.
    static func unregister(_ token: Int) {
        _ = state.withLockedValue { $0.cleanups.removeValue(forKey: token) }
    }

    /// Starts stopping the process for `reason`: runs the cleanups (bounded), then exits. A signal
    /// while stopping exits at once with its status; more failed writes change nothing.
    static func begin(_ reason: Reason) {
        let (alreadyStopping, cleanups, farewell) = state.withLockedValue {
            state -> (Bool, [@Sendable () async -> Void], (@Sendable (Reason) -> Void)?) in
            defer { state.stopping = true }
            return (state.stopping, state.cleanups.sorted { $0.key > $1.key }.map(\.value), state.farewell)
        }
        if alreadyStopping {
            if case .signal = reason { exitOnce(reason, farewell: nil) }
            return
        }
        // The deadline does not depend on the cleanups' cooperation: a cleanup that never returns (or
        // a starved task pool) still ends in an exit after `cleanupDeadline`.
        let deadline = DispatchTime.now() + .milliseconds(Int(cleanupDeadline / .milliseconds(1)))
        DispatchQueue.global().asyncAfter(deadline: deadline) { exitOnce(reason, farewell: farewell) }
        Task.detached {
            // Newest first, one after another: a withdrawal registered after its node's close must
            // run while the node is still open.
            for cleanup in cleanups { await cleanup() }
            exitOnce(reason, farewell: farewell)
        }
    }

    /// Says farewell and exits, once: whichever of the cleanups' end, the deadline and a second
    /// signal comes first.
    private static func exitOnce(_ reason: Reason, farewell: (@Sendable (Reason) -> Void)?) {
        let first = state.withLockedValue { state in
            defer { state.exiting = true }
            return !state.exiting
        }
        guard first else { return }
        farewell?(reason)
        exit(reason.status)
    }

    /// If the process is stopping, waits for ``begin(_:)`` to exit it; otherwise returns at once.
    static func finishIfStopping() async {
        guard state.withLockedValue({ $0.stopping }) else { return }
        await waitUntilStopped()
    }

    /// Suspends until the process stops (it exits from ``begin(_:)``): the end of a long-running command.
    static func waitUntilStopped() async -> Never {
        while true { try? await Task.sleep(for: .seconds(3600)) }
    }
}
