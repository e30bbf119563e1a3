import NIOConcurrencyHelpers

/// What the replay's keys change while it plays: the speed (`+`/`-`), pause (space) and single steps
/// (`]` to the next event batch, `[` back to the previous one, both pausing). Read by the player every tick.
public final class ReplayControls: Sendable {
    /// The speeds `+` and `-` step through.
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]
    /// Steps asked for and not yet taken (+1 forward, -1 back), oldest first; at most ``maximumPendingSteps``.
    private let state: NIOLockedValueBox<(speed: Double, paused: Bool, steps: [Int])>

    /// Steps kept waiting for the player (a held-down key asks for more than it can take; the rest are dropped).
    static let maximumPendingSteps = 64

    /// Controls starting at `speed` (clamped to 0.01-100), playing.
    public init(speed: Double) {
        state = NIOLockedValueBox((min(100, max(0.01, speed)), false, []))
    }

    /// The speed now.
    public var speed: Double { state.withLockedValue { $0.speed } }
    /// Whether the replay is paused.
    public var isPaused: Bool { state.withLockedValue { $0.paused } }

    /// The next faster speed; returns it.
    @discardableResult
    public func faster() -> Double {
        state.withLockedValue { state in
            state.speed = Self.speeds.first { $0 > state.speed } ?? state.speed
            return state.speed
        }
    }

    /// The next slower speed; returns it.
    @discardableResult
    public func slower() -> Double {
        state.withLockedValue { state in
            state.speed = Self.speeds.last { $0 < state.speed } ?? state.speed
            return state.speed
        }
    }

    /// Pauses or resumes; returns whether it is paused now.
    @discardableResult
    public func togglePause() -> Bool {
        state.withLockedValue { state in
            state.paused.toggle()
            return state.paused
        }
    }

    /// Asks for one step forward (pausing first, so the step is what changes the screen).
    public func step() {
        state.withLockedValue { state in
            state.paused = true
            if state.steps.count < Self.maximumPendingSteps { state.steps.append(1) }
        }
    }

    /// Asks for one step back, to the event batch before the last one played (pausing first).
    public func stepBack() {
        state.withLockedValue { state in
            state.paused = true
            if state.steps.count < Self.maximumPendingSteps { state.steps.append(-1) }
        }
    }

    /// The speed, pause and the step that is due, if any (consuming it: +1 forward, -1 back, 0 none),
    /// for the player. Steps asked for between two ticks are taken one per tick, in order.
    func take() -> (speed: Double, paused: Bool, step: Int) {
        state.withLockedValue { state in
            let step = state.steps.isEmpty ? 0 : state.steps.removeFirst()
            return (state.speed, state.paused, step)
        }
    }
}
