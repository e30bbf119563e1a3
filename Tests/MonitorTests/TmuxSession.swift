import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

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

    /// The environment every monitor gets unless a test overrides it.
    static let baseEnvironment = ["TERM": "xterm-256color", "LANG": "C.UTF-8", "NCURSES_NO_UTF8_ACS": "1"]

    /// Starts `hyperdht ARGUMENTS` in a detached `width` x `height` session. `environment` adds to or
    /// overrides ``baseEnvironment``; `NO_COLOR` is removed unless it is given here, so a `NO_COLOR` in
    /// the test's own environment cannot change what a test sees.
    init(width: Int, height: Int, arguments: [String], environment: [String: String] = [:]) throws {
        socket = "hyperdht-monitor-test-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("tmux.conf")
        try "set -g remain-on-exit on\nset -g history-limit 0\n".write(to: config, atomically: true, encoding: .utf8)
        let command = ([Self.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let variables = Self.baseEnvironment.merging(environment) { $1 }.sorted { $0.key < $1.key }
            .map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let inner = "env -u NO_COLOR \(variables) script -q -e -c \"\(command)\" '\(directory.path)/typescript'"
        _ = try Self.tmux(["-L", socket, "-f", config.path, "new-session", "-d", "-x", "\(width)", "-y", "\(height)", inner])
    }

    /// Starts an interactive shell (bash, no rc files, prompt `shell> `) in a detached `width` x
    /// `height` session, for tests of job control; ``runInShell(_:)`` types a `hyperdht` command into it.
    init(width: Int, height: Int, shellEnvironment environment: [String: String] = [:]) throws {
        socket = "hyperdht-monitor-test-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("tmux.conf")
        try "set -g remain-on-exit on\nset -g history-limit 0\n".write(to: config, atomically: true, encoding: .utf8)
        let rc = directory.appendingPathComponent("bashrc")
        try "PS1='shell> '\n".write(to: rc, atomically: true, encoding: .utf8)
        let variables = Self.baseEnvironment.merging(environment) { $1 }
            .sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let inner = "env -u NO_COLOR \(variables) script -q -e -c \"bash --rcfile \(rc.path) --noprofile -i\" '\(directory.path)/typescript'"
        _ = try Self.tmux(["-L", socket, "-f", config.path, "new-session", "-d", "-x", "\(width)", "-y", "\(height)", inner])
    }

    /// Types `hyperdht ARGUMENTS` and Enter into the shell of a session made with `shellEnvironment`.
    func runInShell(_ arguments: [String]) {
        type(([Self.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " "))
        send("Enter")
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
    /// The screen with its attributes and colours as SGR escape sequences (`capture-pane -e`).
    func captureWithEscapes() -> String { (try? Self.tmux(["-L", socket, "capture-pane", "-p", "-e"])) ?? "" }
    func display(_ format: String) -> String {
        ((try? Self.tmux(["-L", socket, "display-message", "-p", format])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
    func send(_ key: String) { _ = try? Self.tmux(["-L", socket, "send-keys", key]) }
    /// Opens a prompt with `key`, types `text` and submits it with Enter.
    func submit(_ key: String, _ text: String) {
        send(key)
        type(text)
        send("Enter")
    }
    /// Presses `q` and waits for the monitor to exit; returns its exit status.
    func quit() async throws -> Int? {
        send("q")
        try await waitFor("exit", timeout: .seconds(90)) { _ in paneIsDead && exitStatus != nil }
        return exitStatus
    }
    func type(_ text: String) { _ = try? Self.tmux(["-L", socket, "send-keys", "-l", text]) }
    func resize(width: Int, height: Int) {
        _ = try? Self.tmux(["-L", socket, "resize-window", "-x", "\(width)", "-y", "\(height)"])
    }
    /// Sends `signal` to the monitor process (the child of `script`, the pane's process).
    func signalMonitor(_ signal: Int32) throws {
        let scriptPID = display("#{pane_pid}")
        guard let pid = Self.monitorPID(underScript: scriptPID) else {
            throw Timeout(description: "no monitor process under script \(scriptPID)")
        }
        Glibc.kill(pid, signal)
    }

    static func monitorPID(underScript scriptPID: String) -> pid_t? {
        let children = try? String(contentsOfFile: "/proc/\(scriptPID)/task/\(scriptPID)/children", encoding: .utf8)
        return children?.split(separator: " ").first.flatMap { pid_t($0) }
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

    /// Ends the monitor if it still runs, then the tmux server. Killing only the server is not enough:
    /// `script` survives the hang-up and keeps the monitor's terminal open, so a test that never
    /// pressed q (or failed before it) would leave a monitor and its swarm running.
    func kill() {
        let scriptPID = display("#{pane_pid}")
        if !scriptPID.isEmpty, let shell = Self.monitorPID(underScript: scriptPID),
           let monitor = Self.monitorPID(underScript: "\(shell)") {  // a monitor run from the shell
            Glibc.kill(monitor, SIGTERM)
            Glibc.kill(monitor, SIGCONT)  // it may be stopped
        }
        if !scriptPID.isEmpty, let pid = Self.monitorPID(underScript: scriptPID) {
            Glibc.kill(pid, SIGTERM)  // the monitor restores its terminal and exits; script follows
            var waited = 0
            while waited < 40 && FileManager.default.fileExists(atPath: "/proc/\(pid)/task/\(pid)/children") {
                usleep(50_000)
                waited += 1
            }
            if waited == 40 { Glibc.kill(pid, SIGKILL) }
        }
        // Still our script (its command line names this session's folder), not a reused process id?
        if let script = pid_t(scriptPID),
           let commandLine = FileManager.default.contents(atPath: "/proc/\(script)/cmdline"),
           String(decoding: commandLine, as: UTF8.self).contains(socket) {
            Glibc.kill(script, SIGTERM)
        }
        let socketPath = display("#{socket_path}")
        _ = try? Self.tmux(["-L", socket, "kill-server"])
        if socketPath.hasSuffix("/\(socket)") { unlink(socketPath) }  // the server leaves its socket file behind
        try? FileManager.default.removeItem(at: directory)
    }

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    /// With the k-bucket tree focused: expands buckets one after another (Enter; Enter and Down to move
    /// on) until one shows at least `count` contacts, and returns their addresses, sorted. The first
    /// bucket – the farthest – can hold a single contact for a while after bootstrap, since the
    /// bootstrap walk goes toward our own id.
    func expandBucket(withAtLeast count: Int) async throws -> [String] {
        for _ in 0..<8 {
            send("Enter")
            var addresses: [String] = []
            do {
                try await waitFor("\(count) contacts in a bucket", timeout: .seconds(4)) { screen in
                    addresses = Array(Set(screen.matches(of: /│ [0-9a-f]{8} (127\.0\.0\.1:\d+)/).map { String($0.1) })).sorted()
                    return addresses.count >= count
                }
                return addresses
            } catch is Timeout {
                send("Enter")  // collapse it again and try the next bucket
                send("Down")
            }
        }
        throw Timeout(description: "no bucket with \(count) contacts; screen:\n\(capture())")
    }

    /// Polls the screen until `condition` holds, at most `timeout`; throws with the last screen.
    /// Async and sleeping with `Task.sleep`: a test that blocked its thread here would hold one of the
    /// few threads of Swift's shared executor for seconds and starve every other suite's tasks.
    func waitFor(_ what: String, timeout: Duration = .seconds(60), _ condition: (String) throws -> Bool) async throws {
        // The screen is looked at once more after the deadline passes: a test process starved of
        // threads for longer than `timeout` (the full suite on two cores) then still sees what is there
        // instead of failing without having looked.
        let deadline = ContinuousClock.now + timeout
        while true {
            let screen = capture()
            if try condition(screen) { return }
            if ContinuousClock.now >= deadline {
                throw Timeout(description: "timed out waiting for \(what); screen:\n\(screen)")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }
}
