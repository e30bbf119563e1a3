import DHTRPC
import Foundation
import IPEncoding
import KBucket
import Monitor
import Testing

/// The session's task bookkeeping: `stop()` reaches the event pump however many commands ran before
/// it, and finished requests are forgotten as they finish.
@Suite(.timeLimit(.minutes(5))) struct SessionTaskTests {
    /// Records when its event stream ends – which happens when the pump reading it is cancelled.
    final class StreamEnd: @unchecked Sendable {
        private let lock = NSLock()
        private var ended = false
        var hasEnded: Bool { lock.withLock { ended } }
        func end() { lock.withLock { ended = true } }
    }

    struct QuietBackend: MonitorBackend {
        let streamEnd: StreamEnd
        func events() async throws -> AsyncStream<MonitorEventBatch> {
            let streamEnd = self.streamEnd
            let (stream, continuation) = AsyncStream.makeStream(of: MonitorEventBatch.self)
            continuation.onTermination = { _ in streamEnd.end() }
            return stream
        }
        func status() async throws -> NodeStatus { Fixture.status }
        func ping(_ address: PeerAddress) async throws -> PingOutcome { throw MonitorError.unavailable("no answer") }
        func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingOutcome { throw MonitorError.unavailable("no") }
        func bootstrap() async throws -> Int { 3 }
        func query(command: String, target: NodeID) async throws -> QueryOutcome { throw MonitorError.unavailable("no") }
    }

    /// Waits up to `limit` for `condition` (time-based: a loaded machine may take long to run the tasks).
    static func wait(upTo limit: Duration = .seconds(60), for condition: () -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        while !condition() && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return condition()
    }

    @Test func stopCancelsTheEventPumpAfterAHundredCommands() async throws {
        let streamEnd = StreamEnd()
        let session = MonitorSession(backend: QuietBackend(streamEnd: streamEnd))
        session.start(statusInterval: .milliseconds(50))
        for index in 0..<100 {
            session.perform(index.isMultiple(of: 2) ? .bootstrap : .ping(Fixture.address(40012)), mask: AddressMasking())
        }
        #expect(try await Self.wait { session.runningRequests == 0 }, "every request finishes and is forgotten")
        #expect(session.inbox.drain().messages.count == 16, "(the inbox keeps the newest 16 results)")
        #expect(!streamEnd.hasEnded)
        session.stop()
        #expect(try await Self.wait { streamEnd.hasEnded }, "stop() ends the event pump's stream")
    }

    @Test func aRequestAfterStopDoesNotRun() async throws {
        let session = MonitorSession(backend: QuietBackend(streamEnd: StreamEnd()))
        session.stop()
        session.perform(.bootstrap, mask: AddressMasking())
        #expect(session.runningRequests == 0)
        try await Task.sleep(for: .milliseconds(200))
        #expect(session.inbox.drain().messages.isEmpty)
    }
}
