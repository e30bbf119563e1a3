import DHTMessages
import DHTRPC
import Foundation
import IPEncoding
import KBucket
import UDPRequest

/// A hyperdht 1.3 node: a ``DHTNode`` that stores announcements for others (the `peers` command)
/// and announces, unannounces and looks up 32-byte keys itself.
///
/// Confined to its node's scheduler context, like the ``DHTNode`` it wraps.
public final class HyperDHTNode {
    /// The command hyperdht registers on dht-rpc.
    public static let peersCommand = "peers"
    /// How often a kept announcement is renewed (hyperdht's README: every 4–5 minutes).
    public static let reannounceInterval: Duration = .seconds(4 * 60)

    /// The DHT node underneath.
    public let dht: DHTNode
    /// Receives what this node stores and serves.
    public var onEvent: ((HyperDHTEvent) -> Void)?
    /// The announcements this node stores for others.
    public private(set) var store: PeerStore
    /// Our address on the LAN, when bound to an unspecified host (set by the runtime from the route
    /// toward the bootstrap nodes): tells a public node from a NAT'd one in keep-alive rounds.
    public var lanAddress: PeerAddress?

    /// Shuffles the peers of each reply (spread, not secrecy: a seeded generator, see
    /// ``NodeRandomSource/forNonSecretDraws()``).
    private var random: NodeRandomSource
    private var sweepTimer: (any Cancellable)?

    /// Wraps `dht` (not yet started) and registers the `peers` handler.
    public init(dht: DHTNode, store: PeerStoreConfiguration = PeerStoreConfiguration(),
                random: NodeRandomSource = .system) {
        self.dht = dht
        self.store = PeerStore(configuration: store)
        var random = random
        self.random = random.forNonSecretDraws()
        dht.setHandler(for: Self.peersCommand) { [weak self] query in self?.serve(query) ?? .ignore }
        // A peer announced here is one a requester learned from us: we forward punches to it.
        dht.vouchesForForwardTarget = { [weak self] address in self?.store.containsPeer(at: address) ?? false }
    }

    /// Starts the DHT node and the store's expiry sweep.
    public func start() {
        dht.start()
        scheduleSweep()
    }

    /// Stops everything.
    public func close() {
        sweepTimer?.cancel()
        sweepTimer = nil
        dht.close()
    }

    private func serve(_ query: IncomingQuery) -> QueryReply {
        let (reply, event) = PeerRequestHandler.handle(query, store: &store, now: dht.scheduler.now, using: &random)
        if let event { onEvent?(event) }
        return reply
    }

    /// Ages out expired announcements on a schedule (not only when read), at the next expiry time.
    private func scheduleSweep() {
        guard !dht.isClosed else { return }
        let next = max(store.nextExpiry ?? dht.scheduler.now + .seconds(30), dht.scheduler.now + .seconds(1))
        sweepTimer = dht.scheduler.schedule(at: min(next, dht.scheduler.now + .seconds(30))) { [weak self] in
            guard let self else { return }
            let expired = self.store.removeExpired(now: self.dht.scheduler.now)
            if expired > 0 { self.onEvent?(.storeTrimmed(expired: expired, evicted: 0)) }
            self.scheduleSweep()
        }
    }

    // MARK: - Client API

    /// Announces this node under `key` at `port` (0: the UDP source port others see), with an
    /// optional LAN address; reports the peers found on the way (and in the local store).
    @discardableResult
    public func announce(key: NodeID, port: UInt16 = 0, localAddress: PeerAddress? = nil,
                         onResult: @escaping (PeerResult) -> Void,
                         onFinish: @escaping (QuerySummary) -> Void) -> QueryID? {
        announce(key: key, port: port, localAddress: localAddress, onResult: onResult) { summary, _ in onFinish(summary) }
    }

    /// The announce walk; `onFinish` also gets the nodes that took the commit – the nodes now storing
    /// the announcement, the ones a hole punch to us goes through.
    @discardableResult
    func announce(key: NodeID, port: UInt16, localAddress: PeerAddress?,
                  onResult: @escaping (PeerResult) -> Void,
                  onFinish: @escaping (QuerySummary, _ storingNodes: [NodeReference]) -> Void) -> QueryID? {
        let request = peerRequest(.announce, port: port, localAddress: localAddress)
        let walk = WalkIDCell()
        let report = reporting(key: key, walk: walk, onResult)
        answerLocally(key: key, request: request, localAddress: localAddress, onResult: report)
        var storing: [NodeReference] = []
        walk.id = dht.update(DHTQuery(command: Self.peersCommand, target: key, value: request), reportQueryPhase: true,
                             onResult: { [weak self] result in
                                 if result.isCommit, !storing.contains(result.node) { storing.append(result.node) }
                                 self?.map(result, localAddress: localAddress).map(report)
                             },
                             onFinish: { onFinish($0, storing) })
        return started(walk.id, .announce, key: key)
    }

    /// Withdraws an announcement of `port` under `key` from the closest nodes.
    @discardableResult
    public func unannounce(key: NodeID, port: UInt16 = 0, localAddress: PeerAddress? = nil,
                           onFinish: @escaping (QuerySummary) -> Void) -> QueryID? {
        let request = peerRequest(.unannounce, port: port, localAddress: localAddress)
        let id = dht.update(DHTQuery(command: Self.peersCommand, target: key, value: request),
                            onResult: { _ in }, onFinish: onFinish)
        return started(id, .unannounce, key: key)
    }

    /// Looks `key` up: every node on the way that stores peers for it reports them.
    @discardableResult
    public func lookup(key: NodeID, localAddress: PeerAddress? = nil,
                       onResult: @escaping (PeerResult) -> Void,
                       onFinish: @escaping (QuerySummary) -> Void) -> QueryID? {
        let request = peerRequest(.lookup, port: 0, localAddress: localAddress)
        let walk = WalkIDCell()
        let report = reporting(key: key, walk: walk, onResult)
        answerLocally(key: key, request: request, localAddress: localAddress, onResult: report)
        walk.id = dht.query(DHTQuery(command: Self.peersCommand, target: key, value: request),
                            onResult: { [weak self] in self?.map($0, localAddress: localAddress).map(report) },
                            onFinish: onFinish)
        return started(walk.id, .lookup, key: key)
    }

    /// hyperdht's `_processPeersLocal`: this node's own store answers first.
    private func answerLocally(key: NodeID, request: Data, localAddress: PeerAddress?, onResult: @escaping (PeerResult) -> Void) {
        guard store.contains(key: key) else { return }
        let selfReference = NodeReference(id: dht.id, address: dht.localAddress)
        let query = IncomingQuery(node: selfReference, command: Self.peersCommand, target: key, value: request, isUpdate: false)
        let (reply, _) = PeerRequestHandler.handle(query, store: &store, now: dht.scheduler.now, using: &random)
        guard case .respond(let value?) = reply,
              let result = map(QueryResult(node: selfReference, value: value, isCommit: false), localAddress: localAddress)
        else { return }
        var local = result
        local.isLocal = true
        dht.scheduler.schedule(after: .zero) { onResult(local) }
    }

    /// Publishes which kind of walk `id` is (observers see only `peers` in the DHT's own event).
    private func started(_ id: QueryID?, _ type: PeerRequestType, key: NodeID) -> QueryID? {
        if let id { onEvent?(.peerWalkStarted(query: id, type: type, key: key)) }
        return id
    }

    /// Wraps `onResult` so every remote answer with peers is also published as
    /// ``HyperDHTEvent/peersFound`` (our own store's answer names no referrer worth punching through).
    private func reporting(key: NodeID, walk: WalkIDCell,
                           _ onResult: @escaping (PeerResult) -> Void) -> (PeerResult) -> Void {
        { [weak self] result in
            if !result.isLocal, let id = walk.id, !result.peers.isEmpty || !result.localPeers.isEmpty {
                self?.onEvent?(.peersFound(query: id, key: key, node: result.node, peers: result.peers,
                                           localPeers: result.localPeers))
            }
            onResult(result)
        }
    }

    /// hyperdht's `mapper`: decode a node's answer; answers without a `peers` field are not reported.
    private func map(_ result: QueryResult, localAddress: PeerAddress?) -> PeerResult? {
        guard let value = result.value,
              let response = try? Hyperdht_Response(serializedBytes: [UInt8](value)),
              response.hasPeers,
              let peers = try? PeerListCodec.ipv4.decode(response.peers, trailingBytes: .ignore) else { return nil }
        var localPeers: [PeerAddress] = []
        if let localAddress, response.hasLocalPeers {
            localPeers = (try? LocalPeersCodec.decode(response.localPeers, requesterLocalAddress: localAddress,
                                                      trailingBytes: .ignore)) ?? []
        }
        return PeerResult(node: result.node, peers: peers, localPeers: localPeers, isLocal: false)
    }

    private func peerRequest(_ type: PeerRequestType, port: UInt16, localAddress: PeerAddress?) -> Data {
        PeerRequest(type: type, port: port, localAddress: localAddress).encoded
    }
}

/// The id of a walk, known once the walk has started; answers (which always arrive later) read it.
private final class WalkIDCell {
    var id: QueryID?
}
