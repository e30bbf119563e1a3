import NIOCore

/// What a ``UDPDatagramTransport`` has handed to its channel and not yet seen written: the bytes still queued (to bound
/// them) and the writes that failed. One per transport, shared by every write's completion.
///
/// A completion captures only the ledger (no per-write closure state, no weak reference), and the sizes are kept in
/// write order: NIO completes a channel's writes in the order they were made, so each completion takes the oldest
/// size. Should an order ever differ, the total is still exact whenever nothing is queued.
///
/// Writes may also go to the channel without a promise (the replies to a read burst, all but the last): their sizes
/// are recorded as *uncovered*, and the next promise covers them – when it completes, so have they. A failure of an
/// uncovered write is not seen (NIO reports a datagram's send error only to that write's own promise).
///
/// Lives and runs on the transport's event loop only.
final class WriteLedger {
    /// Bytes written (or about to be written) to the channel whose writes have not completed yet.
    private(set) var pendingBytes = 0
    /// Writes that completed with an error, and sends refused before any write (see ``countFailure()``).
    private(set) var failures = 0
    private var sizes = CircularBuffer<Int>(initialCapacity: 64)
    /// Bytes recorded by ``recordWriteWithoutPromise(of:)`` that no promise covers yet.
    private var uncoveredBytes = 0

    /// Records a write of `size` bytes (and any uncovered ones before it) and returns the promise to give it.
    func promise(forWriteOf size: Int, on eventLoop: any EventLoop) -> EventLoopPromise<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        pendingBytes += size
        sizes.append(size + uncoveredBytes)
        uncoveredBytes = 0
        promise.futureResult.assumeIsolatedUnsafeUnchecked().whenComplete { [self] result in
            completed(result)
        }
        return promise
    }

    /// Records a write of `size` bytes that goes to the channel without a promise; the next
    /// ``promise(forWriteOf:on:)`` covers it.
    func recordWriteWithoutPromise(of size: Int) {
        pendingBytes += size
        uncoveredBytes += size
    }

    /// Forgets the uncovered writes: they will never reach the channel (it went away first).
    func discardUncoveredWrites() {
        pendingBytes -= uncoveredBytes
        uncoveredBytes = 0
    }

    /// Counts a send that failed before it was written (one the kernel would refuse).
    func countFailure() {
        failures += 1
    }

    private func completed(_ result: Result<Void, any Error>) {
        if let size = sizes.popFirst() { pendingBytes -= size }
        if case .failure = result { failures += 1 }
    }
}
