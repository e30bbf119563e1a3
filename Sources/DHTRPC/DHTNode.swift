import DHTMessages
import Foundation
import IPEncoding
import KBucket
import UDPRequest

/// A dht-rpc 2.3 node over an injected transport and scheduler: keeps a k-bucket routing table up to
/// date from every datagram, answers `_ping` (with the address it sees the requester at) and
/// `_find_node`, hands other commands to registered handlers with round-trip tokens, forwards
/// hole-punch pings, and runs iterative queries and updates.
///
/// Confined to its scheduler's context (an event loop or a simulation); not thread-safe. Everything
/// it does is reported through ``onEvent`` and ``snapshot()``.
public final class DHTNode {
    /// Length in bytes of node ids, targets and round-trip tokens.
    public static let idLength = 32

    /// This node's id.
    public let id: NodeID
    /// The options it runs with.
    public let configuration: DHTNodeConfiguration
    /// The scheduler it runs on.
    public let scheduler: any Scheduler
    /// Receives every ``DHTEvent``.
    public var onEvent: ((DHTEvent) -> Void)?
    /// Whether the first bootstrap has finished.
    public private(set) var isReady = false
    /// Whether ``close()`` was called.
    public private(set) var isClosed = false
    /// Lets an upper layer vouch for a hole-punch forward target the routing table does not hold
    /// (HyperDHT: a peer announced in its store). See ``ForwardingPolicy``.
    public var vouchesForForwardTarget: ((PeerAddress) -> Bool)?

    let socket: RequestSocket
    /// ``id`` as the bytes every request and response carries (built once: `NodeID.bytes` is slow unoptimised).
    private let idData: Data
    var table: KBucketTree<RoutingContact>
    var random: NodeRandomSource
    private var tokens: RoundTripTokens
    private var handlers: [String: (IncomingQuery) -> QueryReply] = [:]
    private var queue = OutgoingRequestQueue()
    private var walks: [QueryID: QueryWalk] = [:]
    private var nextQueryID: QueryID = 0
    var tick = 0
    /// Bootstrap walks running (the first one, one a caller asked for, or an upkeep retry).
    var bootstrapsRunning = 0
    var contactSequence: UInt64 = 0
    private var timers: [any Cancellable] = []
    var repinging: Set<NodeID> = []
    /// Stale contacts with a background ping in flight.
    var stalePinging: Set<NodeID> = []
    /// Round trips of the answers received; gives each request its soft deadline.
    var roundTrips = RoundTripEstimator()
    /// Requests past their soft deadline and not yet finished: they no longer hold a concurrency slot.
    private(set) var overdueRequests = 0
    /// Addresses that recently stayed silent to a walk, even after a punch.
    var silentPeers = SilentPeerMemory()
    private var readyWaiters: [() -> Void] = []
    var stats = DHTCounters()
    let startedAt: Timestamp
    var recentSenders: RecentSenders
    var forwardLimiter: SourceRateLimiter
    /// Which empty far buckets are due for a refresh walk.
    var refreshSchedule: BucketRefreshSchedule

    /// Creates a node on `transport` (which it takes over) and `scheduler`, drawing its id (unless
    /// configured), secrets and first transaction id from `random`. Call ``start()`` to begin.
    public init(
        configuration: DHTNodeConfiguration = DHTNodeConfiguration(),
        transport: any DatagramTransport,
        scheduler: any Scheduler,
        random: NodeRandomSource = .system
    ) throws(DHTError) {
        try configuration.validate()
        var random = random
        self.configuration = configuration
        self.scheduler = scheduler
        self.id = configuration.id ?? NodeID((0..<Self.idLength).map { _ in UInt8.random(in: 0...255, using: &random) })
        self.tokens = RoundTripTokens(using: &random)
        self.socket = RequestSocket(transport: transport, scheduler: scheduler,
                                    tids: TransactionIDGenerator(using: &random),
                                    configuration: RequestSocketConfiguration(rateLimit: configuration.requestRateLimit))
        self.random = random
        self.table = KBucketTree(configuration: KBucketConfiguration(
            localNodeID: id, arbiter: KBucketConfiguration<RoutingContact>.candidateAlwaysWins))
        self.idData = Data(id.bytes)
        self.startedAt = scheduler.now
        self.recentSenders = RecentSenders(window: configuration.forwarding.recentSenderWindow,
                                           capacity: configuration.forwarding.recentSenderCapacity, now: scheduler.now)
        self.forwardLimiter = SourceRateLimiter(limit: configuration.forwarding.perSourceLimit)
        self.refreshSchedule = BucketRefreshSchedule(policy: configuration.bucketRefresh)
        socket.onRequest = { [weak self] in self?.handleRequest($0) }
        socket.onEvent = { [weak self] in self?.onEvent?(.socket($0)) }
    }

    /// The address the socket is bound to.
    public var localAddress: PeerAddress { socket.localAddress }

    /// Starts the upkeep timers and the first bootstrap.
    public func start() {
        guard !isClosed, timers.isEmpty else { return }
        timers.append(scheduleRepeating(every: configuration.tickInterval) { [weak self] in self?.upkeepTick() })
        timers.append(scheduleRepeating(every: RoundTripTokens.rotationInterval) { [weak self] in
            guard let self else { return }
            self.tokens.rotate(using: &self.random)
        })
        bootstrap()
    }

    /// Calls `body` once the node is ready (at once if it already is).
    public func whenReady(_ body: @escaping () -> Void) {
        if isReady { body() } else { readyWaiters.append(body) }
    }

    /// Registers the handler for `command` (replacing any earlier one). It is called for queries
    /// (no valid token) and updates (a valid token) alike; ``IncomingQuery/isUpdate`` tells which.
    public func setHandler(for command: String, _ handler: @escaping (IncomingQuery) -> QueryReply) {
        handlers[command] = handler
    }

    /// Walks toward our own id to fill the routing table; the first one to finish makes the node ready.
    public func bootstrap(completion: ((QuerySummary?) -> Void)? = nil) {
        guard !configuration.bootstrap.isEmpty || !table.isEmpty else {
            scheduler.schedule(after: .zero) { [weak self] in
                self?.markReady()
                completion?(nil)
            }
            return
        }
        let background = min(configuration.concurrency, max(2, configuration.concurrency / 8))
        bootstrapsRunning += 1
        let walkID = startWalk(DHTQuery(command: "_find_node", target: id), options: QueryOptions(), onResult: { _ in }) { [weak self] summary in
            guard let self else { return }
            self.bootstrapsRunning -= 1
            self.markReady()
            self.emit(.bootstrapped(responses: summary.responses))
            self.refreshEmptyBuckets(limit: self.configuration.bucketRefresh.walksAfterBootstrap)
            completion?(summary)
        }
        if let walkID, let walk = walks[walkID] {
            walk.concurrency = walks.count == 1 ? configuration.concurrency : background
            walk.advance()
        }
    }

    /// Closes the node: stops timers, fails queued and in-flight requests, ends running walks, and
    /// closes the transport. Nothing runs for this node afterwards.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        for timer in timers { timer.cancel() }
        timers.removeAll()
        // Walks first, so the failures below cannot end them with an error other than `.closed`.
        for walk in walks.values.sorted(by: { $0.id < $1.id }) { walk.cancel() }
        walks.removeAll()
        for entry in queue.drainAll() { entry.completion(.failure(.closed)) }
        socket.close()
    }

    // MARK: - Internals shared with the walks and the upkeep

    var socketInflight: Int { socket.inflightCount }

    /// Requests holding a concurrency slot: those in flight, less the ones past their soft deadline –
    /// at most ``overdueAllowance`` of them, so at most nine times the concurrency is ever in flight.
    var busySlots: Int { socket.inflightCount - min(overdueRequests, overdueAllowance) }

    /// How many requests past their soft deadline may stop holding a slot. Right after many nodes left,
    /// one walk's requests and punches to the dead (three requests a punch) and those of the walks before
    /// it (a client's bootstrap walk) all wait for their hard timeouts together: with only `concurrency`
    /// of them let go (16), the rest held every slot and the next walk sent nothing for 1.25–1.5 s.
    var overdueAllowance: Int { configuration.concurrency * 8 }

    func emit(_ event: DHTEvent) {
        onEvent?(event)
    }

    /// A request carrying our id (unless ephemeral).
    func baseRequest(command: String) -> DhtRpc_Request {
        var message = DhtRpc_Request()
        message.command = command
        if !configuration.ephemeral { message.id = idData }
        return message
    }

    /// Sends through the concurrency gate. Every answer with a valid id adds or refreshes the
    /// responder; the queue drains when a request finishes, answered or not. A request still
    /// unanswered at its soft deadline (``RoundTripEstimator/softDeadline``, from the round trips seen
    /// so far) gives its slot back and calls `onOverdue`; it keeps running to its hard timeout.
    func request(_ message: DhtRpc_Request, to destination: PeerAddress, options: RequestOptions = .once,
                 onOverdue: (() -> Void)? = nil,
                 completion: @escaping (Result<MatchedResponse, DHTError>) -> Void) {
        guard !isClosed else {
            scheduler.schedule(after: .zero) { completion(.failure(.closed)) }
            return
        }
        if busySlots >= configuration.concurrency || !queue.isEmpty {
            guard queue.count < configuration.maxQueuedRequests else {
                scheduler.schedule(after: .zero) { completion(.failure(.queueFull)) }
                return
            }
            queue.append(OutgoingRequestQueue.Entry(message: message, destination: destination, options: options,
                                                    onOverdue: onOverdue, completion: completion))
            return
        }
        send(message, to: destination, options: options, onOverdue: onOverdue, completion: completion)
    }

    /// Sends past the gate (a free slot is known to exist).
    private func send(_ message: DhtRpc_Request, to destination: PeerAddress, options: RequestOptions,
                      onOverdue: (() -> Void)?, completion: @escaping (Result<MatchedResponse, DHTError>) -> Void) {
        let deadline = SoftDeadline()
        socket.request(message, to: destination, options: options) { [weak self] result in
            deadline.timer?.cancel()
            deadline.timer = nil
            guard let self else { return }
            if deadline.passed { self.overdueRequests -= 1 }
            deadline.finished = true
            let mapped = result.mapError { DHTError.request($0) }
            if case .success(let response) = result {
                self.roundTrips.observe(response.roundTripTime)
                self.silentPeers.recordAnswer(from: response.source)
                self.noteValidSender(response.source)
                if response.message.id.count == Self.idLength {
                    self.addNode(NodeID(response.message.id), at: response.source, roundTripTime: response.roundTripTime)
                }
            }
            self.drainQueue()
            completion(mapped)
        }
        guard !deadline.finished else { return }
        deadline.timer = scheduler.schedule(after: roundTrips.softDeadline) { [weak self] in
            deadline.timer = nil
            guard let self, !deadline.finished, !self.isClosed else { return }
            deadline.passed = true
            self.overdueRequests += 1
            onOverdue?()
            self.drainQueue()
        }
    }

    /// Sends queued requests while slots are free. They go straight to ``send`` – through
    /// ``request`` they would see the rest of the queue and be queued again, forever.
    private func drainQueue() {
        while !isClosed, busySlots < configuration.concurrency, let next = queue.popFirst() {
            send(next.message, to: next.destination, options: next.options, onOverdue: next.onOverdue,
                 completion: next.completion)
        }
    }

    @discardableResult
    func startWalk(_ query: DHTQuery, options: QueryOptions,
                   onResult: @escaping (QueryResult) -> Void,
                   onFinish: @escaping (QuerySummary) -> Void) -> QueryID? {
        nextQueryID += 1
        let walkID = nextQueryID
        guard !isClosed, walks.count < configuration.maxActiveQueries, query.target.count == Self.idLength else {
            let error: DHTError = isClosed ? .closed
                : query.target.count != Self.idLength ? .invalidTarget(length: query.target.count) : .tooManyQueries
            let summary = QuerySummary(id: walkID, command: query.command, responses: 0, errors: 0, commits: 0,
                                       hops: 0, duration: .zero, closest: [], error: error)
            scheduler.schedule(after: .zero) { onFinish(summary) }
            return nil
        }
        let walk = QueryWalk(id: walkID, query: query, options: options, node: self, onResult: onResult, onFinish: onFinish)
        walks[walkID] = walk
        stats.queriesStarted += 1
        emit(.queryStarted(walkID, command: query.command, target: query.target, isUpdate: options.isUpdate))
        return walkID
    }

    func walkFinished(_ walk: QueryWalk) {
        walks[walk.id] = nil
    }

    var activeWalkCount: Int { walks.count }
    var queuedRequestCount: Int { queue.count }
    func walk(_ walkID: QueryID) -> QueryWalk? { walks[walkID] }

    private func markReady() {
        guard !isReady else { return }
        isReady = true
        emit(.ready)
        let waiters = readyWaiters
        readyWaiters.removeAll()
        for waiter in waiters { waiter() }
    }

    private func scheduleRepeating(every interval: Duration, _ body: @escaping () -> Void) -> any Cancellable {
        let timer = RepeatingTimer()
        let scheduler = self.scheduler  // not self: a running timer must not keep the node alive
        func arm(at deadline: Timestamp) {
            timer.current = scheduler.schedule(at: deadline) {
                body()
                if !timer.cancelled { arm(at: deadline + interval) }
            }
        }
        arm(at: scheduler.now + interval)
        return timer
    }

    // MARK: - Incoming requests

    private func handleRequest(_ incoming: IncomingRequest) {
        let message = incoming.message
        let source = incoming.source
        // Asked before this datagram counts: a forwarded ping is answered only for a referrer we knew.
        let knewSource = message.hasForwardResponse && isKnownPeer(source)
        noteValidSender(source)
        // A forwarded hole-punch ping carries the requester's id but comes from the referrer: the
        // reference adds that id at the referrer's address, which spreads a wrong contact through
        // `_find_node` answers (walks then never reach the real node). Only the sender's own id is added.
        if message.id.count == Self.idLength, !message.hasForwardResponse {
            addNode(NodeID(message.id), at: source, roundTripTime: nil)
        }
        let hasValidToken = message.hasRoundtripToken && tokens.isValid(message.roundtripToken, for: source.host)

        if message.hasForwardRequest {
            forward(incoming)
            return
        }
        var replyTo = source
        if message.hasForwardResponse {
            guard message.command == "_ping" else {
                emit(.requestRejected(from: source, command: message.command, reason: .forwardResponseNotPing))
                return
            }
            guard let requester = (try? PeerListCodec.ipv4.decode(message.forwardResponse, trailingBytes: .ignore))?.first else {
                emit(.requestRejected(from: source, command: message.command, reason: .badForwardAddress))
                return
            }
            if let refusal = forwardedPingRefusal(referrer: source, knownReferrer: knewSource, requester: requester) {
                stats.holepunchForwardsRefused += 1
                emit(.holepunchForwardRefused(from: source, to: requester, reason: refusal))
                return
            }
            replyTo = requester
            emit(.holepunchReceived(requester: requester, referrer: source, tid: incoming.tid))
        }

        switch message.command {
        case "_ping":
            var response = baseResponse(for: replyTo)
            response.value = Data(PeerListCodec.ipv4.encodeOrEmpty(replyTo))
            socket.respond(response, tid: incoming.tid, to: replyTo)
        case "_find_node":
            guard message.target.count == Self.idLength else {
                emit(.requestRejected(from: source, command: message.command, reason: .badTarget))
                return
            }
            var response = baseResponse(for: replyTo)
            response.nodes = closestNodes(to: NodeID(message.target))
            socket.respond(response, tid: incoming.tid, to: replyTo)
        default:
            guard message.target.count == Self.idLength else {
                emit(.requestRejected(from: source, command: message.command, reason: .badTarget))
                return
            }
            let query = IncomingQuery(
                node: NodeReference(id: message.id.count == Self.idLength ? NodeID(message.id) : nil, address: source),
                command: message.command, target: NodeID(message.target),
                value: message.hasValue ? message.value : nil, isUpdate: hasValidToken)
            let reply = handlers[message.command]?(query) ?? .respond(value: nil)
            guard case .respond(let value) = reply else {
                emit(.requestRejected(from: source, command: message.command, reason: .handlerDeclined))
                return
            }
            var response = baseResponse(for: replyTo)
            if let value { response.value = value }
            response.nodes = closestNodes(to: query.target)
            socket.respond(response, tid: incoming.tid, to: replyTo)
        }
    }

    private func baseResponse(for requester: PeerAddress) -> DhtRpc_Response {
        var response = DhtRpc_Response()
        if !configuration.ephemeral { response.id = idData }
        response.roundtripToken = tokens.cachedToken(for: requester.host)
        return response
    }

    private func closestNodes(to target: NodeID) -> Data {
        let k = configuration.k
        return NodesFieldEncoding.nodesField(upTo: k) { write in
            table.forEachClosest(to: target, count: k, whereStored: { !$0.pointee.payload.isStale }, write)
        }
    }
}

/// One request's soft deadline: the timer, and whether it fired before the request finished.
private final class SoftDeadline {
    var timer: (any Cancellable)?
    var passed = false
    var finished = false
}

/// A repeating timer's handle: cancelling it stops the next run.
private final class RepeatingTimer: Cancellable {
    var current: (any Cancellable)?
    var cancelled = false
    func cancel() {
        cancelled = true
        current?.cancel()
    }
}

extension PeerListCodec {
    /// Encodes one address, or nothing if it is not of this codec's family.
    func encodeOrEmpty(_ address: PeerAddress) -> [UInt8] {
        (try? encode([address])) ?? []
    }
}

extension NodeID {
    /// The id's bytes, copied with a plain loop. `NodeID.bytes` maps a range generically, which in a
    /// debug build took a third of a simulated swarm's time here (every answer lists 20 nodes).
    var wireBytes: [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        for index in 0..<count { out[index] = byte(at: index) }
        return out
    }
}
