import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import NIOCore
import NIODatagramTransport
import UDPRequest

/// A protocol object that runs a ``DHTNode`` (the node itself, or a layer wrapping one): what the
/// handles' DHT-level calls – ready, bootstrap, ping, hole punch – reach through.
protocol DHTHosting: AnyObject, SendableMetatype {
    /// The DHT node underneath.
    var dht: DHTNode { get }
    /// Stops the node.
    func close()
}

extension DHTNode: DHTHosting {
    var dht: DHTNode { self }
}

extension HyperDHTNode: DHTHosting {}

/// The plumbing both handles share: a node confined to one event loop, its event fan-out, and the
/// hops onto the loop that make every call safe from any task without ever blocking the node.
struct LoopConfinedNode<Node: DHTHosting, Event: Sendable>: Sendable {
    /// The loop the node runs on.
    let eventLoop: any EventLoop
    private let bound: NIOLoopBound<Node>
    let broadcaster: NIOLoopBound<EventBroadcaster<Event>>

    /// Binds `host:port` on `eventLoop`, then builds the node there with `make` (given the transport,
    /// the loop's scheduler and a publisher for its events) and starts it with `start`.
    static func start(
        host: IPAddress, port: UInt16, on eventLoop: any EventLoop,
        make: @escaping @Sendable (any DatagramTransport, EventLoopScheduler, @escaping (Event) -> Void) throws -> Node,
        start: @escaping @Sendable (Node) -> Void
    ) async throws -> (node: LoopConfinedNode, localAddress: PeerAddress, id: NodeID) {
        let transport = try await UDPDatagramTransport.bind(host: host, port: port, on: eventLoop)
        do {
            return try await eventLoop.submit {
                let scheduler = EventLoopScheduler(eventLoop: eventLoop)
                let broadcaster = EventBroadcaster<Event>(eventLoop: eventLoop, clock: { scheduler.now })
                let node = try make(transport.transport, scheduler) { broadcaster.publish($0) }
                start(node)
                let confined = LoopConfinedNode(eventLoop: eventLoop, bound: NIOLoopBound(node, eventLoop: eventLoop),
                                                broadcaster: NIOLoopBound(broadcaster, eventLoop: eventLoop))
                return (confined, transport.localAddress, node.dht.id)
            }.get()
        } catch {
            await transport.close()
            throw error
        }
    }

    /// Runs `body` with the node on its loop and returns its result.
    func withNode<Result: Sendable>(_ body: @escaping @Sendable (Node) throws -> Result) async throws -> Result {
        let bound = self.bound
        return try await eventLoop.submit { try body(bound.value) }.get()
    }

    /// Starts a callback-style operation on the loop and waits for its single callback.
    func callback<Value: Sendable>(_ body: @escaping @Sendable (Node, @escaping @Sendable (Value) -> Void) -> Void) async throws -> Value {
        let bound = self.bound
        let promise = eventLoop.makePromise(of: Value.self)
        eventLoop.execute { body(bound.value) { promise.succeed($0) } }
        return try await promise.futureResult.get()
    }

    /// Starts an operation that completes with a `Result` and returns its value or throws its error.
    func call<Value: Sendable>(
        _ body: @escaping @Sendable (Node, @escaping @Sendable (Result<Value, DHTError>) -> Void) -> Void
    ) async throws -> Value {
        try await callback(body).get()
    }

    /// Waits until the node's first bootstrap has finished.
    func ready() async throws {
        try await callback { node, done in node.dht.whenReady { done(()) } }
    }

    /// Re-runs the bootstrap walk and waits for it to end.
    func bootstrap() async throws -> QuerySummary? {
        try await callback { node, done in node.dht.bootstrap { done($0) } }
    }

    /// Pings `address`.
    func ping(_ address: PeerAddress) async throws -> PingReply {
        try await call { node, done in node.dht.ping(address, completion: done) }
    }

    /// Punches a hole to `peer` through `referrer`.
    func holepunch(peer: PeerAddress, referrer: PeerAddress, options: HolepunchOptions) async throws -> PingReply {
        try await call { node, done in node.dht.holepunch(peer: peer, referrer: referrer, options: options, completion: done) }
    }

    /// A stream of the node's events from now on; a slow consumer loses the oldest beyond `limit`.
    func events(bufferingNewest limit: Int) async throws -> AsyncStream<Event> {
        let broadcaster = self.broadcaster
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(limit))
        try await eventLoop.submit { broadcaster.value.subscribe(continuation) }.get()
        return stream
    }

    /// The node's events from now on, handed over in batches at most once per `interval`; a batch
    /// keeps at most the newest `limit` events of its interval, and a slow consumer loses the oldest
    /// batches beyond `bufferedBatches` – each batch counts what was lost before it.
    func eventBatches(every interval: Duration, limit: Int, bufferedBatches: Int) async throws -> AsyncStream<EventBatch<Event>> {
        let broadcaster = self.broadcaster
        let (stream, continuation) = AsyncStream<EventBatch<Event>>.makeStream(bufferingPolicy: .bufferingNewest(max(1, bufferedBatches)))
        try await eventLoop.submit {
            broadcaster.value.subscribeBatches(continuation, interval: TimeAmount(interval), limit: limit)
        }.get()
        return stream
    }

    /// Closes the node and ends every event stream.
    func close() async {
        let bound = self.bound
        let broadcaster = self.broadcaster
        try? await eventLoop.submit {
            bound.value.close()
            broadcaster.value.finish()
        }.get()
    }
}
