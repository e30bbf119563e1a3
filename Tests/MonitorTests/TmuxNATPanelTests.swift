import Foundation
import Testing

/// The NAT panel live: a monitor bound to 0.0.0.0 that joined a `hyperdht testnet` on 127.0.0.1 is seen at
/// 127.0.0.1 (one of its interface addresses, so no NAT – not the unspecified bind host "matching" it), and
/// its probe's filtering test from a fresh socket gets answers from never-contacted nodes.
@Suite(.timeLimit(.minutes(5)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxNATPanelTests {
    @Test func theNATPanelDiagnosesLoopbackAsNoNATWithOpenFiltering() async throws {
        let testnet = try await TestnetProcess.start(nodes: 8)
        defer { testnet.stop() }
        let port = try TestnetProcess.freeUDPPort()
        let session = try TmuxSession(width: 80, height: 30, arguments: ["monitor", "--bootstrap", testnet.bootstrap, "--port", "\(port)"])
        defer { session.kill() }

        try await session.waitFor("the node ready", timeout: .seconds(90)) { $0.contains("● ready") }
        for _ in 0..<4 { session.send("Tab") }
        try await session.waitFor("the NAT pane's diagnosis with the filtering probe", timeout: .seconds(90)) { screen in
            screen.contains("5 NAT ─") && screen.contains("filter  open")
        }
        let screen = session.capture()
        #expect(screen.contains("verdict reachable directly"), "\(screen)")
        #expect(screen.contains("reachable directly (no NAT)"), "\(screen)")
        #expect(screen.contains("mapping none"), "\(screen)")
        #expect(screen.contains("our own address, no translation"), "\(screen)")
        #expect(screen.contains("(probed from a fresh socket, seen at 127.0.0.1:"), "\(screen)")
        #expect(screen.contains("local   0.0.0.0:\(port)  (127.0.0.1:\(port)"), "\(screen)")
        #expect(try await session.quit() == 0)
    }
}
