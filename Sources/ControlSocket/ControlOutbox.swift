import NIOConcurrencyHelpers
import NIOCore

/// One client's queue of frames to write, bounded by bytes: a frame that would take it over the
/// limit drops the client instead (``onOverflow``), so a client that stops reading costs the node a
/// bounded amount of memory and never makes it wait.
final class ControlOutbox: Sendable {
    /// The frames, in order, for the connection's writer.
    let frames: AsyncStream<ByteBuffer>
    private let continuation: AsyncStream<ByteBuffer>.Continuation
    private let limit: Int
    private let onOverflow: @Sendable () -> Void
    private let state = NIOLockedValueBox((pending: 0, closed: false))

    /// Creates an outbox holding at most `limit` bytes not yet written.
    init(limit: Int, onOverflow: @escaping @Sendable () -> Void) {
        (frames, continuation) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .unbounded)
        self.limit = limit
        self.onOverflow = onOverflow
    }

    /// Queues `frame`; `false` when the outbox is closed or the frame overflowed it (which closes it
    /// and calls ``onOverflow`` once).
    @discardableResult
    func send(_ frame: ByteBuffer) -> Bool {
        let size = frame.readableBytes
        let outcome: Bool? = state.withLockedValue { state in
            if state.closed { return false }
            if state.pending + size > limit {
                state.closed = true
                return nil
            }
            state.pending += size
            return true
        }
        guard let outcome else {
            continuation.finish()
            onOverflow()
            return false
        }
        if outcome { continuation.yield(frame) }
        return outcome
    }

    /// The writer wrote `bytes` of queued frames.
    func written(_ bytes: Int) {
        state.withLockedValue { $0.pending -= bytes }
    }

    /// Ends the queue (the connection is closing).
    func close() {
        state.withLockedValue { $0.closed = true }
        continuation.finish()
    }
}
