import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `hyperdht monitor --attach SOCK` over a running `hyperdht node --control SOCK` (issue 13's
/// done-when): the table fills, `l` finds a peer announced in the node's network, `q` leaves the
/// node answering pings, killing the node shows the detached state and a restarted node is reattached.
@Suite(.timeLimit(.minutes(8)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxAttachTests {
    @Test func attachesToARunningNodeDetachesWhenItDiesAndReattaches() async throws {
        let testnet = try await TestnetProcess.start(nodes: 8)
        defer { testnet.stop() }
        let topic = "monitor-attach-\(UInt32.random(in: 0...UInt32.max))"
        let announcedPort = UInt16.random(in: 20_000...29_999)
        let announce = try await TestnetProcess.run(["announce", topic, "--port", "\(announcedPort)", "--bootstrap", testnet.bootstrap])
        #expect(announce.status == 0, "\(announce.output)")

        let directory = "/tmp/hdt-attach-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let socket = directory + "/node.sock"
        let port = try TestnetProcess.freeUDPPort()
        let nodeArguments = ["node", "--control", socket, "--bootstrap", testnet.bootstrap, "--host", "127.0.0.1",
                             "--port", "\(port)", "--quiet"]
        var node = try NodeProcess(nodeArguments)
        defer { node.kill() }

        var session = try TmuxSession(width: 120, height: 32, arguments: ["monitor", "--attach", socket])
        defer { session.kill() }
        try await session.waitFor("the node's routing table", timeout: .seconds(90)) { screen in
            let table = screen.firstMatch(of: /table (\d+)/).flatMap { Int($0.1) } ?? 0
            return screen.contains("● ready") && table >= 6 && screen.contains("local 127.0.0.1:\(port) ")
        }
        session.submit("l", topic)
        try await session.waitFor("lookup result", timeout: .seconds(90)) {
            $0.contains("lookup topic \"\(topic)\": 1 peer – 127.0.0.1:\(announcedPort),")
        }
        #expect(try await session.quit() == 0)
        #expect(node.isRunning, "q leaves the node running")
        let ping = try await TestnetProcess.run(["ping", "127.0.0.1:\(port)"])
        #expect(ping.status == 0 && ping.output.contains("pong"), "\(ping.output)")
        session.kill()

        // Attach again, then kill the node outright (its socket file stays behind, stale).
        session = try TmuxSession(width: 120, height: 32, arguments: ["monitor", "--attach", socket])
        try await session.waitFor("attached", timeout: .seconds(90)) { $0.contains("● ready") && $0.contains("attached to node") }
        node.kill()
        try await session.waitFor("the detached state", timeout: .seconds(90)) { $0.contains("detached: node gone") }
        try await session.waitFor("the header's DETACHED marker", timeout: .seconds(60)) {
            $0.split(separator: "\n").first?.contains("DETACHED: node gone, retrying") == true
        }
        #expect(FileManager.default.fileExists(atPath: socket), "a killed node leaves its socket file")

        // A new node on the same path replaces the stale socket; the monitor reattaches to it.
        node = try NodeProcess(nodeArguments)
        try await session.waitFor("reattached", timeout: .seconds(90)) { screen in
            screen.contains("attached to node") && !screen.contains("detached") && screen.contains("● ready")
                && !screen.contains("DETACHED")
        }
        session.submit("l", topic)
        try await session.waitFor("lookup result after reattaching", timeout: .seconds(90)) {
            $0.contains("lookup topic \"\(topic)\": 1 peer – 127.0.0.1:\(announcedPort),")
        }
        #expect(try await session.quit() == 0)
        #expect(node.isRunning)
    }
}

/// `--record FILE` then `hyperdht replay FILE` (issue 13 item 3): the replay shows the recorded node's
/// table and events, read-only, and its keys change speed, pause and step.
@Suite(.timeLimit(.minutes(6)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxReplayTests {
    @Test func aRecordedMonitorSessionReplaysWithItsTable() async throws {
        let directory = "/tmp/hdt-replay-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/session.rec"
        var recorded = 0
        do {
            let session = try TmuxSession(width: 120, height: 32, arguments: ["monitor", "--swarm-size", "8", "--record", file])
            defer { session.kill() }
            try await session.waitFor("the table", timeout: .seconds(90)) { screen in
                recorded = screen.firstMatch(of: /table (\d+)/).flatMap { Int($0.1) } ?? 0
                return screen.contains("● ready") && recorded >= 6
            }
            try await Task.sleep(for: .seconds(2))  // a status is recorded once a second
            #expect(try await session.quit() == 0)
        }
        let replay = try TmuxSession(width: 120, height: 32, arguments: ["replay", file, "--speed", "2"])
        defer { replay.kill() }
        try await replay.waitFor("the recorded table", timeout: .seconds(90)) { screen in
            let table = screen.firstMatch(of: /table (\d+)/).flatMap { Int($0.1) } ?? 0
            return screen.contains("● ready") && table >= 6
        }
        try await replay.waitFor("the REPLAY marker", timeout: .seconds(60)) { screen in
            Self.marker(screen).map { $0.speed == "2" && !$0.paused } ?? false
        }
        // Commands are refused (after the end, so the end's notice does not replace the answer).
        try await replay.waitFor("the end", timeout: .seconds(90)) { $0.contains("replay finished") }
        replay.send("b")
        try await replay.waitFor("read-only", timeout: .seconds(60)) { $0.contains("a replay is read-only") }
        replay.send("+")
        try await replay.waitFor("faster", timeout: .seconds(60)) { $0.contains("replay speed 4x") }
        replay.send("Space")
        try await replay.waitFor("paused", timeout: .seconds(60)) { $0.contains("replay paused") }
        var end = Duration.zero
        try await replay.waitFor("the paused marker", timeout: .seconds(60)) { screen in
            guard let marker = Self.marker(screen), marker.paused, marker.speed == "4" else { return false }
            end = marker.position
            return true
        }
        // [ steps back one event batch at a time: the position goes back and the panes are rebuilt.
        for _ in 0..<20 { replay.send("[") }
        try await replay.waitFor("stepped back", timeout: .seconds(60)) { screen in
            screen.contains("stepped back to the previous events")
                && (Self.marker(screen).map { $0.paused && $0.position < end } ?? false)
        }
        replay.send("]")
        try await replay.waitFor("stepped", timeout: .seconds(60)) { $0.contains("stepped to the next events") }
        #expect(try await replay.quit() == 0)
    }

    /// The header's `REPLAY m:ss.t/m:ss.t Nx [paused]` marker, read off the screen's first line.
    static func marker(_ screen: String) -> (position: Duration, speed: String, paused: Bool)? {
        guard let header = screen.split(separator: "\n").first,
              let match = header.firstMatch(of: /REPLAY (\d+):(\d\d)\.(\d)\/\d+:\d\d\.\d (\S+)x( paused)?/),
              let minutes = Int(match.1), let seconds = Int(match.2), let tenths = Int(match.3) else { return nil }
        return (.milliseconds((minutes * 60 + seconds) * 1000 + tenths * 100), String(match.4), match.5 != nil)
    }
}

/// A `hyperdht node` process, output discarded.
struct NodeProcess {
    let process: Process

    init(_ arguments: [String]) throws {
        process = Process()
        process.executableURL = TmuxSession.binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// Kills it at once (SIGKILL: no cleanup, as a crash would leave things).
    func kill() {
        guard process.isRunning else { return }
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
