import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Drives the built `hyperdht` binary in tmux against its embedded swarm, as a person would.
@Suite(.timeLimit(.minutes(3)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxMonitorTests {
    @Test func monitorFillsRespondsToKeysResizesAndRestoresTheTerminal() throws {
        let session = try TmuxSession(width: 100, height: 30, arguments: ["monitor"])
        defer { session.kill() }

        // The tree fills after bootstrap.
        try session.waitFor("a bucket with contacts", timeout: .seconds(90)) { $0.range(of: #" [1-9][0-9]*/20 "#, options: .regularExpression) != nil }
        #expect(session.capture().contains("│ 2 In-flight │"))

        // ? shows the help; Esc closes it.
        session.send("?")
        try session.waitFor("help overlay") { $0.contains("Keys – ? or Esc closes") && $0.contains("quit") }
        session.send("Escape")
        try session.waitFor("help closed") { !$0.contains("Keys – ? or Esc closes") }

        // Enter expands the first bucket; its contacts give swarm addresses.
        session.send("Enter")
        let contactPattern = #"│ [0-9a-f]{8} (127\.0\.0\.1:[0-9]+)"#
        var addresses: [String] = []
        try session.waitFor("two contacts") { screen in
            addresses = screen.matches(of: try! Regex(contactPattern)).compactMap { $0.output[1].substring.map(String.init) }
            return Set(addresses).count >= 2
        }
        let unique = Array(Set(addresses)).sorted()

        // p + a swarm address shows an RTT.
        session.send("p")
        session.type(unique[0])
        session.send("Enter")
        try session.waitFor("ping RTT") { $0.contains("ping \(unique[0]): RTT") }

        // h punches through another swarm node and shows the answer.
        session.send("h")
        session.type(unique[0])
        session.send("Tab")
        session.type(unique[1])
        session.send("Enter")
        try session.waitFor("punch answered") { $0.contains("punch \(unique[0]) via \(unique[1]): answered from") }

        // l + a topic the swarm announces shows the announcing nodes' addresses.
        session.send("l")
        session.type("hyperdht-demo")
        session.send("Enter")
        try session.waitFor("lookup result", timeout: .seconds(30)) {
            $0.range(of: #"lookup topic "hyperdht-demo": [1-9][0-9]* peers – 127\.0\.0\.1:[0-9]+"#, options: .regularExpression) != nil
        }

        // A bad host:port shows its message and keeps the text.
        session.send("p")
        session.type("nonsense:99999")
        session.send("Enter")
        try session.waitFor("validation message") {
            $0.contains("✗ invalid port in \"nonsense:99999\" (expected 1-65535)") && $0.contains("host:port nonsense:99999")
        }
        session.send("Escape")

        // A resize re-lays out: the large grid shows every pane at once, and back.
        session.resize(width: 160, height: 48)
        try session.waitFor("grid layout") { screen in
            ["┌ 1 K-buckets", "┌ 2 In-flight", "┌ 3 Queries", "┌ 4 Hole punch", "┌ 5 NAT", "┌ 6 Store"].allSatisfy(screen.contains)
                && !screen.contains("│ 2 In-flight │")
        }
        session.resize(width: 80, height: 24)
        try session.waitFor("compact layout") { $0.contains("│ 2 In-flight │") }

        // q leaves the terminal clean: normal screen back, cursor visible, exit status 0.
        session.send("q")
        try session.waitFor("exit", timeout: .seconds(20)) { _ in session.paneIsDead && session.exitStatus != nil }
        #expect(session.exitStatus == 0)
        #expect(session.display("#{alternate_on}") == "0")
        let bytes = try session.typescript()
        let entered = try #require(bytes.range(of: "\u{1B}[?1049h", options: .backwards))
        let tail = bytes[entered.upperBound...]
        #expect(tail.contains("\u{1B}[?1049l"), "alternate screen not left")
        #expect(tail.contains("\u{1B}[?25h"), "cursor not shown again")
    }

    @Test(arguments: [("C-c", 128 + 2), ("SIGTERM", 128 + 15), ("SIGSEGV", 128 + 11)])
    func signalsRestoreTheTerminal(signal: String, status: Int) throws {
        let session = try TmuxSession(width: 80, height: 24, arguments: ["monitor", "--swarm-size", "4"])
        defer { session.kill() }
        try session.waitFor("the monitor", timeout: .seconds(90)) { $0.contains("1 K-buckets") && $0.contains("● ready") }
        switch signal {
        case "C-c": session.send("C-c")
        case "SIGTERM": try session.signalMonitor(SIGTERM)
        default: try session.signalMonitor(SIGSEGV)  // a crash: the C handler restores, then dies of it
        }
        try session.waitFor("exit", timeout: .seconds(20)) { _ in session.paneIsDead && session.exitStatus != nil }
        #expect(session.exitStatus == status)
        let bytes = try session.typescript()
        let entered = try #require(bytes.range(of: "\u{1B}[?1049h", options: .backwards))
        #expect(bytes[entered.upperBound...].contains("\u{1B}[?1049l"), "alternate screen not left after \(signal)")
        #expect(bytes[entered.upperBound...].contains("\u{1B}[?25h"), "cursor not shown again after \(signal)")
    }

    @Test func aTooSmallTerminalGetsAMessageAndTheTerminalIsUntouched() throws {
        let session = try TmuxSession(width: 70, height: 20, arguments: ["monitor"])
        defer { session.kill() }
        try session.waitFor("exit", timeout: .seconds(20)) { _ in session.paneIsDead && session.exitStatus != nil }
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

/// One tmux server (own `-L` socket) running the binary under `script`, which records every byte
/// the program writes to its terminal.
final class TmuxSession: @unchecked Sendable {
    let socket: String
    let directory: URL

    static var isAvailable: Bool {
        ["/usr/bin/tmux", "/usr/bin/script"].allSatisfy { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var binary: URL {
        var url = Bundle.main.bundleURL
        while url.pathComponents.count > 1 {
            let candidate = url.appendingPathComponent("hyperdht")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: "hyperdht")
    }

    init(width: Int, height: Int, arguments: [String]) throws {
        socket = "hyperdht-monitor-test-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("tmux.conf")
        try "set -g remain-on-exit on\nset -g history-limit 0\n".write(to: config, atomically: true, encoding: .utf8)
        let command = ([Self.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let inner = "env TERM=xterm-256color LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1 script -q -e -c \"\(command)\" '\(directory.path)/typescript'"
        _ = try Self.tmux(["-L", socket, "-f", config.path, "new-session", "-d", "-x", "\(width)", "-y", "\(height)", inner])
    }

    /// Runs tmux with `arguments` and returns its standard output. Uses posix_spawn and waitpid
    /// directly, with output in a file: a tmux server started by the call daemonizes and inherits
    /// the client's descriptors, which would keep a pipe (and Foundation's Process) waiting forever.
    @discardableResult
    static func tmux(_ arguments: [String]) throws -> String {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("tmux-out-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // The server must not inherit this process's descriptors or its blocked signal mask (test
        // threads block most signals; a server that cannot get SIGCHLD never reaps its pane).
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 && fcntl(fd, F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = (["/usr/bin/tmux"] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/tmux", &actions, &attributes, argv, environ)
        guard spawned == 0 else { throw Timeout(description: "cannot start tmux: errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (try? String(contentsOf: output, encoding: .utf8)) ?? ""
    }

    func capture() -> String { (try? Self.tmux(["-L", socket, "capture-pane", "-p", "-J"])) ?? "" }
    func display(_ format: String) -> String {
        ((try? Self.tmux(["-L", socket, "display-message", "-p", format])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
    func send(_ key: String) { _ = try? Self.tmux(["-L", socket, "send-keys", key]) }
    func type(_ text: String) { _ = try? Self.tmux(["-L", socket, "send-keys", "-l", text]) }
    func resize(width: Int, height: Int) {
        _ = try? Self.tmux(["-L", socket, "resize-window", "-x", "\(width)", "-y", "\(height)"])
    }
    /// Sends `signal` to the monitor process (the child of `script`, the pane's process).
    func signalMonitor(_ signal: Int32) throws {
        let scriptPID = display("#{pane_pid}")
        let children = try String(contentsOfFile: "/proc/\(scriptPID)/task/\(scriptPID)/children", encoding: .utf8)
        guard let pid = children.split(separator: " ").first.flatMap({ Int32($0) }) else {
            throw Timeout(description: "no monitor process under script \(scriptPID)")
        }
        Glibc.kill(pid, signal)
    }
    var paneIsDead: Bool { display("#{pane_dead}") == "1" }
    /// The program's exit status as `script -e` records it at the end of the typescript (tmux's
    /// `pane_dead_status` is not always set for a program that exits at once).
    var exitStatus: Int? {
        guard let bytes = try? typescript(), let range = bytes.range(of: "COMMAND_EXIT_CODE=\"", options: .backwards) else { return nil }
        return Int(bytes[range.upperBound...].prefix { $0.isNumber })
    }
    func typescript() throws -> String {
        String(decoding: try Data(contentsOf: directory.appendingPathComponent("typescript")), as: UTF8.self)
    }

    func kill() {
        _ = try? Self.tmux(["-L", socket, "kill-server"])
        try? FileManager.default.removeItem(at: directory)
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    /// Polls the screen until `condition` holds, at most `timeout`; throws with the last screen.
    func waitFor(_ what: String, timeout: Duration = .seconds(15), _ condition: (String) throws -> Bool) throws {
        let deadline = ContinuousClock.now + timeout
        var screen = ""
        while ContinuousClock.now < deadline {
            screen = capture()
            if try condition(screen) { return }
            Thread.sleep(forTimeInterval: 0.2)
        }
        throw Timeout(description: "timed out waiting for \(what); screen:\n\(screen)")
    }
}
