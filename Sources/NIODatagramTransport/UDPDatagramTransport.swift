import IPEncoding
import NIOCore
import NIOPosix
import UDPRequest

/// Real UDP over a SwiftNIO datagram channel, IPv4 or IPv6: a ``DatagramTransport`` confined to
/// one `EventLoop`.
///
/// Create one from async code with ``bind(host:port:on:maximumDatagramSize:)``, which returns a
/// Sendable ``UDPTransportHandle``; then use the transport itself only on its loop (pair it with an
/// ``EventLoopScheduler`` on the same loop). Received datagrams are delivered on the loop.
///
/// Sending never throws or blocks. Datagrams the socket cannot carry are dropped and counted in
/// ``statistics``: another address family, or a destination the kernel would reject outright, is
/// filtered before the write; a kernel error (too large, unreachable) fails just that write. If
/// NIO closes the socket on a fatal write error, the transport binds the same address again.
public final class UDPDatagramTransport: DatagramTransport {
    /// The loop this transport runs on.
    public let eventLoop: any EventLoop
    /// The bound address, with the real port when bound to port 0.
    public let localAddress: PeerAddress
    /// Running totals of traffic and failures.
    public var statistics: UDPTransportStatistics {
        var statistics = counts
        statistics.sendFailures = writes.failures
        return statistics
    }
    /// Whether ``close()`` has been called.
    public private(set) var isClosed = false

    private let maximumDatagramSize: Int
    private var channel: (any Channel)?
    private var handler: UDPDatagramHandler?
    private var receiver: ((_ datagram: [UInt8], _ source: PeerAddress) -> Void)?
    private var reopenTimer: Scheduled<Void>?
    private var closeFuture: EventLoopFuture<Void>?
    private var counts = UDPTransportStatistics()
    private let writes = WriteLedger()
    /// The source of the last datagram received, as both types: answers go back to it from within the receive
    /// callback, and reusing NIO's address saves building (and allocating) it again for every reply.
    private var lastSource: (peer: PeerAddress, socket: SocketAddress)?

    /// The most bytes queued for the socket at once; datagrams beyond it are dropped, as a full
    /// kernel send buffer would drop them.
    public static let maximumPendingWriteBytes = 4 << 20

    init(channel: any Channel, handler: UDPDatagramHandler, localAddress: PeerAddress, maximumDatagramSize: Int) {
        self.eventLoop = channel.eventLoop
        self.channel = channel
        self.handler = handler
        self.localAddress = localAddress
        self.maximumDatagramSize = maximumDatagramSize
        attach(handler)
    }

    deinit {
        reopenTimer?.cancel()
        channel?.close(promise: nil)
    }

    /// Writes `datagram` to `destination`. Must be called on ``eventLoop``; never blocks, never
    /// throws, never delivers anything synchronously.
    public func send(_ datagram: [UInt8], to destination: PeerAddress) {
        eventLoop.assertInEventLoop()
        guard !isClosed else { return }
        guard isRoutable(destination) else {
            counts.datagramsUnroutable += 1
            return
        }
        // The kernel refuses these with EMSGSIZE; counted here, since a reply written without a promise of its own
        // (see `UDPDatagramHandler`) would fail unseen.
        guard datagram.count <= Self.maximumPayload(from: localAddress.host) else {
            writes.countFailure()
            return
        }
        // Bounded by our own count of unwritten bytes rather than `channel.isWritable`: NIO 2.101
        // leaves a datagram channel unwritable for good when a write above the high water mark
        // fails with EMSGSIZE (the flag is only restored after a successful write).
        guard let channel, let handler,
              writes.pendingBytes + datagram.count <= Self.maximumPendingWriteBytes else {
            counts.datagramsDroppedBusy += 1
            return
        }
        var buffer = channel.allocator.buffer(capacity: datagram.count)
        buffer.writeBytes(datagram)
        counts.datagramsSent += 1
        counts.bytesSent += datagram.count
        let remote: SocketAddress
        if let lastSource, lastSource.peer == destination {
            remote = lastSource.socket
        } else {
            remote = SocketAddress(destination)
        }
        let envelope = AddressedEnvelope(remoteAddress: remote, data: buffer)
        if !handler.write(envelope, size: datagram.count) {
            writes.countFailure()
        }
    }

    /// Sets the one receiver of incoming datagrams. Must be called on ``eventLoop``.
    public func setReceiver(_ receiver: @escaping (_ datagram: [UInt8], _ source: PeerAddress) -> Void) {
        eventLoop.assertInEventLoop()
        self.receiver = receiver
    }

    /// Closes the socket; nothing is delivered after this returns. Must be called on ``eventLoop``.
    /// Calling it twice does nothing.
    public func close() {
        _ = closeReportingCompletion()
    }

    /// Closes (if not yet closed) and returns a future that completes when the socket is closed.
    func closeReportingCompletion() -> EventLoopFuture<Void> {
        eventLoop.assertInEventLoop()
        if let closeFuture { return closeFuture }
        isClosed = true
        receiver = nil
        reopenTimer?.cancel()
        reopenTimer = nil
        handler?.flushQueuedWrites()
        handler?.transport = nil
        handler = nil
        let future: EventLoopFuture<Void>
        if let channel {
            channel.close(promise: nil)
            future = channel.closeFuture
        } else {
            future = eventLoop.makeSucceededVoidFuture()
        }
        channel = nil
        closeFuture = future
        return future
    }

    // MARK: - Called by the handler

    func received(_ envelope: AddressedEnvelope<ByteBuffer>) {
        guard !isClosed, let source = PeerAddress(envelope.remoteAddress) else { return }
        // Longer than the limit: NIO cut it to the end of its read slot (which is longer than the limit).
        guard envelope.data.readableBytes <= maximumDatagramSize else {
            counts.datagramsOversized += 1
            return
        }
        let bytes = Array(envelope.data.readableBytesView)
        lastSource = (source, envelope.remoteAddress)
        counts.datagramsReceived += 1
        counts.bytesReceived += bytes.count
        receiver?(bytes, source)
    }

    func countFlush() {
        counts.flushes += 1
    }

    func receiveFailed(_ error: any Error) {
        counts.receiveErrors += 1
    }

    func channelBecameInactive(from closedHandler: UDPDatagramHandler) {
        guard !isClosed, closedHandler === handler else { return }
        handler?.transport = nil
        handler = nil
        channel = nil
        reopen()
    }

    // MARK: - Private

    /// Makes `handler` report to this transport and account its writes in ``writes``.
    private func attach(_ handler: UDPDatagramHandler) {
        handler.transport = self
        handler.ledger = writes
    }

    /// Binds `localAddress` again after NIO closed the socket; retries every second until it works
    /// or the transport is closed.
    private func reopen() {
        Self.openChannel(at: localAddress, on: eventLoop, maximumDatagramSize: maximumDatagramSize)
            .assumeIsolatedUnsafeUnchecked()
            .whenComplete { [weak self] result in
                guard let self, !self.isClosed else {
                    if case .success(let channel) = result { channel.close(promise: nil) }
                    return
                }
                switch result {
                case .success(let channel):
                    guard let handler = try? channel.pipeline.syncOperations.handler(type: UDPDatagramHandler.self) else {
                        channel.close(promise: nil)
                        return self.scheduleReopen()
                    }
                    self.attach(handler)
                    self.channel = channel
                    self.handler = handler
                    self.counts.socketReopens += 1
                case .failure:
                    self.scheduleReopen()
                }
            }
    }

    private func scheduleReopen() {
        reopenTimer = eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: .seconds(1)) { [weak self] in
            self?.reopenTimer = nil
            self?.reopen()
        }
    }

    /// Whether the kernel could send from this socket to `destination` at all. Filters the cases
    /// that would otherwise fail the write with an error NIO treats as fatal for the channel.
    private func isRoutable(_ destination: PeerAddress) -> Bool {
        guard destination.port != 0, !destination.host.isUnspecified,
              destination.host.isIPv4 == localAddress.host.isIPv4 else { return false }
        return !Self.isLoopback(localAddress.host) || Self.isLoopback(destination.host)
    }

    /// The largest UDP payload one datagram can carry from a socket bound to `host`: 65,535 bytes less the IPv4
    /// header (20) and the UDP header (8); IPv6 counts its header outside the payload length.
    static func maximumPayload(from host: IPAddress) -> Int {
        host.isIPv4 ? 65_507 : 65_527
    }

    private static func isLoopback(_ host: IPAddress) -> Bool {
        switch host {
        case .v4(let bits): return bits >> 24 == 127
        case .v6(let high, let low): return high == 0 && low == 1
        }
    }
}
