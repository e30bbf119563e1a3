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
    public var eventLoop: any EventLoop { confined.eventLoop }
    /// The bound UDP address (with the real port when bound to port 0).
    public let localAddress: PeerAddress
    /// The node's id.
    public let id: NodeID
    private let confined: LoopConfinedNode<DHTNode, DHTEvent>

    /// Binds `host:port` on `eventLoop`, creates the node there and starts it (bootstrap included).
    public static func start(
        configuration: DHTNodeConfiguration = DHTNodeConfiguration(),
        host: IPAddress = .anyV4, port: UInt16 = 0,
        on eventLoop: any EventLoop,
        random: NodeRandomSource = .system,
        setUp: @escaping @Sendable (DHTNode) -> Void = { _ in }
    ) async throws -> DHTNodeHandle {
        let (confined, localAddress, id) = try await LoopConfinedNode<DHTNode, DHTEvent>.start(
            host: host, port: port, on: eventLoop,
            make: { transport, scheduler, publish in
                let node = try DHTNode(configuration: configuration, transport: transport, scheduler: scheduler, random: random)
                node.onEvent = publish
                return node
            },
            start: { node in
                setUp(node)
                node.start()
            })
        return DHTNodeHandle(localAddress: localAddress, id: id, confined: confined)
    }

    /// Runs `body` with the node on its loop and returns its result.
    public func withNode<Result: Sendable>(_ body: @escaping @Sendable (DHTNode) throws -> Result) async throws -> Result {
        try await confined.withNode(body)
    }

    /// Waits until the node's first bootstrap has finished.
    public func ready() async throws { try await confined.ready() }

    /// Pings `address`; the reply says where it sees us.
    public func ping(_ address: PeerAddress) async throws -> PingReply { try await confined.ping(address) }

    /// Punches a hole to `peer` through `referrer` (by default with direct pings that open our own NAT).
    public func holepunch(peer: PeerAddress, referrer: PeerAddress,
                          options: HolepunchOptions = HolepunchOptions()) async throws -> PingReply {
        try await confined.holepunch(peer: peer, referrer: referrer, options: options)
    }

    /// Runs a walk; the stream yields answers as they arrive, then the summary.
    public func query(_ query: DHTQuery, options: QueryOptions = QueryOptions()) async throws -> AsyncStream<QueryEvent> {
        try await withNode { $0.query(query, options: options) }
    }

    /// Re-runs the bootstrap walk and waits for it to end.
    public func bootstrap() async throws -> QuerySummary? { try await confined.bootstrap() }

    /// A copy of the node's state.
    public func snapshot() async throws -> DHTNodeSnapshot {
        try await withNode { $0.snapshot() }
    }

    /// A stream of the node's events from now on. A slow consumer loses the oldest events beyond
    /// `bufferingNewest`, never slowing the node or growing memory without bound.
    public func events(bufferingNewest limit: Int = 10_000) async throws -> AsyncStream<DHTEvent> {
        try await confined.events(bufferingNewest: limit)
    }

    /// The node's events from now on in batches, handed over at most once per `interval` (a few task
    /// wake-ups a second however many events there are); each batch keeps the newest `limit` events of
    /// its interval, and a slow consumer loses the oldest batches beyond `bufferedBatches`. Each batch
    /// says how many events were lost before it (``EventBatch/dropped``).
    public func eventBatches(every interval: Duration = .milliseconds(20), limit: Int = 10_000,
                             bufferedBatches: Int = 64) async throws -> AsyncStream<EventBatch<DHTEvent>> {
        try await confined.eventBatches(every: interval, limit: limit, bufferedBatches: bufferedBatches)
    }

    /// Closes the node (and its socket) and ends every event stream.
    public func close() async { await confined.close() }
}
