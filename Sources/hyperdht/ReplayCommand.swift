import ArgumentParser
import ControlSocket
import Foundation
import Monitor
import MonitorTerminal

/// `hyperdht replay FILE`: a recording (`--record FILE`) played in the monitor, read-only.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a recording made with --record in the monitor (read-only).",
        discussion: """
            The panes fill as they did when it was recorded. Space pauses and resumes the replay, + and - \
            change its speed (0.25x-64x), ] steps to the next events and [ back to the previous ones (both pause); \
            the header shows REPLAY with the position, speed and pause. r masks addresses, q quits. \
            Commands that need a node (ping, lookup, ...) say the replay is read-only.
            """)

    @Argument(help: "The recording (FILE of --record FILE; FILE.1 holds the part before a rotation).") var file: String
    @Option(name: .long, help: "Play this many times faster than recorded (0.1-100).") var speed = 1.0
    @Option(name: .long, help: ArgumentHelp("Theme name or path to a theme file.", valueName: "name|path")) var theme: String?

    func validate() throws {
        guard (0.1...100).contains(speed) else { throw ValidationError("--speed must be 0.1-100, got \(speed)") }
    }

    func run() async throws {
        let entries: [RecordedEntry]
        do {
            entries = try RecordingReader.entries(at: file)
        } catch {
            throw NetworkFailure(description: "cannot read the recording \(file): \(error)")
        }
        let setup = try TerminalSetup.prepare(command: "replay", theme: theme)
        let (loader, startTheme, themeError, noColor) = (setup.loader, setup.theme, setup.themeError, setup.noColor)
        let inbox = MonitorInbox()
        let backend = ReplayMonitorBackend(entries: entries, speed: speed) { text, isError in
            inbox.post(message: text, isError: isError)
        }
        let session = MonitorSession(backend: backend, inbox: inbox)
        session.start()
        let controls = backend.controls
        // The UI loop on its own thread, as the monitor's (curses blocks while it waits for keys).
        let stopSignal = await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
            let thread = Thread {
                let terminal = CursesTerminal(noColor: noColor)
                var controller = MonitorController(theme: startTheme, themeLoader: loader)
                if let themeError { controller.show("using theme \(startTheme.name): \(themeError.shortDescription)", isError: true) }
                ReplayLoop.run(terminal: terminal, controller: &controller, session: session, controls: controls)
                let signal = terminal.stopSignal
                terminal.restore()
                continuation.resume(returning: signal)
            }
            thread.name = "replay-ui"
            thread.start()
        }
        session.stop()
        if let stopSignal { throw ExitCode(128 + stopSignal) }
    }
}
