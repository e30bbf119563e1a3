import IPEncoding
import NIOCore
import NIOPosix

extension UDPDatagramTransport {
    /// Binds a UDP socket at `host:port` (port 0 picks a free port) on `eventLoop` and returns a
    /// Sendable handle to the new transport. Safe to call from any async context.
    ///
    /// ```swift
    /// let handle = try await UDPDatagramTransport.bind(host: .loopbackV4, port: 0, on: loop)
    /// print(handle.localAddress)            // the real port
    /// try await handle.withTransport { transport in
    ///     let scheduler = EventLoopScheduler(eventLoop: transport.eventLoop)
    ///     // create the protocol objects here, on the loop
    /// }
    /// ```
    /// `maximumDatagramSize` bounds what one read accepts; longer datagrams are dropped and counted
    /// (``UDPTransportStatistics/datagramsOversized``), never delivered cut short.
    public static func bind(
        host: IPAddress, port: UInt16 = 0, on eventLoop: any EventLoop, maximumDatagramSize: Int = 65_536
    ) async throws(UDPTransportError) -> UDPTransportHandle {
        let requested = PeerAddress(host: host, port: port)
        do {
            return try await bindFuture(at: requested, on: eventLoop, maximumDatagramSize: maximumDatagramSize).get()
        } catch let error as UDPTransportError {
            throw error
        } catch {
            throw .bindFailed(address: requested, reason: String(describing: error))
        }
    }

    /// Binds on the loop and builds the transport there; the future fails with a
    /// ``UDPTransportError``.
    static func bindFuture(
        at requested: PeerAddress, on eventLoop: any EventLoop, maximumDatagramSize: Int
    ) -> EventLoopFuture<UDPTransportHandle> {
        openChannel(at: requested, on: eventLoop, maximumDatagramSize: maximumDatagramSize)
            .flatMapErrorThrowing { error in
                throw UDPTransportError.bindFailed(address: requested, reason: String(describing: error))
            }
            .flatMapThrowing { channel in
                // On the channel's loop, which is `eventLoop`.
                do {
                    let handler = try channel.pipeline.syncOperations.handler(type: UDPDatagramHandler.self)
                    guard let socketAddress = channel.localAddress, let local = PeerAddress(socketAddress) else {
                        throw UDPTransportError.unsupportedLocalAddress(String(describing: channel.localAddress))
                    }
                    let transport = UDPDatagramTransport(
                        channel: channel, handler: handler, localAddress: local,
                        maximumDatagramSize: maximumDatagramSize)
                    return UDPTransportHandle(transport)
                } catch {
                    channel.close(promise: nil)
                    throw error
                }
            }
    }

    /// How many datagrams one `recvmmsg` reads at most (Linux), each into a slot of its own.
    static var datagramsPerVectorRead: Int {
        #if os(Linux) || os(Android)
        return 16
        #else
        return 1  // NIO's vector reads need recvmmsg
        #endif
    }

    /// How many reads one readiness event makes at most: up to 4 × 16 datagrams per read burst.
    static var readsPerBurst: Int { datagramsPerVectorRead > 1 ? 4 : 16 }

    /// Opens a datagram channel at `address` with a ``UDPDatagramHandler`` installed before the
    /// first read.
    ///
    /// On Linux the channel reads with `recvmmsg`, ``datagramsPerVectorRead`` datagrams at a time, each into a slot of
    /// at least `maximumDatagramSize + 1` bytes (NIO splits one receive buffer into equal slots and cuts a longer
    /// datagram to its slot without saying so): a datagram that fills more than `maximumDatagramSize` bytes of its
    /// slot was longer than the limit, and the transport drops and counts it (``UDPTransportStatistics/datagramsOversized``).
    /// With the default limit (65,536) no UDP datagram can be that long. Only the pages a datagram is written to are
    /// ever touched, so the large buffer costs little memory; NIO reuses it from read to read.
    static func openChannel(
        at address: PeerAddress, on eventLoop: any EventLoop, maximumDatagramSize: Int
    ) -> EventLoopFuture<any Channel> {
        let slots = datagramsPerVectorRead
        var bootstrap = DatagramBootstrap(group: eventLoop)
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: (maximumDatagramSize + 1) * slots))
            .channelOption(.maxMessagesPerRead, value: UInt(readsPerBurst))
        if slots > 1 {
            bootstrap = bootstrap.channelOption(.datagramVectorReadMessageCount, value: slots)
        }
        return bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UDPDatagramHandler())
                }
            }
            .bind(to: SocketAddress(address))
    }
}
