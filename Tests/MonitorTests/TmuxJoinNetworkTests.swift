import Foundation
import Testing

/// `hyperdht monitor --bootstrap` joins a network that is already running – a `hyperdht testnet`
/// process on 127.0.0.1 – instead of starting its embedded swarm.
@Suite(.timeLimit(.minutes(5)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxJoinNetworkTests {
    @Test(arguments: [false, true])
    func joinsARunningTestnetAndFindsAPeerAnnouncedThere(ephemeral: Bool) async throws {
        let testnet = try await TestnetProcess.start(nodes: 8)
        defer { testnet.stop() }
        // Another process announces a topic into the testnet; the port is only announced, never bound.
        let topic = "monitor-join-\(UInt32.random(in: 0...UInt32.max))"
        let announcedPort = UInt16.random(in: 20_000...29_999)
        let announce = try await TestnetProcess.run(["announce", topic, "--port", "\(announcedPort)", "--bootstrap", testnet.bootstrap])
        #expect(announce.status == 0, "\(announce.output)")

        let port = try TestnetProcess.freeUDPPort()
        let arguments = ["monitor", "--bootstrap", testnet.bootstrap, "--port", "\(port)"] + (ephemeral ? ["--ephemeral"] : [])
        let session = try TmuxSession(width: 120, height: 32, arguments: arguments)
        defer { session.kill() }

        // The tree fills with the testnet's nodes (there is no embedded swarm: 8 nodes in all).
        var table = 0
        try await session.waitFor("the testnet in the routing table", timeout: .seconds(90)) { screen in
            table = screen.firstMatch(of: /table (\d+)/).flatMap { Int($0.1) } ?? 0
            return screen.contains("● ready") && table >= 6
                && screen.range(of: #" [1-9][0-9]*/20 "#, options: .regularExpression) != nil
        }
        #expect(table <= 8, "only the testnet's 8 nodes exist")
        let screen = session.capture()
        #expect(screen.contains("local 0.0.0.0:\(port) "), "--port is the node's port:\n\(screen)")
        #expect(screen.contains("(ephemeral)") == ephemeral, "\(screen)")
        // The monitor pings a few contacts once ready, so the header learns where the network sees it.
        try await session.waitFor("the public address peers report", timeout: .seconds(90)) {
            $0.contains("public 127.0.0.1:\(port) ")
        }

        // l + the announced topic shows the announcer's address.
        session.submit("l", topic)
        try await session.waitFor("lookup result", timeout: .seconds(90)) {
            $0.contains("lookup topic \"\(topic)\": 1 peer – 127.0.0.1:\(announcedPort),")
        }

        #expect(try await session.quit() == 0)
        let bytes = try session.typescript()
        let entered = try #require(bytes.range(of: "\u{1B}[?1049h", options: .backwards))
        #expect(bytes[entered.upperBound...].contains("\u{1B}[?1049l"), "alternate screen not left")
    }
}
