import Foundation
import Testing

/// `hyperdht` with no arguments is the monitor over its embedded swarm; `a` announces the monitored
/// node under a topic (another process then finds its address), `u` withdraws it (the lookup no
/// longer does), `b` re-runs the bootstrap walk.
@Suite(.timeLimit(.minutes(5)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxAnnounceTests {
    @Test func announceUnannounceAndRebootstrapFromTheKeyboard() async throws {
        let session = try TmuxSession(width: 100, height: 30, arguments: [])
        defer { session.kill() }
        var local = ""
        try await session.waitFor("the monitor over its embedded swarm", timeout: .seconds(60)) { screen in
            local = screen.firstMatch(of: /local (127\.0\.0\.1:\d+)/).map { String($0.1) } ?? ""
            return screen.contains("● ready") && !local.isEmpty
                && screen.range(of: #" [1-9][0-9]*/20 "#, options: .regularExpression) != nil
        }
        let topic = "monitor-announce-\(UInt32.random(in: 0...UInt32.max))"
        let lookup = ["lookup", topic, "--bootstrap", local, "--json"]

        session.submit("a", topic)
        try await session.waitFor("announced", timeout: .seconds(90)) {
            $0.range(of: #"announced under topic "\#(topic)" on [1-9][0-9]* nodes"#, options: .regularExpression) != nil
        }
        let found = try await TestnetProcess.run(lookup)
        #expect(found.status == 0, "\(found.output)")
        #expect(found.output.contains(#""host":"127.0.0.1""#) && found.output.contains(#""port":\#(local.split(separator: ":")[1])"#),
                "another process finds the monitored node's address:\n\(found.output)")

        session.submit("u", topic)
        try await session.waitFor("unannounced", timeout: .seconds(90)) {
            $0.range(of: #"unannounce topic "\#(topic)": [1-9][0-9]* nodes? acknowledged the removal"#, options: .regularExpression) != nil
        }
        let gone = try await TestnetProcess.run(lookup)
        #expect(gone.status == 0, "\(gone.output)")
        #expect(!gone.output.contains(#""port":\#(local.split(separator: ":")[1])"#), "withdrawn:\n\(gone.output)")

        session.send("b")
        try await session.waitFor("re-bootstrapped", timeout: .seconds(90)) {
            $0.range(of: #"bootstrap finished: [1-9][0-9]* nodes answered"#, options: .regularExpression) != nil
        }
        #expect(try await session.quit() == 0)
    }
}
