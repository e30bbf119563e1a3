import DHTRPC
import Foundation
import IPEncoding
import KBucket
import Monitor
import Testing

/// A flood of 10,000 events a second through the real session and inbox, drained by a controller at
/// 10 frames a second: memory stays bounded, what cannot be kept is counted, and every frame shows
/// the newest events. (How fast this runs is the benchmarks' business; this checks what is kept.)
@Suite(.timeLimit(.minutes(4))) struct FloodTests {
    static let total = 20_000
    static let perTick = 1_000
    static let tick = Duration.milliseconds(100)
    static let inboxCapacity = 400

    /// Every event carries its sequence number: in the port of its address, or as its id.
    static func event(_ sequence: Int) -> MonitorEvent {
        let peer = PeerAddress(host: IPAddress(10, 0, UInt8(sequence % 200), 1), port: UInt16(1000 + sequence))
        let id = NodeID((0..<32).map { UInt8(truncatingIfNeeded: sequence >> ($0 % 4 * 8)) })
        switch sequence % 5 {
        case 0: return .responseMatched(tid: UInt16(sequence), command: "_ping", from: peer, roundTripTime: .microseconds(300))
        case 1: return .nodeAdded(NodeReference(id: id, address: peer))
        case 2: return .queryStarted(id: UInt64(sequence), command: "_find_node", target: id, isUpdate: false)
        case 3: return .holepunchAsked(peer: peer, referrer: peer, tid: UInt16(sequence))
        default: return .observedAddress(peer, reportedBy: peer)
        }
    }

    /// The `perTick` events from sequence number `start` on.
    static func tickEvents(from start: Int) -> [MonitorEvent] {
        (start..<min(total, start + perTick)).map(event)
    }

    static func sequence(of event: MonitorEvent) -> Int {
        switch event {
        case .responseMatched(_, _, let from, _): Int(from.port) - 1000
        case .nodeAdded(let node): Int(node.address.port) - 1000
        case .queryStarted(let id, _, _, _): Int(id)
        case .holepunchAsked(let peer, _, _): Int(peer.port) - 1000
        case .observedAddress(let address, _): Int(address.port) - 1000
        default: -1
        }
    }

    /// Emits `perTick` events every `tick` until `total` were sent, then ends its stream. Unbounded
    /// (`bufferedBatches` nil), its own buffer holds them all, so every event reaches the inbox and the
    /// inbox alone decides what is dropped. Bounded, it hands each tick over as 10 batches into a
    /// buffer of `bufferedBatches` (the first tick before the pump reads at all, so it surely
    /// overflows) and counts what it drops as a real backend must.
    struct FloodBackend: MonitorBackend {
        var bufferedBatches: Int?

        func events() async throws -> AsyncStream<MonitorEventBatch> {
            guard let bufferedBatches else {
                let (stream, continuation) = AsyncStream.makeStream(of: MonitorEventBatch.self, bufferingPolicy: .unbounded)
                Task {
                    let clock = ContinuousClock()
                    var next = clock.now
                    for start in stride(from: 0, to: FloodTests.total, by: FloodTests.perTick) {
                        continuation.yield(MonitorEventBatch(FloodTests.tickEvents(from: start)))
                        next += FloodTests.tick
                        try? await clock.sleep(until: next)
                    }
                    continuation.finish()
                }
                return stream
            }
            let (stream, continuation) = AsyncStream.makeStream(of: MonitorEventBatch.self,
                                                                bufferingPolicy: .bufferingNewest(bufferedBatches))
            let first = Self.handOver(tickFrom: 0, to: continuation, carrying: 0)
            Task {
                var carried = first
                let clock = ContinuousClock()
                var next = clock.now
                for start in stride(from: FloodTests.perTick, to: FloodTests.total, by: FloodTests.perTick) {
                    next += FloodTests.tick
                    try? await clock.sleep(until: next)
                    carried = Self.handOver(tickFrom: start, to: continuation, carrying: carried)
                }
                await continuation.finish(carrying: carried)
            }
            return stream
        }

        /// Yields a tick's events as 10 batches; returns the count the next batch must carry.
        static func handOver(tickFrom start: Int, to continuation: AsyncStream<MonitorEventBatch>.Continuation,
                             carrying carried: Int) -> Int {
            let events = FloodTests.tickEvents(from: start)
            var carried = carried
            for part in stride(from: 0, to: events.count, by: events.count / 10) {
                carried = continuation.yield(MonitorEventBatch(Array(events[part..<min(events.count, part + events.count / 10)])),
                                             carrying: carried)
            }
            return carried
        }
        func status() async throws -> NodeStatus { Fixture.status }
        func ping(_ address: PeerAddress) async throws -> PingOutcome { throw MonitorError.unavailable("not in this test") }
        func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingOutcome { throw MonitorError.unavailable("not in this test") }
        func bootstrap() async throws -> Int { 0 }
        func query(command: String, target: NodeID) async throws -> QueryOutcome { throw MonitorError.unavailable("not in this test") }
    }

    /// Through a backend whose own stream holds everything (`nil`), and through one that holds only 2
    /// batches and drops (and counts) the rest itself.
    @Test(arguments: [nil, 2] as [Int?])
    func aFloodStaysBoundedIsCountedAndNeverLeavesTheUIBehind(backendBuffer: Int?) async throws {
        let session = MonitorSession(backend: FloodBackend(bufferedBatches: backendBuffer),
                                     inbox: MonitorInbox(eventCapacity: Self.inboxCapacity))
        session.start()
        defer { session.stop() }
        var controller = MonitorController()
        var lastSeen = -1
        var drains = 0, dropped = 0
        // Normally done in about 2 s; the generous deadline is for a machine so busy that the
        // session's tasks wait long for a thread – beside the simulated-swarm suites, over a minute
        // (this test asserts what is kept, not how fast).
        let deadline = ContinuousClock.now + .seconds(200)
        while controller.model.eventsApplied + controller.model.eventsDropped < Self.total && ContinuousClock.now < deadline {
            try await Task.sleep(for: Self.tick)
            let now = session.inbox.now()
            let batch = session.inbox.drain()
            drains += 1
            dropped += batch.dropped
            #expect(batch.events.count <= Self.inboxCapacity)
            let sequences = batch.events.map { Self.sequence(of: $0.event) }
            #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $0 < $1 }, "a batch is in arrival order")
            if let first = sequences.first, let last = sequences.last {
                // Nothing older than the previous frame's newest event is still queued, and the gap
                // between frames is exactly what the inbox says it dropped (the oldest ones). A
                // bounded backend learns of a lost batch only when it yields another, so its count
                // can come a drain later; the totals below still add up.
                #expect(first > lastSeen)
                if backendBuffer == nil {
                    #expect(first - lastSeen - 1 == batch.dropped, "drain \(drains): \(lastSeen) → \(first), dropped \(batch.dropped)")
                }
                lastSeen = last
            } else if backendBuffer == nil {
                #expect(batch.dropped == 0)
            }

            let appliedBefore = controller.model.eventsApplied
            controller.receive(batch, now: now)
            #expect(controller.model.eventsApplied == appliedBefore + batch.events.count)
            // The model shows the newest of what arrived.
            if let newest = batch.events.last(where: { if case .responseMatched = $0.event { true } else { false } }) {
                #expect(controller.model.requests.finished.last?.tid == UInt16(Self.sequence(of: newest.event)))
            }
            if let newest = batch.events.last(where: { if case .queryStarted = $0.event { true } else { false } }) {
                #expect(controller.model.queries.active[UInt64(Self.sequence(of: newest.event))] != nil)
            }
            let frame = controller.frame(width: 100, height: 30, now: now)
            // (The header's counters line needs a status, which the session polls on its own task: on a machine busy
            // enough, the first drains come before it, and the header says "starting…".)
            if controller.model.eventsDropped > 0, controller.model.status != nil {
                #expect(frame.line(2).contains("events dropped \(Formatting.count(controller.model.eventsDropped))"), "\(frame.line(2))")
            }
        }

        let model = controller.model
        #expect(model.eventsApplied + model.eventsDropped == Self.total, "every event is either applied or counted as dropped")
        if backendBuffer == nil {  // (a bounded backend's closing count can push out its last batch)
            #expect(lastSeen == Self.total - 1, "the last frame shows the last event")
        }
        #expect(model.eventsDropped == dropped)
        #expect(model.eventsDropped > 0, "1,000 events a frame overflow an inbox of \(Self.inboxCapacity)")
        if let backendBuffer {
            #expect(model.eventsDropped >= Self.perTick - backendBuffer * Self.perTick / 10,
                    "the first tick's 10 batches overflow the backend's \(backendBuffer) before the pump reads")
        }
        #expect(drains > 1)
        #expect(session.inbox.drain().events.isEmpty)
        // Every history is bounded.
        #expect(model.requests.finished.count <= model.requests.finished.capacity)
        #expect(model.queries.active.count <= model.queries.activeLimit)
        #expect(model.holepunches.attempts.count <= model.holepunches.attempts.capacity)
        #expect(model.nat.samples.count <= model.nat.samples.capacity)
        #expect(model.nat.reporterCount <= model.nat.reporterLimit)
        #expect(model.routingChanges.count <= model.routingChanges.limit)
    }
}
