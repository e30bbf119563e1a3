import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The monitor in a shell, as a person runs it: Ctrl-Z gives the shell back with its terminal as it
/// was, `fg` brings the monitor back drawn in full, and it can be suspended again. A terminal that
/// cannot move the cursor is refused before curses touches it.
@Suite(.timeLimit(.minutes(5)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxJobControlTests {
    /// What a whole monitor frame shows: the pane titles, the ready status and the key hints; and no
    /// escape sequence spilled as text (`38;5;` from a colour half-written while the shell had the tty).
    static func isWholeMonitor(_ screen: String) -> Bool {
        screen.contains("1 K-buckets") && screen.contains("● ready") && screen.contains("? help")
            && !screen.contains("38;5") && !screen.contains("[?") && !screen.contains("shell>")
    }

    /// The last line with text on it, blanks trimmed (the shell's prompt when it waits for a command).
    static func lastLine(_ screen: String) -> String {
        let line = screen.split(separator: "\n").last { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        return line.trimmingCharacters(in: .whitespaces)
    }

    @Test func ctrlZAndFgSuspendAndRestoreTheMonitorRepeatedly() async throws {
        let session = try TmuxSession(width: 100, height: 30, shellEnvironment: [:])
        defer { session.kill() }
        try await session.waitFor("the shell", timeout: .seconds(60)) { $0.contains("shell>") }
        session.runInShell(["monitor", "--swarm-size", "4"])
        try await session.waitFor("the monitor", timeout: .seconds(90)) { Self.isWholeMonitor($0) }
        for round in 1...3 {
            session.send("C-z")
            try await session.waitFor("the shell after Ctrl-Z (\(round))", timeout: .seconds(60)) { screen in
                screen.contains("Stopped") && Self.lastLine(screen) == "shell>"
            }
            #expect(session.display("#{alternate_on}") == "0", "the shell's screen is back (round \(round))")
            let shellScreen = session.capture()
            #expect(!shellScreen.contains("1 K-buckets"), "no monitor text on the shell's screen: \(shellScreen)")
            session.type("fg")
            session.send("Enter")
            try await session.waitFor("the monitor after fg (\(round))", timeout: .seconds(60)) { Self.isWholeMonitor($0) }
            // Drawn in full and still live: a second look a little later is whole too.
            try await Task.sleep(for: .milliseconds(600))
            let screen = session.capture()
            #expect(Self.isWholeMonitor(screen), "round \(round): \(screen)")
            #expect(session.display("#{alternate_on}") == "1")
        }
        session.send("q")
        try await session.waitFor("the shell after q", timeout: .seconds(90)) { Self.lastLine($0) == "shell>" }
        session.type("echo status=$?")
        session.send("Enter")
        try await session.waitFor("the monitor's exit status", timeout: .seconds(60)) { $0.contains("status=0") }
        session.type("exit")
        session.send("Enter")
    }

    @Test func aDumbTerminalIsRefusedLikeAnUnknownOne() async throws {
        for term in ["dumb", "no-such-terminal-type"] {
            let session = try TmuxSession(width: 100, height: 30, arguments: ["monitor"], environment: ["TERM": term])
            defer { session.kill() }
            try await session.waitFor("exit with TERM=\(term)", timeout: .seconds(90)) { _ in session.paneIsDead && session.exitStatus != nil }
            #expect(session.exitStatus == 2)
            let bytes = try session.typescript()
            #expect(bytes.contains("TERM=\(term)"), "\(bytes)")
            #expect(bytes.contains("the monitor needs a full-screen terminal, e.g. TERM=xterm-256color"), "\(bytes)")
            #expect(!bytes.contains("\u{1B}[?1049h"))
        }
    }
}
