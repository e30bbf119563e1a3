import IPEncoding
import NIOCore

/// A Sendable handle to a ``UDPDatagramTransport``, for async code that lives off the loop.
///
/// The transport itself is confined to its loop; this handle carries it there safely (via
/// `NIOLoopBound`, which checks the thread) and answers ``localAddress`` from anywhere.
public struct UDPTransportHandle: Sendable {
    /// The loop the transport runs on.
    public let eventLoop: any EventLoop
    /// The bound address, with the real port when bound to port 0.
    public let localAddress: PeerAddress
    private let bound: NIOLoopBound<UDPDatagramTransport>

    /// Wraps a transport; must be called on its loop.
    init(_ transport: UDPDatagramTransport) {
        self.eventLoop = transport.eventLoop
        self.localAddress = transport.localAddress
        self.bound = NIOLoopBound(transport, eventLoop: transport.eventLoop)
    }

    /// The transport. Read it only on ``eventLoop`` (anywhere else traps).
    public var transport: UDPDatagramTransport { bound.value }

    /// Runs `body` with the transport on its loop and returns the result: the way async code sets
    /// receivers, sends, and creates the protocol objects that will own the transport.
    public func withTransport<Result: Sendable>(
        _ body: @escaping @Sendable (UDPDatagramTransport) throws -> Result
    ) async throws -> Result {
        let bound = self.bound
        return try await eventLoop.submit { try body(bound.value) }.get()
    }

    /// A snapshot of the transport's statistics.
    public func statistics() async throws -> UDPTransportStatistics {
        try await withTransport { $0.statistics }
    }

    /// Closes the transport and waits until the socket is closed. Calling it twice does nothing.
    public func close() async {
        let bound = self.bound
        let closed = try? await eventLoop.submit { bound.value.closeReportingCompletion() }.get()
        try? await closed?.get()
    }
}
