import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import NATDiagnosis
import NIOCore
import NIODatagramTransport
import UDPRequest

/// Everything a running hyperdht node reports: DHT-level events and what its store serves.
public enum NodeEvent: Sendable {
    /// A ``DHTEvent`` of the DHT node underneath.
    case dht(DHTEvent)
    /// A ``HyperDHTEvent``: what the peer store serves and what our announces and lookups find.
    case hyperdht(HyperDHTEvent)
    /// A step or the verdict of the follow-up probes after a failed punch
    /// (``HyperDHTHandle/holepunchExplained(peer:referrer:options:hints:)``).
    case punchFollowUp(PunchFailureProbe.Event)
}

/// A point-in-time copy of a hyperdht node: the DHT snapshot plus the stored announcements.
public struct HyperDHTSnapshot: Sendable {
    /// The DHT node's state.
    public var dht: DHTNodeSnapshot
    /// Every stored key with its live peers, at the time of the snapshot.
    public var store: [(key: NodeID, peers: [StoredPeer])]
    /// The store's limits.
    public var storeConfiguration: PeerStoreConfiguration
}

/// A Sendable handle to a ``HyperDHTNode`` running over real UDP on one SwiftNIO event loop: what the
/// command line and the monitor drive. Every call hops onto the loop; none blocks the node.
public struct HyperDHTHandle: Sendable {
    /// The loop the node runs on.
    public var eventLoop: any EventLoop { confined.eventLoop }
    /// The bound UDP address.
    public let localAddress: PeerAddress
    /// Our LAN address, shared with the nodes storing our announcements (hyperdht's `localAddress`) so
    /// hosts behind the same NAT find each other directly: found when bound to an unspecified host,
    /// from the route toward the first bootstrap node; `nil` when sharing is off, the route is loopback
    /// (nothing to share) or IPv6 (the field carries IPv4 only), or there is no bootstrap node.
    public let lanAddress: PeerAddress?
    /// The node's id.
    public let id: NodeID
    let confined: LoopConfinedNode<HyperDHTNode, NodeEvent>

    /// Binds `host:port` on `eventLoop`, creates the node there and starts it (bootstrap included).
    public static func start(
        configuration: DHTNodeConfiguration = DHTNodeConfiguration(),
        store: PeerStoreConfiguration = PeerStoreConfiguration(),
        host: IPAddress = .anyV4, port: UInt16 = 0,
        sharesLANAddress: Bool = true,
        on eventLoop: any EventLoop,
        random: NodeRandomSource = .system
    ) async throws -> HyperDHTHandle {
        let (confined, localAddress, id) = try await LoopConfinedNode<HyperDHTNode, NodeEvent>.start(
            host: host, port: port, on: eventLoop,
            make: { transport, scheduler, publish in
                var random = random
                let dht = try DHTNode(configuration: configuration, transport: transport, scheduler: scheduler,
                                      random: .seeded(random.next()))
                let node = HyperDHTNode(dht: dht, store: store, random: random)
                dht.onEvent = { publish(.dht($0)) }
                node.onEvent = { publish(.hyperdht($0)) }
                return node
            },
            start: { $0.start() })
        var lanAddress: PeerAddress?
        if sharesLANAddress, host.isUnspecified, let bootstrap = configuration.bootstrap.first,
           let source = await LocalRoute.sourceHost(toward: bootstrap, on: eventLoop), !source.isLoopback,
           source.unmappedIPv4 != nil {  // hyperdht's localAddress field carries IPv4 only
            let address = PeerAddress(host: source, port: localAddress.port)
            lanAddress = address
            try await confined.withNode { $0.lanAddress = address }
        }
        return HyperDHTHandle(localAddress: localAddress, lanAddress: lanAddress, id: id, confined: confined)
    }

    /// Runs `body` with the node on its loop and returns its result.
    public func withNode<Result: Sendable>(_ body: @escaping @Sendable (HyperDHTNode) throws -> Result) async throws -> Result {
        try await confined.withNode(body)
    }

    /// Waits until the first bootstrap has finished.
    public func ready() async throws { try await confined.ready() }

    /// Re-runs the bootstrap walk and waits for it to end.
    public func bootstrap() async throws -> QuerySummary? { try await confined.bootstrap() }

    /// Pings `address`; the reply says where it sees us.
    public func ping(_ address: PeerAddress) async throws -> PingReply { try await confined.ping(address) }

    /// Punches a hole to `peer` through `referrer` (by default with direct pings that open our own NAT).
    public func holepunch(peer: PeerAddress, referrer: PeerAddress,
                          options: HolepunchOptions = HolepunchOptions()) async throws -> PingReply {
        try await confined.holepunch(peer: peer, referrer: referrer, options: options)
    }

    /// Announces under `key` (with `localAddress`, or else ``lanAddress`` when there is one); the stream
    /// yields the peers found, then the summary.
    public func announce(key: NodeID, port: UInt16 = 0, localAddress: PeerAddress? = nil) async throws -> AsyncStream<PeerQueryEvent> {
        let localAddress = localAddress ?? lanAddress
        return try await peerStream { node, onResult, onFinish in
            node.announce(key: key, port: port, localAddress: localAddress, onResult: onResult, onFinish: onFinish)
        }
    }

    /// Looks `key` up (with `localAddress`, or else ``lanAddress``, to also get peers on our LAN); the
    /// stream yields the peers found, then the summary.
    public func lookup(key: NodeID, localAddress: PeerAddress? = nil) async throws -> AsyncStream<PeerQueryEvent> {
        let localAddress = localAddress ?? lanAddress
        return try await peerStream { node, onResult, onFinish in
            node.lookup(key: key, localAddress: localAddress, onResult: onResult, onFinish: onFinish)
        }
    }

    /// Withdraws an announcement; returns the walk's summary.
    public func unannounce(key: NodeID, port: UInt16 = 0, localAddress: PeerAddress? = nil) async throws -> QuerySummary {
        let localAddress = localAddress ?? lanAddress
        return try await confined.callback { node, done in
            node.unannounce(key: key, port: port, localAddress: localAddress) { done($0) }
        }
    }

    /// Keeps `key` announced (with `localAddress`, or else ``lanAddress``): renewed every `interval`, the
    /// storing nodes pinged per `keepAlive` in between, until the returned handle is cancelled or the
    /// node closes. The stream yields the first round's peers, then its summary.
    public func keepAnnounced(key: NodeID, port: UInt16 = 0, localAddress: PeerAddress? = nil,
                              interval: Duration = HyperDHTNode.reannounceInterval,
                              keepAlive: KeepAliveConfiguration = KeepAliveConfiguration()
    ) async throws -> (firstRound: AsyncStream<PeerQueryEvent>, kept: KeptAnnouncement) {
        let eventLoop = self.eventLoop
        let localAddress = localAddress ?? lanAddress
        let (stream, continuation) = AsyncStream<PeerQueryEvent>.makeStream()
        let kept = try await withNode { node in
            let first = FirstRoundFlag()
            let handle = node.keepAnnounced(
                key: key, port: port, localAddress: localAddress, interval: interval, keepAlive: keepAlive,
                onResult: { if first.open { continuation.yield(.result($0)) } },
                onRound: { summary in
                    guard first.open else { return }
                    first.open = false
                    continuation.yield(.finished(summary))
                    continuation.finish()
                })
            return KeptAnnouncement(eventLoop: eventLoop, handle: NIOLoopBound(handle, eventLoop: eventLoop))
        }
        return (stream, kept)
    }

    /// A copy of the node's state.
    public func snapshot() async throws -> HyperDHTSnapshot {
        try await withNode { node in
            HyperDHTSnapshot(dht: node.dht.snapshot(), store: node.store.allEntries(now: node.dht.scheduler.now),
                             storeConfiguration: node.store.configuration)
        }
    }

    /// A stream of the node's events from now on; a slow consumer loses the oldest beyond `limit`.
    public func events(bufferingNewest limit: Int = 10_000) async throws -> AsyncStream<NodeEvent> {
        try await confined.events(bufferingNewest: limit)
    }

    /// The node's events from now on in batches, handed over at most once per `interval` (a few task
    /// wake-ups a second however many events there are); each batch keeps the newest `limit` events of
    /// its interval, and a slow consumer loses the oldest batches beyond `bufferedBatches`. Each batch
    /// says how many events were lost before it (``EventBatch/dropped``).
    public func eventBatches(every interval: Duration = .milliseconds(20), limit: Int = 10_000,
                             bufferedBatches: Int = 64) async throws -> AsyncStream<EventBatch<NodeEvent>> {
        try await confined.eventBatches(every: interval, limit: limit, bufferedBatches: bufferedBatches)
    }

    /// Closes the node and ends every event stream.
    public func close() async { await confined.close() }

    private func peerStream(
        _ start: @escaping @Sendable (HyperDHTNode, @escaping (PeerResult) -> Void, @escaping (QuerySummary) -> Void) -> Void
    ) async throws -> AsyncStream<PeerQueryEvent> {
        let (stream, continuation) = AsyncStream<PeerQueryEvent>.makeStream()
        try await withNode { node in
            start(node, { continuation.yield(.result($0)) }, { summary in
                continuation.yield(.finished(summary))
                continuation.finish()
            })
        }
        return stream
    }
}

/// Whether a kept announcement's first round is still being reported (confined to the node's loop).
private final class FirstRoundFlag {
    var open = true
}

/// A key kept announced by ``HyperDHTHandle/keepAnnounced(key:port:localAddress:interval:keepAlive:)``.
public struct KeptAnnouncement: Sendable {
    let eventLoop: any EventLoop
    let handle: NIOLoopBound<any Cancellable>

    /// Stops renewing the announcement (it then ages out of the storing nodes).
    public func cancel() {
        let handle = self.handle
        eventLoop.execute { handle.value.cancel() }
    }
}
