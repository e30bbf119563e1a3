import IPEncoding
import KBucket
import Monitor

/// Wraps a backend and records what the monitor sees through it (``SessionRecorder``): every event
/// batch, and the status and store at most once a second. Commands pass straight through.
public struct RecordingMonitorBackend: MonitorBackend {
    /// The backend watched.
    public let wrapped: any MonitorBackend
    /// Where it goes.
    public let recorder: SessionRecorder
    private let throttle = RecordingThrottle()

    /// Records what `wrapped` shows into `recorder`.
    public init(wrapping wrapped: any MonitorBackend, recorder: SessionRecorder) {
        self.wrapped = wrapped
        self.recorder = recorder
    }

    public func events() async throws -> AsyncStream<MonitorEventBatch> {
        let source = try await wrapped.events()
        let recorder = self.recorder
        let (stream, continuation) = AsyncStream<MonitorEventBatch>.makeStream(bufferingPolicy: .bufferingNewest(64))
        let forward = Task {
            var carried = 0
            for await batch in source {
                recorder.record(.events(batch))
                carried = continuation.yield(batch, carrying: carried)
            }
            await continuation.finish(carrying: carried)
        }
        continuation.onTermination = { _ in forward.cancel() }
        return stream
    }

    /// The wrapped backend's marker (an attached node gone, say).
    public var sourceMarker: SourceMarker? { wrapped.sourceMarker }

    public func status() async throws -> NodeStatus {
        let status = try await wrapped.status()
        if await throttle.due(.status) {
            await throttle.noteHeader(status.id) { recorder.record(.header(version: RecordedEntry.formatVersion, node: $0)) }
            recorder.record(.status(status))
        }
        return status
    }

    public func storedAnnouncements() async throws -> StoreSnapshot? {
        let store = try await wrapped.storedAnnouncements()
        if await throttle.due(.store) { recorder.record(.store(store)) }
        return store
    }

    public func ping(_ address: PeerAddress) async throws -> PingOutcome { try await wrapped.ping(address) }
    public func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingOutcome {
        try await wrapped.holepunch(peer: peer, referrer: referrer)
    }
    public func bootstrap() async throws -> Int { try await wrapped.bootstrap() }
    public func query(command: String, target: NodeID) async throws -> QueryOutcome {
        try await wrapped.query(command: command, target: target)
    }
    public func lookup(_ target: LookupTarget) async throws -> LookupOutcome { try await wrapped.lookup(target) }
    public func announce(_ target: LookupTarget) async throws -> LookupOutcome { try await wrapped.announce(target) }
    public func unannounce(_ target: LookupTarget) async throws -> LookupOutcome { try await wrapped.unannounce(target) }
}

/// When the recorder last took a status and a store, and which node its header named.
actor RecordingThrottle {
    enum Kind { case status, store }
    static let interval: Duration = .seconds(1)
    private var last: [Kind: ContinuousClock.Instant] = [:]
    private var headerNode: NodeID??

    /// Whether a `kind` is due (and notes that one is taken now).
    func due(_ kind: Kind) -> Bool {
        let now = ContinuousClock.now
        if let previous = last[kind], now - previous < Self.interval { return false }
        last[kind] = now
        return true
    }

    /// Writes a header through `write` when the node is new (the first status, or a reattached node).
    func noteHeader(_ node: NodeID, write: (NodeID) -> Void) {
        guard headerNode != .some(node) else { return }
        headerNode = .some(node)
        write(node)
    }
}
