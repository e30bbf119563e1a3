import DHTMessages
import IPEncoding

/// Settings for a ``RequestSocket``.
public struct RequestSocketConfiguration: Sendable {
    /// The timeout tick: udp-request checks timeouts every `floor(1000 / 4)` = 250 ms.
    public var tickInterval: Duration
    /// Options used by ``RequestSocket/request(_:to:options:completion:)`` when none are given.
    public var defaultOptions: RequestOptions
    /// The per-source limit on incoming datagrams (`nil`: none). Answers to our own requests are
    /// never limited. The reference has no limit.
    public var rateLimit: SourceRateLimit?

    /// Creates a configuration; the defaults are the reference's, plus ``SourceRateLimit/standard``.
    public init(tickInterval: Duration = .milliseconds(250), defaultOptions: RequestOptions = .once,
                rateLimit: SourceRateLimit? = .standard) {
        self.tickInterval = tickInterval
        self.defaultOptions = defaultOptions
        self.rateLimit = rateLimit
    }
}

/// udp-request over an injected ``DatagramTransport`` and ``Scheduler``: sends requests with
/// 15-bit transaction ids and matches their responses, retries and times them out on a 250 ms tick,
/// answers and forwards, and hands incoming requests to its owner.
///
/// Beyond the reference, a response is matched by tid **and** source: it must come from the address
/// the request went to – or, for a hole-punch `_ping` (one carrying `forwardRequest`), from the peer
/// named in `forwardRequest`, which answers us directly. Anything else is counted and dropped.
///
/// Confined to its scheduler's context; not thread-safe. Completions and observers run on that
/// context, after the socket's state is updated, and may call back into the socket.
public final class RequestSocket {
    /// Called for every well-formed request received.
    public var onRequest: ((IncomingRequest) -> Void)?
    /// Called for everything the socket does (see ``RequestSocketEvent``).
    public var onEvent: ((RequestSocketEvent) -> Void)?

    /// Running totals.
    public private(set) var counters = RequestSocketCounters()

    /// The transport's bound address.
    public var localAddress: PeerAddress { transport.localAddress }
    /// The scheduler this socket runs on.
    public let scheduler: any Scheduler
    /// Whether ``close()`` has been called.
    public private(set) var isClosed = false

    private let transport: any DatagramTransport
    private let configuration: RequestSocketConfiguration
    private var tids: TransactionIDGenerator
    private var pending: [UInt16: PendingRequest] = [:]
    private var sequence: UInt64 = 0
    private let tickOrigin: Timestamp
    private var ticker: (any Cancellable)?
    private var rateLimiter: SourceRateLimiter?

    /// Creates a socket over `transport` (which it takes over: it sets the transport's receiver and
    /// closes it on ``close()``), timing requests on `scheduler`, drawing tids from `tids`.
    public init(
        transport: any DatagramTransport,
        scheduler: any Scheduler,
        tids: TransactionIDGenerator,
        configuration: RequestSocketConfiguration = RequestSocketConfiguration()
    ) {
        self.transport = transport
        self.scheduler = scheduler
        self.tids = tids
        self.configuration = configuration
        self.tickOrigin = scheduler.now
        self.rateLimiter = configuration.rateLimit.map(SourceRateLimiter.init(limit:))
        transport.setReceiver { [weak self] datagram, source in
            self?.receive(datagram, from: source)
        }
    }

    /// The number of requests waiting for an answer.
    public var inflightCount: Int { pending.count }

    /// A snapshot of the requests waiting for an answer, oldest first.
    public var inflightRequests: [InflightRequest] {
        pending.values.sorted { $0.sequence < $1.sequence }.map { $0.snapshot }
    }

    /// Sends `message` to `destination` and calls `completion` once: with the matched response, or
    /// with a ``RequestSocketError``. The completion never runs before this method returns.
    /// Returns the tid used, or `nil` when nothing was sent (the completion then reports why).
    @discardableResult
    public func request(
        _ message: DhtRpc_Request,
        to destination: PeerAddress,
        options: RequestOptions? = nil,
        completion: @escaping (Result<MatchedResponse, RequestSocketError>) -> Void
    ) -> UInt16? {
        func failLater(_ error: RequestSocketError) -> UInt16? {
            scheduler.schedule(after: .zero) { completion(.failure(error)) }
            return nil
        }
        if isClosed { return failLater(.closed) }
        guard pending.count < Int(TransactionIDGenerator.wrapValue) else { return failLater(.tooManyInflight) }
        var tid = tids.next()
        while pending[tid] != nil { tid = tids.next() }

        let datagram: [UInt8]
        do {
            datagram = try DatagramFrame.request(tid: tid, message).encode()
        } catch {
            return failLater(.unencodable("\(error)"))
        }
        let options = options ?? configuration.defaultOptions
        let now = scheduler.now
        sequence += 1
        pending[tid] = PendingRequest(
            tid: tid, message: message, destination: destination,
            holepunchTarget: Self.holepunchTarget(of: message),
            datagram: datagram, options: options,
            ticksLeft: options.initialTimeoutTicks,
            retriesUsed: options.retry ? 0 : options.retrySchedule.count,
            transmissions: 1, firstSentAt: now, lastSentAt: now,
            sequence: sequence, completion: completion
        )
        counters.requestsOut += 1
        transmit(datagram, to: destination)
        emit(.requestSent(tid: tid, command: message.command, to: destination, bytes: datagram.count))
        startTickerIfNeeded()
        return tid
    }

    /// Answers a request: sends `message` with `tid` (request bit clear) to `destination`.
    public func respond(_ message: DhtRpc_Response, tid: UInt16, to destination: PeerAddress) {
        guard !isClosed, let datagram = try? DatagramFrame.response(tid: tid, message).encode() else { return }
        transmit(datagram, to: destination)
        emit(.responseSent(tid: tid, to: destination, bytes: datagram.count))
    }

    /// Sends `message` as a request carrying someone else's `tid` (the hole-punch referrer's
    /// forward). Nothing is tracked: the answer goes to the original requester, not to us.
    public func forwardRequest(_ message: DhtRpc_Request, tid: UInt16, to destination: PeerAddress) {
        guard !isClosed, let datagram = try? DatagramFrame.request(tid: tid, message).encode() else { return }
        transmit(datagram, to: destination)
        emit(.forwarded(tid: tid, isRequest: true, command: message.command, to: destination))
    }

    /// Sends `message` as a response carrying someone else's `tid`.
    public func forwardResponse(_ message: DhtRpc_Response, tid: UInt16, to destination: PeerAddress) {
        guard !isClosed, let datagram = try? DatagramFrame.response(tid: tid, message).encode() else { return }
        transmit(datagram, to: destination)
        emit(.forwarded(tid: tid, isRequest: false, command: nil, to: destination))
    }

    /// Fails the request with `tid` with ``RequestSocketError/cancelled``; does nothing if it is
    /// not in flight.
    public func cancel(tid: UInt16) {
        guard let request = pending.removeValue(forKey: tid) else { return }
        finishCancelled(request, error: .cancelled)
    }

    /// Fails every request in flight with ``RequestSocketError/cancelled``.
    public func cancelAll() {
        failAll(with: .cancelled)
    }

    /// Fails everything in flight with ``RequestSocketError/closed``, stops the timer and closes the
    /// transport. Later calls do nothing, and nothing is sent after this.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        ticker?.cancel()
        ticker = nil
        transport.close()
        failAll(with: .closed)
    }

    // MARK: - Receiving

    private func receive(_ datagram: [UInt8], from source: PeerAddress) {
        guard !isClosed else { return }
        counters.datagramsIn += 1
        counters.bytesIn += datagram.count
        if rateLimiter != nil, !admit(datagram, from: source) { return }
        let frame: DatagramFrame
        do {
            frame = try DatagramFrame.decode(datagram)
        } catch {
            counters.malformedDropped += 1
            emit(.malformedDropped(from: source, bytes: datagram.count, error: error))
            return
        }
        switch frame {
        case .request(let tid, let message):
            counters.requestsIn += 1
            emit(.requestReceived(tid: tid, command: message.command, from: source, bytes: datagram.count))
            onRequest?(IncomingRequest(message: message, tid: tid, source: source))
        case .response(let tid, let message):
            receiveResponse(message, tid: tid, from: source)
        }
    }

    /// Applies the per-source limit before anything is decoded, so excess costs a table lookup.
    /// A datagram that looks like the answer to one of our requests (its tid is in flight to that
    /// source) is never limited: our own traffic must not be throttled by its answers.
    private func admit(_ datagram: [UInt8], from source: PeerAddress) -> Bool {
        if datagram.count >= 2, datagram[0] & 0x80 == 0 {
            let tid = (UInt16(datagram[0]) << 8 | UInt16(datagram[1])) & DatagramFrame.tidMask
            if let request = pending[tid], source == request.destination || source == request.holepunchTarget {
                return true
            }
        }
        guard case .drop(let report) = rateLimiter?.admit(from: source.host, now: scheduler.now) else { return true }
        counters.rateLimitedDropped += 1
        if report { emit(.rateLimited(from: source, droppedSoFar: counters.rateLimitedDropped)) }
        return false
    }

    private func receiveResponse(_ message: DhtRpc_Response, tid: UInt16, from source: PeerAddress) {
        guard let request = pending[tid] else {
            counters.unmatchedResponses += 1
            emit(.unmatchedResponse(tid: tid, from: source))
            return
        }
        guard source == request.destination || source == request.holepunchTarget else {
            counters.spoofedResponses += 1
            emit(.spoofedResponse(tid: tid, from: source, expected: request.destination))
            return
        }
        pending[tid] = nil
        stopTickerIfIdle()
        counters.responsesMatched += 1
        let rtt = scheduler.now - request.lastSentAt
        emit(.responseMatched(tid: tid, command: request.message.command, from: source, roundTripTime: rtt))
        request.completion(.success(MatchedResponse(
            message: message, source: source, request: request.message,
            destination: request.destination, roundTripTime: rtt
        )))
    }

    // MARK: - Timeouts

    private func startTickerIfNeeded() {
        guard ticker == nil, !pending.isEmpty, !isClosed else { return }
        let interval = configuration.tickInterval.nanosecondsClamped
        let elapsed = scheduler.now.nanoseconds - tickOrigin.nanoseconds
        let next = Timestamp(nanoseconds: tickOrigin.nanoseconds + (elapsed / interval + 1) * interval)
        ticker = scheduler.schedule(at: next) { [weak self] in self?.tick(at: next) }
    }

    private func stopTickerIfIdle() {
        if pending.isEmpty {
            ticker?.cancel()
            ticker = nil
        }
    }

    /// One 250 ms tick: udp-request's `_checkTimeouts`, applied to every request in flight.
    private func tick(at time: Timestamp) {
        ticker = nil
        var expired: [PendingRequest] = []
        for tid in pending.keys.sorted(by: { pending[$0]!.sequence < pending[$1]!.sequence }) {
            guard var request = pending[tid] else { continue }
            if request.ticksLeft > 0 {
                request.ticksLeft -= 1
                pending[tid] = request
            } else if request.retriesUsed < request.options.retrySchedule.count {
                request.ticksLeft = request.options.retrySchedule[request.retriesUsed]
                request.retriesUsed += 1
                request.transmissions += 1
                request.lastSentAt = scheduler.now
                pending[tid] = request
                counters.retransmissions += 1
                transmit(request.datagram, to: request.destination)
                emit(.requestRetransmitted(tid: tid, command: request.message.command,
                                           to: request.destination, transmission: request.transmissions))
            } else {
                pending[tid] = nil
                expired.append(request)
            }
        }
        if !pending.isEmpty {
            let next = time + configuration.tickInterval
            ticker = scheduler.schedule(at: next) { [weak self] in self?.tick(at: next) }
        }
        for request in expired {
            counters.timeouts += 1
            emit(.requestTimedOut(tid: request.tid, command: request.message.command,
                                  to: request.destination, transmissions: request.transmissions))
            request.completion(.failure(.timedOut))
        }
    }

    // MARK: - Helpers

    private func failAll(with error: RequestSocketError) {
        let all = pending.values.sorted { $0.sequence < $1.sequence }
        pending.removeAll()
        stopTickerIfIdle()
        for request in all { finishCancelled(request, error: error) }
    }

    private func finishCancelled(_ request: PendingRequest, error: RequestSocketError) {
        stopTickerIfIdle()
        emit(.requestCancelled(tid: request.tid, command: request.message.command, to: request.destination))
        request.completion(.failure(error))
    }

    private func transmit(_ datagram: [UInt8], to destination: PeerAddress) {
        counters.datagramsOut += 1
        counters.bytesOut += datagram.count
        transport.send(datagram, to: destination)
    }

    private func emit(_ event: RequestSocketEvent) {
        onEvent?(event)
    }

    /// The peer a hole-punch `_ping` asks the referrer to forward to: it answers us directly.
    static func holepunchTarget(of message: DhtRpc_Request) -> PeerAddress? {
        guard message.command == "_ping", message.hasForwardRequest else { return nil }
        // The referrer forwards to the first peer in the field, as ipv4-peers decodes it.
        return (try? PeerListCodec.ipv4.decode(message.forwardRequest, trailingBytes: .ignore))?.first
    }
}

/// The state kept for one request in flight.
private struct PendingRequest {
    let tid: UInt16
    let message: DhtRpc_Request
    let destination: PeerAddress
    let holepunchTarget: PeerAddress?
    let datagram: [UInt8]
    let options: RequestOptions
    var ticksLeft: Int
    var retriesUsed: Int
    var transmissions: Int
    let firstSentAt: Timestamp
    var lastSentAt: Timestamp
    let sequence: UInt64
    let completion: (Result<MatchedResponse, RequestSocketError>) -> Void

    var snapshot: InflightRequest {
        InflightRequest(tid: tid, command: message.command, destination: destination,
                        firstSentAt: firstSentAt, transmissions: transmissions, holepunchTarget: holepunchTarget)
    }
}
