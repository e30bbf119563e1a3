import IPEncoding
import KBucket
import Monitor
import NIOConcurrencyHelpers
import UDPRequest

/// The monitor's backend for `hyperdht replay FILE`: plays a recording's entries (``RecordingReader``)
/// at the pace ``controls`` set (speed, pause, single steps forward and back) – event batches as events
/// (stamped on the replay's own clock, their spacing within a batch scaled with the speed), status and
/// store as the latest state. A step back hands over the events up to the new position as one batch
/// that replaces the monitor's histories (``MonitorEventBatch/resetsHistory``). The stream stays open
/// after the last entry (a step back is still possible) until the monitor stops. Read-only: every
/// command fails with a message saying so.
public final class ReplayMonitorBackend: MonitorBackend {
    /// The entries played.
    public let entries: [RecordedEntry]
    /// Speed, pause and steps, changed by the replay's keys.
    public let controls: ReplayControls
    private let notify: @Sendable (_ text: String, _ isError: Bool) -> Void
    private let latest = NIOLockedValueBox<(status: NodeStatus?, store: StoreSnapshot??)>((nil, nil))
    private let progress = NIOLockedValueBox<(position: Duration, total: Duration)>((.zero, .zero))

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
        let progress = self.progress
        let player = Task {
            let times = Self.timeline(entries)
            let start = ContinuousClock.now
            var position = Duration.zero  // how far into the recording the replay is
            var lastTick = start
            var index = 0  // the first entry not played yet
            var carried = 0
            var announcedEnd = false
            // Plays on until cancelled, also past the end: `[` can still step back from there.
            while !Task.isCancelled {
                let now = ContinuousClock.now
                let replayNow = Timestamp(nanoseconds: (now - start).nanosecondsClamped)
                let (speed, paused, step) = controls.take()
                if !paused { position += (now - lastTick) * speed }
                lastTick = now
                if step < 0 {
                    if let back = Self.stepBack(from: index, entries: entries, times: times) {
                        index = back.index
                        position = back.position
                        latest.withLockedValue { $0 = (back.status, back.store) }
                        var rebuilt = Self.rebuilt(entries, times: times, before: index, position: position, at: replayNow,
                                                   speed: speed)
                        rebuilt.resetsHistory = true
                        carried = continuation.yield(rebuilt, carrying: carried)
                        announcedEnd = false
                    }
                } else if step > 0, let next = entries[index...].firstIndex(where: \.isEvents) {
                    position = max(position, times[next])
                }
                if paused && step == 0 {
                    progress.withLockedValue { $0 = (min(position, times.last ?? .zero), times.last ?? .zero) }
                    try? await Task.sleep(for: Self.tick)
                    continue
                }
                while index < entries.count && times[index] <= position && step >= 0 {
                    switch entries[index].content {
                    case .header(_, let node):
                        notify("replay: node \(node.map { String($0.hexString.prefix(16)) + "…" } ?? "?") (read-only; space pauses, +/- speed, [ ] step)", false)
                    case .status(let status):
                        latest.withLockedValue { $0.status = status }
                    case .store(let store):
                        latest.withLockedValue { $0.store = .some(store) }
                    case .events(let batch):
                        carried = continuation.yield(Self.restamped(batch, at: replayNow, speed: speed), carrying: carried)
                    }
                    index += 1
                }
                if index >= entries.count {
                    position = min(position, times.last ?? .zero)
                    if !announcedEnd {
                        announcedEnd = true
                        notify("replay finished: \(entries.count) entries ([ steps back, q quits)", false)
                    }
                }
                progress.withLockedValue { $0 = (min(position, times.last ?? .zero), times.last ?? .zero) }
                try? await Task.sleep(for: Self.tick)
            }
            await continuation.finish(carrying: carried)
        }
        continuation.onTermination = { _ in player.cancel() }
        return stream
    }

    /// Where a step back from `index` (the first entry not played) lands: the last event batch played
    /// becomes unplayed again (`index`), the position goes back to the batch before it (or just before
    /// it, when it was the first), with the status and store recorded before it. `nil` when no event
    /// batch was played yet.
    static func stepBack(from index: Int, entries: [RecordedEntry], times: [Duration])
        -> (index: Int, position: Duration, status: NodeStatus?, store: StoreSnapshot??)? {
        guard let last = entries[..<index].lastIndex(where: \.isEvents) else { return nil }
        let previous = entries[..<last].lastIndex(where: \.isEvents)
        var status: NodeStatus?, store: StoreSnapshot??
        for entry in entries[..<last] {
            switch entry.content {
            case .status(let recorded): status = recorded
            case .store(let recorded): store = .some(recorded)
            default: break
            }
        }
        return (last, previous.map { times[$0] } ?? (times[last] - .nanoseconds(1)), status, store)
    }

    /// The events a step back hands over at once, in place of everything played before: those of the
    /// entries before `index`, at most ``rebuildLimit`` (the newest – older ones have left every pane's
    /// bounded history anyway, so the cost of a step is bounded however long the recording), stamped on
    /// the replay's clock as far before `now` as they were before `position`, divided by `speed`.
    static func rebuilt(_ entries: [RecordedEntry], times: [Duration], before index: Int, position: Duration,
                        at now: Timestamp, speed: Double) -> MonitorEventBatch {
        var events: [MonitorEvent] = [], stamps: [Timestamp] = []
        var entry = index - 1
        while entry >= 0 && events.count < rebuildLimit {
            if case .events(let batch) = entries[entry].content {
                for offset in batch.events.indices.reversed() where events.count < rebuildLimit {
                    var at = times[entry]
                    if let eventTimes = batch.times, let handedOverAt = batch.handedOverAt, offset < eventTimes.count {
                        at += min(.zero, eventTimes[offset] - handedOverAt)  // how long before its hand-over it happened
                    }
                    events.append(batch.events[offset])
                    stamps.append(now + ((max(.zero, position - at) / speed) * -1))
                }
            }
            entry -= 1
        }
        return MonitorEventBatch(Array(events.reversed()), times: Array(stamps.reversed()), handedOverAt: now)
    }

    /// The most events a step back hands over.
    static let rebuildLimit = 20_000

    /// The replay's position and the recording's length, for the header.
    public var position: (at: Duration, of: Duration) {
        progress.withLockedValue { (at: $0.position, of: $0.total) }
    }

    /// `REPLAY 0:42.0/3:10.5 2x` (and `paused`) in the header.
    public var sourceMarker: SourceMarker? {
        let (at, total) = position
        return SourceMarker("REPLAY \(Self.clock(at))/\(Self.clock(total)) \(Self.speedText(controls.speed))"
                            + (controls.isPaused ? " paused" : ""))
    }

    /// `m:ss.t` (or `h:mm:ss.t`): tenths, so a step of a few batches shows.
    static func clock(_ duration: Duration) -> String {
        let tenths = max(0, duration.nanosecondsClamped / 100_000_000)
        let seconds = tenths / 10
        let (hours, minutes, rest) = (seconds / 3600, seconds / 60 % 60, seconds % 60)
        let ss = (rest < 10 ? "0" : "") + "\(rest).\(tenths % 10)"
        if hours > 0 { return "\(hours):\(minutes < 10 ? "0" : "")\(minutes):\(ss)" }
        return "\(minutes):\(ss)"
    }

    /// `2x`, `0.25x`.
    static func speedText(_ speed: Double) -> String {
        speed == speed.rounded() ? "\(Int(speed))x" : "\(speed)x"
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

extension RecordedEntry {
    /// Whether the entry holds an event batch.
    var isEvents: Bool {
        if case .events = content { return true }
        return false
    }
}
