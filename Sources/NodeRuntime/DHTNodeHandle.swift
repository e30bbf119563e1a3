import DHTRPC
import IPEncoding
import KBucket
import NIOCore
import NIODatagramTransport
import UDPRequest

/// A Sendable handle to a ``DHTNode`` running over real UDP on one SwiftNIO event loop: the way
/// async code (the command line, the monitor, tests) starts a node, drives it and watches it.
///
/// The node itself stays confined to its loop; every call here hops onto the loop, so calls from
/// any task are safe and never block the node.
public struct DHTNodeHandle: Sendable {
    /// The loop the node runs on.
    public let eventLoop: any EventLoop
    /// The bound UDP address (with the real port when bound to port 0).
    public let localAddress: PeerAddress
    /// The node's id.
    public let id: NodeID
    private let bound: NIOLoopBound<DHTNode>
    private let broadcaster: NIOLoopBound<EventBroadcaster<DHTEvent>>

    /// Binds `host:port` on `eventLoop`, creates the node there and starts it (bootstrap included).
    public static func start(
        configuration: DHTNodeConfiguration = DHTNodeConfiguration(),
        host: IPAddress = .anyV4, port: UInt16 = 0,
        on eventLoop: any EventLoop,
        random: NodeRandomSource = .system,
        setUp: @escaping @Sendable (DHTNode) -> Void = { _ in }
    ) async throws -> DHTNodeHandle {
        let transport = try await UDPDatagramTransport.bind(host: host, port: port, on: eventLoop)
        do {
            return try await eventLoop.submit {
                let scheduler = EventLoopScheduler(eventLoop: eventLoop)
                let node = try DHTNode(configuration: configuration, transport: transport.transport,
                                       scheduler: scheduler, random: random)
                let broadcaster = EventBroadcaster<DHTEvent>()
                node.onEvent = { broadcaster.publish($0) }
                setUp(node)
                node.start()
                return DHTNodeHandle(eventLoop: eventLoop, localAddress: transport.localAddress, id: node.id,
                                     bound: NIOLoopBound(node, eventLoop: eventLoop),
                                     broadcaster: NIOLoopBound(broadcaster, eventLoop: eventLoop))
            }.get()
        } catch {
            await transport.close()
            throw error
        }
    }

    /// Runs `body` with the node on its loop and returns its result.
    public func withNode<Result: Sendable>(_ body: @escaping @Sendable (DHTNode) throws -> Result) async throws -> Result {
        let bound = self.bound
        return try await eventLoop.submit { try body(bound.value) }.get()
    }

    /// Waits until the node's first bootstrap has finished.
    public func ready() async throws {
        let bound = self.bound
        let promise = eventLoop.makePromise(of: Void.self)
        eventLoop.execute { bound.value.whenReady { promise.succeed() } }
        try await promise.futureResult.get()
    }

    /// Pings `address`; the reply says where it sees us.
    public func ping(_ address: PeerAddress) async throws -> PingReply {
        try await call { node, done in node.ping(address, completion: done) }
    }

    /// Punches a hole to `peer` through `referrer`.
    public func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingReply {
        try await call { node, done in node.holepunch(peer: peer, referrer: referrer, completion: done) }
    }

    /// Runs a walk; the stream yields answers as they arrive, then the summary.
    public func query(_ query: DHTQuery, options: QueryOptions = QueryOptions()) async throws -> AsyncStream<QueryEvent> {
        try await withNode { $0.query(query, options: options) }
    }

    /// Re-runs the bootstrap walk and waits for it to end.
    public func bootstrap() async throws -> QuerySummary? {
        let bound = self.bound
        let promise = eventLoop.makePromise(of: QuerySummary?.self)
        eventLoop.execute { bound.value.bootstrap { promise.succeed($0) } }
        return try await promise.futureResult.get()
    }

    /// A copy of the node's state.
    public func snapshot() async throws -> DHTNodeSnapshot {
        try await withNode { $0.snapshot() }
    }

    /// A stream of the node's events from now on. A slow consumer loses the oldest events beyond
    /// `bufferingNewest`, never slowing the node or growing memory without bound.
    public func events(bufferingNewest limit: Int = 10_000) async throws -> AsyncStream<DHTEvent> {
        let broadcaster = self.broadcaster
        let (stream, continuation) = AsyncStream<DHTEvent>.makeStream(bufferingPolicy: .bufferingNewest(limit))
        try await eventLoop.submit { broadcaster.value.subscribe(continuation) }.get()
        return stream
    }

    /// Closes the node (and its socket) and ends every event stream.
    public func close() async {
        let bound = self.bound
        let broadcaster = self.broadcaster
        try? await eventLoop.submit {
            bound.value.close()
            broadcaster.value.finish()
        }.get()
    }

    private func call<Value: Sendable>(
        _ body: @escaping @Sendable (DHTNode, @escaping @Sendable (Result<Value, DHTError>) -> Void) -> Void
    ) async throws -> Value {
        let bound = self.bound
        let promise = eventLoop.makePromise(of: Value.self)
        eventLoop.execute {
            body(bound.value) { result in promise.completeWith(result.mapError { $0 as any Error }) }
        }
        return try await promise.futureResult.get()
    }
}
