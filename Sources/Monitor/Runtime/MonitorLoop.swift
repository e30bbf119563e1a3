/// The UI loop: read keys, apply them, and at most `framesPerSecond` times a second drain the inbox,
/// render and draw. Runs on one thread (the terminal's); returns when `q` is pressed or a signal asks
/// the monitor to stop.
public enum MonitorLoop {
    /// Runs until quit, on the inbox's clock.
    public static func run(terminal: some TerminalDevice, controller: inout MonitorController, session: MonitorSession,
                           framesPerSecond: Int = 10) {
        let inbox = session.inbox
        let clock = { inbox.now() }
        let frameInterval = Duration.milliseconds(1000 / max(1, framesPerSecond))
        var lastFrame: Duration?
        while !controller.shouldQuit && !terminal.stopRequested {
            let now = clock()
            let untilFrame = lastFrame.map { frameInterval - (now - $0) } ?? .zero
            if let key = terminal.readKey(timeout: max(.milliseconds(1), min(untilFrame, frameInterval))) {
                for request in controller.handle(key) { session.perform(request, mask: controller.view.masking) }
                if key == .resize { lastFrame = nil }
            }
            let time = clock()
            if let lastFrame, time - lastFrame < frameInterval { continue }
            controller.receive(session.inbox.drain(), now: time)
            controller.show(marker: session.backend.sourceMarker)
            let size = terminal.size
            let screen = controller.frame(width: size.width, height: size.height, now: time)
            terminal.draw(screen, theme: controller.theme)
            lastFrame = time
        }
    }
}
