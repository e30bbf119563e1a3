import IPEncoding
import KBucket
import Monitor
import NIOConcurrencyHelpers
import UDPRequest

/// The monitor's backend for `hyperdht replay FILE`: plays a recording's entries (``RecordingReader``)
/// at `speed` times their pace – event batches as events (their node times scaled to match), status
/// and store as the latest state. Read-only: every command fails with a message saying so.
public final class ReplayMonitorBackend: MonitorBackend {
    /// The entries played.
    public let entries: [RecordedEntry]
    /// How many times faster than recorded.
    public let speed: Double
    private let notify: @Sendable (_ text: String, _ isError: Bool) -> Void
    private let latest = NIOLockedValueBox<(status: NodeStatus?, store: StoreSnapshot??)>((nil, nil))

    /// A replay of `entries` at `speed`; `notify` gets its progress notices (the monitor's message line).
    public init(entries: [RecordedEntry], speed: Double = 1,
                notify: @escaping @Sendable (_ text: String, _ isError: Bool) -> Void = { _, _ in }) {
        self.entries = entries
        self.speed = max(0.01, speed)
        self.notify = notify
    }

    public func events() async throws -> AsyncStream<MonitorEventBatch> {
        let (stream, continuation) = AsyncStream<MonitorEventBatch>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let entries = self.entries, speed = self.speed, latest = self.latest, notify = self.notify
        let player = Task {
            let start = ContinuousClock.now
            var carried = 0
            var origin: Timestamp?  // the first event batch's node time: scaled times count from it
            var offset = Duration.zero  // a rotated file's times restart at zero: keep them going
            var previous = Duration.zero
            for entry in entries {
                if entry.at < previous { offset += previous - entry.at }
                previous = entry.at
                let due = start + (entry.at + offset) / speed
                try? await Task.sleep(until: due, clock: .continuous)
                if Task.isCancelled { break }
                switch entry.content {
                case .header(_, let node):
                    notify("replay: node \(node.map { String($0.hexString.prefix(16)) + "…" } ?? "?") (read-only, \(Self.speedText(speed)))", false)
                case .status(let status):
                    latest.withLockedValue { $0.status = status }
                case .store(let store):
                    latest.withLockedValue { $0.store = .some(store) }
                case .events(var batch):
                    if let times = batch.times, let handedOverAt = batch.handedOverAt {
                        let base = origin ?? times.first ?? handedOverAt
                        origin = base
                        batch.times = times.map { base + ($0 - base) / speed }
                        batch.handedOverAt = base + (handedOverAt - base) / speed
                    }
                    carried = continuation.yield(batch, carrying: carried)
                }
            }
            if !Task.isCancelled { notify("replay finished: \(entries.count) entries", false) }
            await continuation.finish(carrying: carried)
        }
        continuation.onTermination = { _ in player.cancel() }
        return stream
    }

    static func speedText(_ speed: Double) -> String {
        speed == 1 ? "recorded speed" : "\(speed)x"
    }

    public func status() async throws -> NodeStatus {
        guard let status = latest.withLockedValue({ $0.status }) else { throw MonitorError.unavailable("no status recorded yet") }
        return status
    }

    public func storedAnnouncements() async throws -> StoreSnapshot? {
        latest.withLockedValue { $0.store } ?? nil
    }

    private static let readOnly = MonitorError.unavailable("a replay is read-only: no node to ask")

    public func ping(_ address: PeerAddress) async throws -> PingOutcome { throw Self.readOnly }
    public func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingOutcome { throw Self.readOnly }
    public func bootstrap() async throws -> Int { throw Self.readOnly }
    public func query(command: String, target: NodeID) async throws -> QueryOutcome { throw Self.readOnly }
    public func lookup(_ target: LookupTarget) async throws -> LookupOutcome { throw Self.readOnly }
    public func announce(_ target: LookupTarget) async throws -> LookupOutcome { throw Self.readOnly }
    public func unannounce(_ target: LookupTarget) async throws -> LookupOutcome { throw Self.readOnly }
}
