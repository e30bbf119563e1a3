import IPEncoding
import KBucket
import Monitor
import NIOConcurrencyHelpers
import UDPRequest

/// The monitor's backend for `hyperdht replay FILE`: plays a recording's entries (``RecordingReader``)
/// at the pace ``controls`` set (speed, pause, single steps) – event batches as events (stamped on the
/// replay's own clock, their spacing within a batch scaled with the speed), status and store as the
/// latest state. Read-only: every command fails with a message saying so.
public final class ReplayMonitorBackend: MonitorBackend {
    /// The entries played.
    public let entries: [RecordedEntry]
    /// Speed, pause and steps, changed by the replay's keys.
    public let controls: ReplayControls
    private let notify: @Sendable (_ text: String, _ isError: Bool) -> Void
    private let latest = NIOLockedValueBox<(status: NodeStatus?, store: StoreSnapshot??)>((nil, nil))

    /// How often the player looks at the clock and the controls.
    static let tick: Duration = .milliseconds(20)

    /// A replay of `entries` starting at `speed`; `notify` gets its progress notices (the monitor's message line).
    public init(entries: [RecordedEntry], speed: Double = 1,
                notify: @escaping @Sendable (_ text: String, _ isError: Bool) -> Void = { _, _ in }) {
        self.entries = entries
        self.controls = ReplayControls(speed: speed)
        self.notify = notify
    }

    /// Each entry's time on one timeline (a rotated file's times restart at zero: they are carried on).
    static func timeline(_ entries: [RecordedEntry]) -> [Duration] {
        var offset = Duration.zero, previous = Duration.zero
        return entries.map { entry in
            if entry.at < previous { offset += previous - entry.at }
            previous = entry.at
            return entry.at + offset
        }
    }

    public func events() async throws -> AsyncStream<MonitorEventBatch> {
        let (stream, continuation) = AsyncStream<MonitorEventBatch>.makeStream(bufferingPolicy: .bufferingNewest(256))
        let entries = self.entries, controls = self.controls, latest = self.latest, notify = self.notify
        let player = Task {
            let times = Self.timeline(entries)
            let start = ContinuousClock.now
            var position = Duration.zero  // how far into the recording the replay is
            var lastTick = start
            var index = 0
            var carried = 0
            while index < entries.count && !Task.isCancelled {
                let now = ContinuousClock.now
                let (speed, paused, step) = controls.take()
                if !paused { position += (now - lastTick) * speed }
                lastTick = now
                if step, let next = entries[index...].firstIndex(where: { if case .events = $0.content { true } else { false } }) {
                    position = max(position, times[next])
                } else if paused {
                    try? await Task.sleep(for: Self.tick)
                    continue
                }
                while index < entries.count && times[index] <= position {
                    switch entries[index].content {
                    case .header(_, let node):
                        notify("replay: node \(node.map { String($0.hexString.prefix(16)) + "…" } ?? "?") (read-only; space pauses, +/- speed, ] steps)", false)
                    case .status(let status):
                        latest.withLockedValue { $0.status = status }
                    case .store(let store):
                        latest.withLockedValue { $0.store = .some(store) }
                    case .events(let batch):
                        let replayNow = Timestamp(nanoseconds: (now - start).nanosecondsClamped)
                        carried = continuation.yield(Self.restamped(batch, at: replayNow, speed: speed), carrying: carried)
                    }
                    index += 1
                }
                try? await Task.sleep(for: Self.tick)
            }
            if !Task.isCancelled { notify("replay finished: \(entries.count) entries", false) }
            await continuation.finish(carrying: carried)
        }
        continuation.onTermination = { _ in player.cancel() }
        return stream
    }

    /// `batch` handed over at `now` on the replay's clock, its events as far apart as recorded divided by `speed`.
    static func restamped(_ batch: MonitorEventBatch, at now: Timestamp, speed: Double) -> MonitorEventBatch {
        guard let times = batch.times, let handedOverAt = batch.handedOverAt else { return batch }
        var restamped = batch
        restamped.times = times.map { now + (($0 - handedOverAt) / speed) }
        restamped.handedOverAt = now
        return restamped
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
