import NIOConcurrencyHelpers

/// What the replay's keys change while it plays: the speed (`+`/`-`), pause (space) and single steps
/// (`]`, to the next event batch while paused). Read by the player every tick.
public final class ReplayControls: Sendable {
    /// The speeds `+` and `-` step through.
    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]
    private let state: NIOLockedValueBox<(speed: Double, paused: Bool, steps: Int)>

    /// Controls starting at `speed` (clamped to 0.01-100), playing.
    public init(speed: Double) {
        state = NIOLockedValueBox((min(100, max(0.01, speed)), false, 0))
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

    /// Asks for one step (pausing first, so the step is what changes the screen).
    public func step() {
        state.withLockedValue { state in
            state.paused = true
            state.steps += 1
        }
    }

    /// The speed, pause and whether a step is due (consuming it), for the player.
    func take() -> (speed: Double, paused: Bool, step: Bool) {
        state.withLockedValue { state in
            let step = state.steps > 0
            if step { state.steps -= 1 }
            return (state.speed, state.paused, step)
        }
    }
}
