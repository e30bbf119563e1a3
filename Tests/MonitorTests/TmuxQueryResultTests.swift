import Foundation
import Testing

/// The peers a lookup found are listed in the Queries pane and can be selected; `p` / `h` then start
/// with the selected peer (and, for `h`, the node that returned it as referrer) already filled in.
@Suite(.timeLimit(.minutes(5)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxQueryResultTests {
    /// SHA-256 of "hyperdht-demo", the key the monitor looks up for that topic (`printf hyperdht-demo | sha256sum`).
    static let demoKeyPrefix = "b8285847"

    @Test func aSelectedLookupResultPrefillsPingAndHolepunch() async throws {
        let session = try TmuxSession(width: 110, height: 34, arguments: ["monitor", "--swarm-size", "16"])
        defer { session.kill() }
        try await session.waitFor("the monitor", timeout: .seconds(60)) {
            $0.contains("● ready") && $0.range(of: #" [1-9][0-9]*/20 "#, options: .regularExpression) != nil
        }

        session.submit("l", "hyperdht-demo")
        try await session.waitFor("lookup result", timeout: .seconds(90)) {
            $0.range(of: #"lookup topic "hyperdht-demo": [1-9][0-9]* peers"#, options: .regularExpression) != nil
        }

        // Queries pane (third), paused so the rows hold still while we move through them.
        session.send("Tab")
        session.send("Tab")
        session.send(" ")
        var queryRows: [String] = []
        try await session.waitFor("the lookup in the queries pane") { screen in
            guard screen.contains("PAUSED") && screen.contains("│ 3 Queries │") else { return false }
            queryRows = screen.split(separator: "\n").map(String.init).filter { $0.contains(#/│[▸▾] +\d+ /#) }
            return queryRows.contains { $0.contains(Self.demoKeyPrefix) && $0.contains("done") }
        }
        let position = try #require(queryRows.firstIndex { $0.contains(Self.demoKeyPrefix) })
        for _ in 0..<position { session.send("Down") }
        session.send("Enter")
        // Its results: first the peers it found, each with the node that returned it.
        var results: [String] = []
        try await session.waitFor("the lookup expanded into the peers it found") { screen in
            let lines = screen.split(separator: "\n").map(String.init)
            guard let row = lines.firstIndex(where: { $0.contains("│▾") && $0.contains(Self.demoKeyPrefix) }) else { return false }
            let found = lines[(row + 1)...].prefix { !$0.contains(#/│[▸▾] /#) }
                .compactMap { $0.firstMatch(of: /◆ peer (127\.0\.0\.1:\d+)  via [0-9a-f]{8} (127\.0\.0\.1:\d+)/) }
            guard let first = found.first else { return false }
            results = [String(first.1), String(first.2)]
            return true
        }

        // Down selects the first peer; Enter confirms it, with the node that returned it as referrer.
        session.send("Down")
        session.send("Enter")
        try await session.waitFor("the selection confirmed") {
            $0.contains("selected \(results[0]) – p pings it, h punches it via \(results[1])")
        }

        // p opens with the node filled in; Esc abandons it; p again and Enter pings it.
        session.send("p")
        try await session.waitFor("ping prompt pre-filled") { $0.contains("Ping – Enter submits") && $0.contains("host:port \(results[0])") }
        session.send("Escape")
        try await session.waitFor("prompt closed") { !$0.contains("Ping – Enter submits") }
        session.send("p")
        try await session.waitFor("ping prompt pre-filled again") { $0.contains("host:port \(results[0])") }
        session.send("Enter")
        try await session.waitFor("ping RTT", timeout: .seconds(90)) { $0.contains("ping \(results[0]): RTT") }

        // h opens with peer and referrer filled in; Enter punches through the referrer.
        session.send("h")
        try await session.waitFor("punch prompt pre-filled") {
            $0.contains("Hole punch – Enter submits") && $0.contains("peer host:port \(results[0])")
                && $0.contains("referrer host:port \(results[1])")
        }
        session.send("Enter")
        try await session.waitFor("punch answered", timeout: .seconds(90)) {
            $0.contains("punch \(results[0]) via \(results[1]): answered from \(results[0])")
        }

        #expect(try await session.quit() == 0)
    }
}
