import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Drives the built `hyperdht` binary in tmux against its embedded swarm, as a person would.
@Suite(.timeLimit(.minutes(3)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxMonitorTests {
    @Test func monitorFillsRespondsToKeysResizesAndRestoresTheTerminal() async throws {
        let session = try TmuxSession(width: 100, height: 30, arguments: ["monitor"])
        defer { session.kill() }

        // The tree fills after bootstrap.
        try await session.waitFor("a bucket with contacts", timeout: .seconds(90)) { $0.range(of: #" [1-9][0-9]*/20 "#, options: .regularExpression) != nil }
        #expect(session.capture().contains("│ 2 In-flight │"))

        // ? shows the help; Esc closes it.
        session.send("?")
        try await session.waitFor("help overlay") { $0.contains("Keys – ? or Esc closes") && $0.contains("quit") }
        session.send("Escape")
        try await session.waitFor("help closed") { !$0.contains("Keys – ? or Esc closes") }

        // Enter expands a bucket; its contacts give swarm addresses.
        let unique = try await session.expandBucket(withAtLeast: 2)

        // p + a swarm address shows an RTT.
        session.submit("p", unique[0])
        try await session.waitFor("ping RTT") { $0.contains("ping \(unique[0]): RTT") }

        // h punches through another swarm node and shows the answer.
        session.send("h")
        session.type(unique[0])
        session.send("Tab")
        session.type(unique[1])
        session.send("Enter")
        try await session.waitFor("punch answered") { $0.contains("punch \(unique[0]) via \(unique[1]): answered from") }

        // l + a topic the swarm announces shows the announcing nodes' addresses.
        session.submit("l", "hyperdht-demo")
        try await session.waitFor("lookup result", timeout: .seconds(90)) {
            $0.range(of: #"lookup topic "hyperdht-demo": [1-9][0-9]* peers? – 127\.0\.0\.1:[0-9]+"#, options: .regularExpression) != nil
        }

        // A bad host:port shows its message and keeps the text.
        session.submit("p", "nonsense:99999")
        try await session.waitFor("validation message") {
            $0.contains("✗ invalid port in \"nonsense:99999\" (expected 1-65535)") && $0.contains("host:port nonsense:99999")
        }
        session.send("Escape")

        // A resize re-lays out: the large grid shows every pane at once, and back.
        session.resize(width: 160, height: 48)
        try await session.waitFor("grid layout") { screen in
            ["┌ 1 K-buckets", "┌ 2 In-flight", "┌ 3 Queries", "┌ 4 Hole punch", "┌ 5 NAT", "┌ 6 Store"].allSatisfy(screen.contains)
                && !screen.contains("│ 2 In-flight │")
        }
        session.resize(width: 80, height: 24)
        try await session.waitFor("compact layout") { $0.contains("│ 2 In-flight │") }

        // q leaves the terminal clean: normal screen back, cursor visible, exit status 0.
        #expect(try await session.quit() == 0)
        #expect(session.display("#{alternate_on}") == "0")
        let bytes = try session.typescript()
        let entered = try #require(bytes.range(of: "\u{1B}[?1049h", options: .backwards))
        let tail = bytes[entered.upperBound...]
        #expect(tail.contains("\u{1B}[?1049l"), "alternate screen not left")
        #expect(tail.contains("\u{1B}[?25h"), "cursor not shown again")
    }

    @Test(arguments: [("C-c", 128 + 2), ("SIGTERM", 128 + 15), ("SIGSEGV", 128 + 11)])
    func signalsRestoreTheTerminal(signal: String, status: Int) async throws {
        let session = try TmuxSession(width: 80, height: 24, arguments: ["monitor", "--swarm-size", "4"])
        defer { session.kill() }
        try await session.waitFor("the monitor", timeout: .seconds(90)) { $0.contains("1 K-buckets") && $0.contains("● ready") }
        switch signal {
        case "C-c": session.send("C-c")
        case "SIGTERM": try session.signalMonitor(SIGTERM)
        default: try session.signalMonitor(SIGSEGV)  // a crash: the C handler restores, then dies of it
        }
        try await session.waitFor("exit", timeout: .seconds(90)) { _ in session.paneIsDead && session.exitStatus != nil }
        #expect(session.exitStatus == status)
        let bytes = try session.typescript()
        let entered = try #require(bytes.range(of: "\u{1B}[?1049h", options: .backwards))
        #expect(bytes[entered.upperBound...].contains("\u{1B}[?1049l"), "alternate screen not left after \(signal)")
        #expect(bytes[entered.upperBound...].contains("\u{1B}[?25h"), "cursor not shown again after \(signal)")
    }

    @Test func aTooSmallTerminalGetsAMessageAndTheTerminalIsUntouched() async throws {
        let session = try TmuxSession(width: 70, height: 20, arguments: ["monitor"])
        defer { session.kill() }
        try await session.waitFor("exit", timeout: .seconds(90)) { _ in session.paneIsDead && session.exitStatus != nil }
        #expect(session.exitStatus == 2)
        let bytes = try session.typescript()
        #expect(bytes.contains("the terminal is 70x20; the monitor needs at least 80x24"))
        #expect(!bytes.contains("\u{1B}[?1049h"))
        #expect(!bytes.contains("\u{1B}[?25l"))
    }

    @Test func withoutATerminalItSaysSoAndFails() throws {
        let process = Process()
        process.executableURL = TmuxSession.binary
        process.arguments = ["monitor"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = Pipe()
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(output.contains("the monitor needs a terminal"))
        #expect(!output.contains("\u{1B}["))
    }
}
