import NIOCore

/// What a ``UDPDatagramTransport`` has handed to its channel and not yet seen written: the bytes still queued (to bound
/// them) and the writes that failed. One per transport, shared by every write's completion.
///
/// A completion captures only the ledger (no per-write closure state, no weak reference), and the sizes are kept in
/// write order: NIO completes a channel's writes in the order they were made, so each completion takes the oldest
/// size. Should an order ever differ, the total is still exact whenever nothing is queued.
///
/// Lives and runs on the transport's event loop only.
final class WriteLedger {
    /// Bytes written to the channel whose writes have not completed yet.
    private(set) var pendingBytes = 0
    /// Writes that completed with an error.
    private(set) var failures = 0
    private var sizes = CircularBuffer<Int>(initialCapacity: 64)

    /// Records a write of `size` bytes and returns the promise to give it.
    func promise(forWriteOf size: Int, on eventLoop: any EventLoop) -> EventLoopPromise<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        pendingBytes += size
        sizes.append(size)
        promise.futureResult.assumeIsolatedUnsafeUnchecked().whenComplete { [self] result in
            completed(result)
        }
        return promise
    }

    private func completed(_ result: Result<Void, any Error>) {
        if let size = sizes.popFirst() { pendingBytes -= size }
        if case .failure = result { failures += 1 }
    }
}
