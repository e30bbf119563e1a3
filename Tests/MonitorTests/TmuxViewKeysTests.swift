import Foundation
import Testing

/// The display keys on a real terminal: `r` masks every address, `/` filters the focused pane, space
/// freezes the display behind a PAUSED marker while the node runs on.
@Suite(.timeLimit(.minutes(5)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxViewKeysTests {
    static func uptime(_ screen: String) -> String? {
        screen.firstMatch(of: /up (\d\d:\d\d:\d\d)/).map { String($0.1) }
    }

    @Test func privacyFilterAndPause() async throws {
        let session = try TmuxSession(width: 100, height: 30, arguments: ["monitor", "--swarm-size", "16"])
        defer { session.kill() }
        try await session.waitFor("the monitor", timeout: .seconds(60)) {
            $0.contains("● ready") && $0.range(of: #" [1-9][0-9]*/20 "#, options: .regularExpression) != nil
        }

        // Enter expands a bucket; wait for two of its contacts.
        let addresses = try await session.expandBucket(withAtLeast: 2)

        // r: every address masked, and back.
        session.send("r")
        try await session.waitFor("privacy on") { $0.contains(" PRIVACY ") && !$0.contains("127.0.0.1") && $0.contains("host-") }
        session.send("r")
        try await session.waitFor("privacy off") { !$0.contains(" PRIVACY ") && $0.contains(addresses[0]) }

        // /: only the rows containing the text stay, the title shows the filter; Esc clears it.
        session.send("/")
        session.type(addresses[0])
        session.send("Enter")
        try await session.waitFor("filtered") { $0.contains("1 K-buckets /\(addresses[0])") && $0.contains(addresses[0]) && !$0.contains(addresses[1]) }
        session.send("Escape")
        try await session.waitFor("filter cleared") { !$0.contains("K-buckets /") && $0.contains(addresses[1]) }

        // Space: PAUSED, and the display holds still (the uptime stops) until space again.
        session.send(" ")
        var frozen: String?
        try await session.waitFor("paused") { screen in
            frozen = Self.uptime(screen)
            return screen.contains(" PAUSED ")
        }
        try await Task.sleep(for: .milliseconds(2200))
        let still = session.capture()
        #expect(still.contains(" PAUSED "))
        #expect(Self.uptime(still) == frozen, "the display must not change while paused")
        session.send(" ")
        try await session.waitFor("running again", timeout: .seconds(60)) { !$0.contains(" PAUSED ") && Self.uptime($0) != frozen }

        #expect(try await session.quit() == 0)
    }
}
