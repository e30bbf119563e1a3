import Foundation
import Testing

/// The monitor joined to a bootstrap address where nothing answers: the header says the bootstrap
/// failed (never "ready") and the message line says when it tries again.
@Suite(.timeLimit(.minutes(3)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxBootstrapFailureTests {
    @Test func aBootstrapNobodyAnswersIsShownAsFailedAndRetried() async throws {
        let session = try TmuxSession(width: 100, height: 30, arguments: ["monitor", "--bootstrap", "127.0.0.1:9", "--host", "127.0.0.1"])
        defer { session.kill() }
        try await session.waitFor("the failure", timeout: .seconds(90)) { screen in
            screen.contains("✗ bootstrap failed: no node answered") && screen.contains("retrying in")
        }
        #expect(!session.capture().contains("● ready"))
        #expect(try await session.quit() == 0)
    }
}
