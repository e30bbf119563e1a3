import DHTRPC
import IPEncoding
import KBucket
import Monitor
import Testing
import UDPRequest

/// The histories stay bounded however many events arrive.
@Suite struct HistoryTests {
    @Test func ringBufferKeepsTheNewestAndCountsDrops() {
        var ring = RingBuffer<Int>(capacity: 3)
        for value in 1...5 { ring.append(value) }
        #expect(Array(ring) == [3, 4, 5])
        #expect(ring.newestFirst == [5, 4, 3])
        #expect(ring.dropped == 2)
        #expect(ring.last == 5)
    }

    @Test func aHundredThousandEventsKeepEveryHistoryBounded() {
        var model = MonitorModel()
        var batch: [TimedEvent] = []
        for index in 0..<100_000 {
            let time = Duration.milliseconds(index / 10)
            let tid = UInt16(index % 30_000)
            let peer = PeerAddress(host: IPAddress(10, UInt8(index % 200), 0, 1), port: UInt16(1000 + index % 60_000))
            let id = NodeID((0..<32).map { UInt8(truncatingIfNeeded: index >> ($0 % 4 * 8)) })
            let event: MonitorEvent
            switch index % 9 {
            case 0: event = .responseMatched(tid: tid, command: "_ping", from: peer, roundTripTime: .milliseconds(1))
            case 1: event = .requestTimedOut(tid: tid, command: "_find_node", to: peer, transmissions: 3)
            case 2: event = .nodeAdded(NodeReference(id: id, address: peer))
            case 3: event = .queryStarted(id: UInt64(index), command: "_find_node", target: id, isUpdate: false)
            case 4: event = .queryFinished(id: UInt64(index - 1), QueryOutcome(responses: 1, errors: 0, hops: 1, duration: .zero, closest: []))
            case 5: event = .holepunchAsked(peer: peer, referrer: peer, tid: tid)
            case 6: event = .observedAddress(peer, reportedBy: peer)
            case 7: event = .holepunchForwarded(from: peer, to: peer, tid: tid)
            default: event = .queryStarted(id: UInt64(index), command: "_find_node", target: id, isUpdate: false)
            }
            batch.append(TimedEvent(at: time, event: event))
            if batch.count == 1000 {
                model.apply(batch, now: time)
                batch.removeAll(keepingCapacity: true)
            }
        }
        #expect(model.eventsApplied == 100_000)
        #expect(model.requests.finished.count <= 256)
        #expect(model.queries.recent.count <= 64)
        #expect(model.queries.active.count <= 512)
        #expect(model.holepunches.attempts.count <= 64)
        #expect(model.nat.samples.count <= 64)
        #expect(model.nat.reporterCount <= 256)
        #expect(model.routingChanges.count <= 4096)
    }

    @Test func inboxDropsTheOldestEventsWhenFullAndCountsThem() {
        let inbox = MonitorInbox(eventCapacity: 100)
        for index in 0..<250 { inbox.post(.bootstrapped(responses: index)) }
        let batch = inbox.drain()
        #expect(batch.events.count == 100)
        #expect(batch.dropped == 150)
        #expect(batch.events.first?.event == .bootstrapped(responses: 150))
        #expect(inbox.drain().events.isEmpty)
        var model = MonitorModel()
        model.apply(batch.events, now: .zero, dropped: batch.dropped)
        #expect(model.eventsDropped == 150)
    }

    @Test func ratesAndSparklineFollowTheCounters() {
        var meter = TrafficMeter()
        var counters = RequestSocketCounters()
        for tenth in 0...30 {
            counters.datagramsIn += 10
            counters.bytesIn += 1000
            meter.record(counters, at: .milliseconds(100 * tenth))
        }
        #expect(abs(meter.rates.datagramsIn - 100) < 1)
        #expect(abs(meter.rates.bytesIn - 10_000) < 100)
        #expect(Array(meter.perSecond) == [100, 100, 100])
        #expect(Sparkline.render([0, 1, 2, 4, 8], width: 7) == "  ▁▂▃▅█")
        #expect(Sparkline.render([], width: 3) == "   ")
    }

    @Test func queryLogEvictsTheWalkThatStartedFirstWhenFull() {
        var log = QueryLog(recentCapacity: 4, activeLimit: 3)
        let target = NodeID(Array(repeating: 0, count: 32))
        let done = QueryOutcome(responses: 1, errors: 0, hops: 1, duration: .zero, closest: [])
        for id in UInt64(1)...3 { log.apply(.queryStarted(id: id, command: "_find_node", target: target, isUpdate: false), at: .seconds(Int64(id))) }
        log.apply(.queryFinished(id: 1, done), at: .seconds(4))
        log.apply(.queryStarted(id: 4, command: "_find_node", target: target, isUpdate: false), at: .seconds(5))
        log.apply(.queryStarted(id: 5, command: "_find_node", target: target, isUpdate: false), at: .seconds(6))
        #expect(Set(log.active.keys) == [3, 4, 5])  // 1 finished; 2 was the oldest still running
        // Thousands of walks that start and finish keep the log bounded and correct.
        for id in UInt64(6)...5_000 {
            log.apply(.queryStarted(id: id, command: "_find_node", target: target, isUpdate: false), at: .seconds(Int64(id)))
            if id % 2 == 0 { log.apply(.queryFinished(id: id, done), at: .seconds(Int64(id))) }
        }
        #expect(Set(log.active.keys) == [4_997, 4_999])  // 5,000 pushed 4,995 out, then finished
        #expect(log.recent.count == 4)
    }

    @Test func queryLogTracksHopsAndResults() {
        var log = QueryLog()
        let target = NodeID(Array(repeating: 0, count: 32))
        log.apply(.queryStarted(id: 1, command: "_find_node", target: target, isUpdate: false), at: .zero)
        for hop in [1, 1, 2, 3] {
            let node = NodeReference(id: nil, address: PeerAddress(host: .loopbackV4, port: UInt16(hop)))
            log.apply(.queryProgressed(id: 1, QueryStep(responses: 1, errors: 0, inflight: 0, hops: hop, closestPrefix: hop,
                                                        node: node, answered: true)), at: .zero)
        }
        #expect(log.active[1]?.answersPerHop == [2, 1, 1])
        #expect(log.active[1]?.results.count == 4)
        log.apply(.queryFinished(id: 1, QueryOutcome(responses: 4, errors: 0, hops: 3, duration: .zero, closest: [])), at: .seconds(1))
        #expect(log.active.isEmpty)
        #expect(log.recent.last?.finishedAt == .seconds(1))
    }

    @Test func translatesNodeEvents() {
        let address = PeerAddress(host: .loopbackV4, port: 1)
        #expect(MonitorEvent(.ready) == .ready)
        #expect(MonitorEvent(.socket(.responseSent(tid: 1, to: address, bytes: 3))) == nil)
        #expect(MonitorEvent(.observedAddress(address, reportedBy: address)) == .observedAddress(address, reportedBy: address))
        #expect(MonitorEvent(.holepunchFailed(peer: address, referrer: address, error: .noNodesResponded))
                == .holepunchFailed(peer: address, referrer: address, reason: "\(DHTError.noNodesResponded)"))
    }
}
