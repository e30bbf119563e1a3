import IPEncoding
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import UDPRequest

/// A minimal HTTP/1 server for Prometheus scrapes: `GET /metrics` answered with what `render`
/// returns, every other path 404 (``MetricsRequestHandler``). Bounded: at most
/// ``Limits/maximumConnections`` connections at once (more are closed at accept), one request per
/// connection of at most ``Limits/maximumRequestBytes`` bytes, and each connection closed after
/// ``Limits/connectionLifetime`` however busy or idle it is (``ConnectionGuard``).
public final class MetricsServer: Sendable {
    /// The server's bounds.
    public struct Limits: Sendable {
        /// Connections served at once.
        public var maximumConnections = 16
        /// Bytes a request (line and headers) may take.
        public var maximumRequestBytes = 8 * 1024
        /// How long a connection may stay open.
        public var connectionLifetime: Duration = .seconds(10)

        /// The defaults.
        public init() {}
    }

    /// Where the server listens (with the real port when asked for port 0).
    public let address: PeerAddress
    private let channel: any Channel
    private let counts: NIOLockedValueBox<(open: Int, refused: Int)>

    /// Listens on `host:port` (port 0: any free port) on `group`; throws ``MetricsServerError`` when
    /// it cannot.
    public static func start(host: IPAddress, port: UInt16, on group: any EventLoopGroup, limits: Limits = Limits(),
                             render: @escaping @Sendable () async -> String) async throws -> MetricsServer {
        let counts = NIOLockedValueBox((open: 0, refused: 0))
        let lifetime = TimeAmount.nanoseconds(limits.connectionLifetime.nanosecondsClamped)
        let channel: any Channel
        do {
            channel = try await ServerBootstrap(group: group)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelOption(.backlog, value: 32)
                .childChannelInitializer { child in
                    let admitted = counts.withLockedValue { counts in
                        guard counts.open < limits.maximumConnections else {
                            counts.refused += 1
                            return false
                        }
                        counts.open += 1
                        return true
                    }
                    guard admitted else {
                        child.close(promise: nil)
                        return child.eventLoop.makeSucceededVoidFuture()
                    }
                    child.closeFuture.whenComplete { _ in counts.withLockedValue { $0.open -= 1 } }
                    do {
                        let pipeline = child.pipeline.syncOperations
                        try pipeline.addHandler(ConnectionGuard(maximumRequestBytes: limits.maximumRequestBytes, lifetime: lifetime))
                        try pipeline.addHandler(HTTPResponseEncoder())
                        try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
                        try pipeline.addHandler(MetricsRequestHandler(render: render))
                        return child.eventLoop.makeSucceededVoidFuture()
                    } catch {
                        return child.eventLoop.makeFailedFuture(error)
                    }
                }
                .bind(host: "\(host)", port: Int(port)).get()
        } catch {
            throw MetricsServerError.bind(error, host: "\(host)", port: Int(port))
        }
        let bound = channel.localAddress?.port.map { UInt16(clamping: $0) } ?? port
        return MetricsServer(address: PeerAddress(host: host, port: bound), channel: channel, counts: counts)
    }

    private init(address: PeerAddress, channel: any Channel, counts: NIOLockedValueBox<(open: Int, refused: Int)>) {
        self.address = address
        self.channel = channel
        self.counts = counts
    }

    /// The URL a scraper uses.
    public var url: String { "http://\(address)/metrics" }

    /// Connections open now and connections refused so far (over ``Limits/maximumConnections``).
    public var connections: (open: Int, refused: Int) { counts.withLockedValue { $0 } }

    /// Stops listening (connections open finish or hit their deadline).
    public func close() async {
        try? await channel.close()
    }
}
