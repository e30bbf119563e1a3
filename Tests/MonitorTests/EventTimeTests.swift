import DHTRPC
import IPEncoding
import KBucket
@testable import Monitor
import NetworkSimulation
import Testing
import UDPRequest

/// The hole-punch timeline shows when each step happened on the node's clock (issue 16), not when
/// its batch reached the screen: on a simulated network with 5 ms links a forwarded punch's answer
/// comes three links (15 ms) after the ask, and a punch nobody answers fails after its timeouts.
@Suite struct EventTimeTests {
    /// The events one node published, each with the time it happened on the simulated clock.
    final class Recorder {
        var events: [MonitorEvent] = []
        var times: [Timestamp] = []
    }

    /// When the punch's completion ran.
    final class EndTime {
        var time: Timestamp?
    }

    /// A punch from `us` (11.0.0.3) through a referrer (11.0.0.1) to `peer`, on 5 ms links; returns the
    /// pane's rows once the monitor got the events as one batch, and the node-clock times of the ask
    /// and of the punch's end (answer or failure).
    static func punch(peer: PeerAddress) throws -> (rows: [String], asked: Timestamp, ended: Timestamp) {
        let network = try SimulatedNetwork(seed: 16, conditions: LinkConditions(latency: .milliseconds(5)))
        let referrer = try DHTNode(transport: try network.bind(host: IPAddress(11, 0, 0, 1), port: 49737),
                                   scheduler: network.scheduler, random: .seeded(1))
        let target = try DHTNode(transport: try network.bind(host: IPAddress(11, 0, 0, 2), port: 49737),
                                 scheduler: network.scheduler, random: .seeded(2))
        let us = try DHTNode(transport: try network.bind(host: IPAddress(11, 0, 0, 3), port: 49737),
                             scheduler: network.scheduler, random: .seeded(3))
        // The target has talked to the referrer, so the referrer knows it (a referrer forwards only
        // to nodes it knows).
        target.ping(referrer.localAddress) { _ in }
        _ = network.scheduler.run(for: .seconds(1))
        let recorder = Recorder()
        let scheduler = network.scheduler
        us.onEvent = { event in
            guard let translated = MonitorEvent(event) else { return }
            recorder.events.append(translated)
            recorder.times.append(scheduler.now)
        }
        let asked = scheduler.now
        let ended = EndTime()
        us.holepunch(peer: peer, referrer: referrer.localAddress, options: .forwardOnly) { _ in ended.time = scheduler.now }
        _ = network.scheduler.run(for: .seconds(30))

        // The whole punch reaches the monitor in one batch, long after it happened.
        let inbox = MonitorInbox()
        inbox.post(MonitorEventBatch(recorder.events, times: recorder.times, handedOverAt: scheduler.now))
        var controller = MonitorController()
        let now = inbox.now()
        controller.receive(inbox.drain(), now: now)
        let content = HolepunchPane.content(RenderContext(model: controller.model, view: controller.view, now: now), width: 140)
        return (content.rows.map(\.text), asked, try #require(ended.time))
    }

    /// The step offset at the start of the row whose text contains `text`.
    static func offset(of text: String, in rows: [String]) -> String? {
        rows.first { $0.contains(text) }?.split(separator: " ").first.map(String.init)
    }

    /// Times on the node's clock become monitor times once per batch: the spacing is kept, a later
    /// batch with a longer hand-over delay does not move its events later, and nothing goes backwards
    /// or into the future.
    @Test func nodeTimesMapOntoTheMonitorsClockOncePerBatch() {
        func node(_ milliseconds: Int64) -> Timestamp { Timestamp(nanoseconds: milliseconds * 1_000_000) }
        var mapping = NodeClockMapping()
        #expect(mapping.map([node(100), node(105), node(130)], handedOverAt: node(140), arrival: .milliseconds(1_000))
                == [.milliseconds(960), .milliseconds(965), .milliseconds(990)])
        // Handed over at 200, arriving after a longer delay: the smaller offset seen (860 ms) is kept.
        #expect(mapping.map([node(150), node(190)], handedOverAt: node(200), arrival: .milliseconds(1_080))
                == [.milliseconds(1_010), .milliseconds(1_050)])
        // Arriving faster than ever (offset 800 ms): a later event may not land before earlier ones.
        #expect(mapping.map([node(230)], handedOverAt: node(240), arrival: .milliseconds(1_040)) == [.milliseconds(1_050)])
    }

    /// A step under a millisecond (a punch on loopback) shows its hundredths, not 0.0ms.
    @Test func subMillisecondStepsShowAsSuch() {
        #expect(Formatting.stepOffset(.microseconds(340)) == "0.34ms")
        #expect(Formatting.stepOffset(.microseconds(30)) == "0.03ms")
        #expect(Formatting.stepOffset(.zero) == "0.0ms")
        #expect(Formatting.stepOffset(.milliseconds(4)) == "4.0ms")
        #expect(Formatting.stepOffset(.milliseconds(15)) == "15ms")
    }

    @Test func anAnswerThreeFiveMillisecondLinksAwayShowsFifteenMilliseconds() throws {
        let (rows, asked, ended) = try Self.punch(peer: PeerAddress(host: IPAddress(11, 0, 0, 2), port: 49737))
        #expect(ended.nanoseconds - asked.nanoseconds == 15_000_000)
        #expect(Self.offset(of: "_ping+forward", in: rows) == "+0.0ms", "\(rows)")
        #expect(Self.offset(of: "direct answer", in: rows) == "+15ms", "\(rows)")
    }

    @Test func aPunchNobodyAnswersFailsAfterItsTimeouts() throws {
        let (rows, asked, ended) = try Self.punch(peer: PeerAddress(host: IPAddress(11, 0, 0, 9), port: 49737))
        let waited = Duration.nanoseconds(ended.nanoseconds - asked.nanoseconds)
        #expect(waited >= .seconds(1), "a punch fails only after its request timed out")
        #expect(Self.offset(of: "failed:", in: rows) == "+" + Formatting.stepOffset(waited), "\(rows)")
    }
}
