import ControlSocket
import Monitor

/// The monitor's UI loop (as ``MonitorLoop``) for a replay: space, `+`/`-`, `]` and `[` drive the player
/// (``ReplayControls``) instead of the display – outside prompts; every other key goes to the monitor.
enum ReplayLoop {
    /// Runs until quit.
    static func run(terminal: some TerminalDevice, controller: inout MonitorController, session: MonitorSession,
                    controls: ReplayControls, framesPerSecond: Int = 10) {
        let inbox = session.inbox
        let frameInterval = Duration.milliseconds(1000 / max(1, framesPerSecond))
        var lastFrame: Duration?
        while !controller.shouldQuit && !terminal.stopRequested {
            let now = inbox.now()
            let untilFrame = lastFrame.map { frameInterval - (now - $0) } ?? .zero
            if let key = terminal.readKey(timeout: max(.milliseconds(1), min(untilFrame, frameInterval))) {
                if controller.view.prompt == nil, let notice = handle(key, controls) {
                    controller.show(notice)
                } else {
                    for request in controller.handle(key) { session.perform(request, mask: controller.view.masking) }
                }
                if key == .resize { lastFrame = nil }
            }
            let time = inbox.now()
            if let lastFrame, time - lastFrame < frameInterval { continue }
            controller.receive(inbox.drain(), now: time)
            controller.show(marker: session.backend.sourceMarker)
            let size = terminal.size
            terminal.draw(controller.frame(width: size.width, height: size.height, now: time), theme: controller.theme)
            lastFrame = time
        }
    }

    /// The notice for a replay key, `nil` for any other key.
    static func handle(_ key: KeyInput, _ controls: ReplayControls) -> String? {
        switch key {
        case .character(" "):
            return controls.togglePause() ? "replay paused – space resumes, ] steps to the next events, [ back" : "replay playing at \(speed(controls.speed))"
        case .character("+"), .character("="):
            return "replay speed \(speed(controls.faster()))"
        case .character("-"):
            return "replay speed \(speed(controls.slower()))"
        case .character("]"):
            controls.step()
            return "replay paused – stepped to the next events"
        case .character("["):
            controls.stepBack()
            return "replay paused – stepped back to the previous events"
        default:
            return nil
        }
    }

    static func speed(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))x" : "\(value)x"
    }
}
