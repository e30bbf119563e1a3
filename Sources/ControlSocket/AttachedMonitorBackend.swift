import IPEncoding
import KBucket
import Monitor
import NIOConcurrencyHelpers
import NIOCore
import UDPRequest

/// The monitor's backend for `hyperdht monitor --attach PATH`: a running node's observation stream
/// and commands through its control socket (``ControlClient``). It keeps trying to attach: while no
/// node answers, calls fail with ``ControlClientError/detached(path:)`` and `notify` repeats a
/// "detached: node gone" notice; when a node answers again the event stream continues from it.
public final class AttachedMonitorBackend: MonitorBackend {
    /// The node's socket.
    public let path: String
    private let group: any EventLoopGroup
    private let notify: @Sendable (_ text: String, _ isError: Bool) -> Void
    private let retryInterval: Duration
    private let events: AsyncStream<MonitorEventBatch>
    private let eventContinuation: AsyncStream<MonitorEventBatch>.Continuation
    private let current = NIOLockedValueBox<ControlClient?>(nil)
    private let maintainer = NIOLockedValueBox<Task<Void, Never>?>(nil)
    /// Whether a node was ever attached (the marker then says it is gone rather than not there yet).
    private let everAttached = NIOLockedValueBox(false)

    /// How many batches wait for the monitor's pump before the oldest is dropped (and counted).
    static let bufferedBatches = 64
    /// How often the detached notice is repeated (so other messages do not hide it for long).
    static let noticeInterval: Duration = .seconds(3)

    /// A backend for the node at `path`; `notify` shows attach/detach notices (the monitor's message line).
    public init(path: String, on group: any EventLoopGroup, retryInterval: Duration = .milliseconds(500),
                notify: @escaping @Sendable (_ text: String, _ isError: Bool) -> Void) {
        self.path = path
        self.group = group
        self.retryInterval = retryInterval
        self.notify = notify
        (events, eventContinuation) = AsyncStream<MonitorEventBatch>.makeStream(
            bufferingPolicy: .bufferingNewest(Self.bufferedBatches))
    }

    /// Starts attaching (and re-attaching) until ``stop()``.
    public func start() {
        let task = Task { await self.maintain() }
        maintainer.withLockedValue { $0 = task }
    }

    /// Stops: closes the connection and ends the event stream. The node keeps running.
    public func stop() {
        maintainer.withLockedValue { $0 }?.cancel()
        current.withLockedValue { $0 }?.close()
        eventContinuation.finish()
    }

    /// Whether a node is attached now (connected, and its hello arrived).
    public var isAttached: Bool { current.withLockedValue { $0 }?.isGreeted ?? false }

    /// `DETACHED: …` in the header while no node is attached.
    public var sourceMarker: SourceMarker? {
        guard !isAttached else { return nil }
        return everAttached.withLockedValue { $0 }
            ? SourceMarker("DETACHED: node gone, retrying", isProblem: true)
            : SourceMarker("DETACHED: no node yet, waiting", isProblem: true)
    }

    private func maintain() async {
        var wasAttached = false
        var lastNotice: ContinuousClock.Instant?
        let clock = ContinuousClock()
        var carried = 0
        var timeline = ReattachTimeline()
        while !Task.isCancelled {
            if let client = try? await ControlClient.connect(path: path, on: group) {
                let path = self.path, notify = self.notify, continuation = eventContinuation
                let shared = NIOLockedValueBox((carried: carried, timeline: timeline))
                let everAttached = self.everAttached
                current.withLockedValue { $0 = client }
                client.subscribe()
                try? await client.run(onHello: {
                    everAttached.withLockedValue { $0 = true }
                    notify("attached to node \(client.nodeID.map { String($0.prefix(16)) + "…" } ?? "") at \(path)", false)
                }, onEvents: { batch in
                    shared.withLockedValue { state in
                        let batch = state.timeline.continuing(batch, arrival: clock.now)
                        state.carried = continuation.yield(batch, carrying: state.carried)
                    }
                })
                current.withLockedValue { $0 = nil }
                (carried, timeline) = shared.withLockedValue { ($0.carried, $0.timeline) }
                timeline.nodeLeft()
                wasAttached = wasAttached || client.isGreeted
                lastNotice = nil
            }
            guard !Task.isCancelled else { break }
            if lastNotice.map({ clock.now - $0 >= Self.noticeInterval }) ?? true {
                notify(wasAttached ? "detached: node gone – reattaching when it answers on \(path) again"
                                   : "detached: no node answers on \(path) – waiting for one", true)
                lastNotice = clock.now
            }
            try? await Task.sleep(for: retryInterval)
        }
    }

    private func client() throws -> ControlClient {
        guard let client = current.withLockedValue({ $0 }) else { throw ControlClientError.detached(path: path) }
        return client
    }

    private func call(_ call: ControlCall) async throws -> ControlReply {
        try await client().call(call)
    }

    public func events() async throws -> AsyncStream<MonitorEventBatch> { events }

    public func status() async throws -> NodeStatus {
        guard case .status(let status) = try await call(.status) else { throw ControlClientError.unexpectedReply("status") }
        return status
    }

    public func ping(_ address: PeerAddress) async throws -> PingOutcome {
        guard case .ping(let outcome) = try await call(.ping(address)) else { throw ControlClientError.unexpectedReply("ping") }
        return outcome
    }

    public func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingOutcome {
        guard case .ping(let outcome) = try await call(.holepunch(peer: peer, referrer: referrer)) else {
            throw ControlClientError.unexpectedReply("holepunch")
        }
        return outcome
    }

    public func bootstrap() async throws -> Int {
        guard case .bootstrapped(let responses) = try await call(.bootstrap) else { throw ControlClientError.unexpectedReply("bootstrap") }
        return responses
    }

    public func query(command: String, target: NodeID) async throws -> QueryOutcome {
        guard case .query(let outcome) = try await call(.query(command: command, target: target)) else {
            throw ControlClientError.unexpectedReply("query")
        }
        return outcome
    }

    public func lookup(_ target: LookupTarget) async throws -> LookupOutcome {
        guard case .lookup(let outcome) = try await call(.lookup(target)) else { throw ControlClientError.unexpectedReply("lookup") }
        return outcome
    }

    public func announce(_ target: LookupTarget) async throws -> LookupOutcome {
        guard case .lookup(let outcome) = try await call(.announce(target)) else { throw ControlClientError.unexpectedReply("announce") }
        return outcome
    }

    public func unannounce(_ target: LookupTarget) async throws -> LookupOutcome {
        guard case .lookup(let outcome) = try await call(.unannounce(target)) else {
            throw ControlClientError.unexpectedReply("unannounce")
        }
        return outcome
    }

    public func storedAnnouncements() async throws -> StoreSnapshot? {
        guard case .store(let store) = try await call(.storedAnnouncements) else {
            throw ControlClientError.unexpectedReply("storedAnnouncements")
        }
        return store
    }
}
