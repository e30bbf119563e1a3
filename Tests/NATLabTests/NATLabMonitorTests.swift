import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// The monitor (`hyperdht --bootstrap …`) on a lab host, in a tmux session of its own, read with capture-pane.
final class LabMonitor: Sendable {
    let socket: String

    /// Starts the monitor on `host`, joined to the lab's public network, in a `width` x `height` terminal.
    init(host: String, lab: NATLab, width: Int = 160, height: Int = 48) async throws {
        socket = "natlab-monitor-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let command = "env TERM=xterm-256color LANG=C.UTF-8 NCURSES_NO_UTF8_ACS=1 NATLAB_PREFIX=\(NATLab.prefix) "
            + "'\(NATLab.script.path)' exec \(host) -- '\(NATLab.binary.path)' --bootstrap \(lab.bootstrap)"
        let started = try await Self.tmux(["-L", socket, "new-session", "-d", "-x", "\(width)", "-y", "\(height)", command], startsServer: true)
        guard started.status == 0 else { throw NATLab.Failure(description: "tmux: \(started.output)") }
    }

    /// The screen as text.
    func screen() async throws -> String {
        try await Self.tmux(["-L", socket, "capture-pane", "-p"]).stdout
    }

    /// Waits (at most `timeout` s) until `ready` holds for the screen; returns the last screen either way.
    func waitForScreen(timeout: TimeInterval, until ready: (String) -> Bool) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try await screen()
            if ready(last) { break }
            try await Task.sleep(for: .milliseconds(500))
        }
        return last
    }

    /// Ends the monitor (q, then the tmux server; `natlab down` ends whatever is left).
    func stop() async {
        _ = try? await Self.tmux(["-L", socket, "send-keys", "q"])
        try? await Task.sleep(for: .milliseconds(500))
        _ = try? await Self.tmux(["-L", socket, "kill-server"])
    }

    /// Runs tmux to its end on a thread of its own; its stdout. Spawned with no blocked signals (test threads block
    /// most; a tmux server that inherits that never hears SIGCHLD) and only stdin/stdout/stderr open (a server
    /// the call starts daemonizes and would hold anything else open), as MonitorTests' TmuxSession does.
    static func tmux(_ arguments: [String], startsServer: Bool = false) async throws -> LabProcess.Result {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try spawnTmux(arguments) }) }.start()
        }
    }

    private static func spawnTmux(_ arguments: [String]) throws -> LabProcess.Result {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("natlab-tmux-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
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
        guard spawned == 0 else { throw NATLab.Failure(description: "cannot start tmux: errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        return LabProcess.Result(status: (status >> 8) & 0xff, stdout: text, stderr: "", timedOut: false)
    }

    /// The text after `label` on the NAT pane's line that starts with it (`verdict `, `mapping `).
    static func natLine(_ label: String, in screen: String) -> String? {
        for line in screen.split(separator: "\n") {
            for cell in line.split(separator: "│") where cell.hasPrefix(label) {
                return String(cell.dropFirst(label.count)).trimmingCharacters(in: .whitespaces)
            }
        }
        return nil
    }
}

extension NATLabTests {
    /// The monitor's NAT panel behind the lab's NATs: never "open" or "reachable directly" behind a filtering NAT.
    @Suite("NAT lab: the monitor's NAT panel") struct MonitorNATPanel {
        @Test(arguments: [("a1", "endpoint-independent", "consistent"), ("b1", "port-randomising", "port-randomising")])
        func theMonitorBehindALabNATShowsWhatItDoes(host: String, mapping: String, verdictWords: String) async throws {
            let lab = try NATLab.inUse()
            let monitor = try await LabMonitor(host: host, lab: lab)
            let screen = try await monitor.waitForScreen(timeout: 60) {
                LabMonitor.natLine("mapping ", in: $0)?.hasPrefix(mapping) == true
            }
            await monitor.stop()
            let verdict = LabMonitor.natLine("verdict ", in: screen) ?? ""
            #expect(LabMonitor.natLine("mapping ", in: screen)?.hasPrefix(mapping) == true, "\(screen)")
            #expect(verdict.contains(verdictWords), "\(host): verdict '\(verdict)'\n\(screen)")
            #expect(!verdict.contains("open") && !verdict.contains("reachable directly"), "\(host): verdict '\(verdict)'\n\(screen)")
        }
    }
}
