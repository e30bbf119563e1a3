import DHTRPC
import Foundation
import IPEncoding
import KBucket
import Monitor
import NATDiagnosis
import Testing
import UDPRequest

/// Fixed inputs for render tests and golden-file comparison.
enum Fixture {
    static func id(_ byte: UInt8, _ fill: UInt8 = 0x11) -> NodeID { NodeID([byte] + Array(repeating: fill, count: 31)) }
    static func address(_ port: UInt16, _ last: UInt8 = 1) -> PeerAddress { PeerAddress(host: IPAddress(127, 0, 0, last), port: port) }

    static let localID = id(0x5A, 0xA5)
    static let local = address(40000)
    static let ms = Duration.milliseconds

    /// A node with three buckets (prefixes 1, 00, 01 – the last is ours), a few requests in flight.
    static var status: NodeStatus {
        let now = Timestamp(nanoseconds: 65_000_000_000)
        func contact(_ byte: UInt8, _ port: UInt16, seenAgo: Int64, rtt: Int64?) -> ContactStatus {
            ContactStatus(id: id(byte), address: address(port), lastSeen: Timestamp(nanoseconds: now.nanoseconds - seenAgo * 1_000_000),
                          roundTripTime: rtt.map { .microseconds($0) })
        }
        var counters = RequestSocketCounters()
        counters.datagramsIn = 1200
        counters.datagramsOut = 1100
        counters.bytesIn = 180_000
        counters.bytesOut = 90_000
        counters.timeouts = 3
        counters.malformedDropped = 1
        return NodeStatus(
            id: localID, localAddress: local, isReady: true, uptime: .seconds(3725), now: now,
            buckets: [
                BucketStatus(prefix: "00", containsLocalID: false, capacity: 20, contacts: [
                    contact(0x12, 40012, seenAgo: 9000, rtt: 1800), contact(0x2C, 40044, seenAgo: 1200, rtt: 450),
                ]),
                BucketStatus(prefix: "01", containsLocalID: true, capacity: 20, contacts: [
                    contact(0x44, 40068, seenAgo: 300, rtt: nil),
                ]),
                BucketStatus(prefix: "1", containsLocalID: false, capacity: 20, contacts:
                    (0..<20).map { contact(0x80 + UInt8($0) * 3, 41000 + UInt16($0), seenAgo: Int64(100 * $0), rtt: 500 + Int64($0) * 10) }),
            ],
            inflight: [
                InflightStatus(tid: 17, command: "_find_node", destination: address(40012), firstSentAt: Timestamp(nanoseconds: now.nanoseconds - 420_000_000), transmissions: 2),
                InflightStatus(tid: 18, command: "_ping", destination: address(41001), firstSentAt: Timestamp(nanoseconds: now.nanoseconds - 30_000_000),
                               holepunchTarget: address(45000, 9)),
            ],
            activeQueries: 1, socketCounters: counters,
            natProbes: NATProbeResults(filtering: [
                FilteringAttempt(referrer: address(40012), peer: address(40090, 2), peerHostContacted: false,
                                 forwardedAnswerArrived: true, forwardedRoundTripTime: .microseconds(1200)),
            ]))
    }

    /// Events covering every pane: requests, a walk, punches, address reports.
    static var events: [TimedEvent] {
        let t = { (ms: Int) in Duration.milliseconds(ms) }
        return [
            TimedEvent(at: t(1000), event: .responseMatched(tid: 11, command: "_ping", from: address(40044), roundTripTime: .microseconds(450))),
            TimedEvent(at: t(1100), event: .requestTimedOut(tid: 12, command: "_find_node", to: address(49999), transmissions: 3)),
            TimedEvent(at: t(1200), event: .queryStarted(id: 7, command: "_find_node", target: id(0x99, 0x01), isUpdate: false)),
            TimedEvent(at: t(1210), event: .queryProgressed(id: 7, QueryStep(responses: 1, errors: 0, inflight: 2, hops: 1, closestPrefix: 1,
                                                                            node: NodeReference(id: id(0x80), address: address(41000)), answered: true))),
            TimedEvent(at: t(1230), event: .queryProgressed(id: 7, QueryStep(responses: 2, errors: 1, inflight: 1, hops: 2, closestPrefix: 5,
                                                                            node: NodeReference(id: id(0x9B), address: address(41009)), answered: true))),
            TimedEvent(at: t(1300), event: .queryFinished(id: 7, QueryOutcome(responses: 2, errors: 1, hops: 2, duration: .milliseconds(100), closest: [
                NodeReference(id: id(0x9B), address: address(41009)), NodeReference(id: id(0x80), address: address(41000)),
            ]))),
            TimedEvent(at: t(1400), event: .queryStarted(id: 8, command: "_find_node", target: id(0x21, 0x02), isUpdate: false)),
            TimedEvent(at: t(2000), event: .holepunchAsked(peer: address(45000, 9), referrer: address(41001), tid: 18)),
            TimedEvent(at: t(2004), event: .holepunchAnswered(peer: address(45000, 9), referrer: address(41001), from: address(45000, 9), roundTripTime: .milliseconds(4))),
            TimedEvent(at: t(2500), event: .holepunchAsked(peer: address(46000, 8), referrer: address(41002), tid: 19)),
            TimedEvent(at: t(3500), event: .holepunchFailed(peer: address(46000, 8), referrer: address(41002), reason: "timed out")),
            TimedEvent(at: t(3510), event: .holepunchProbeStep(peer: address(46000, 8), referrer: address(41002),
                                                               text: "referrer 127.0.0.1:41002 answered a direct _ping in 0.4 ms", isProblem: false)),
            TimedEvent(at: t(3900), event: .holepunchProbeStep(peer: address(46000, 8), referrer: address(41002),
                                                               text: "peer 127.0.0.8:46000 did not answer a direct _ping", isProblem: true)),
            TimedEvent(at: t(3910), event: .holepunchExplained(peer: address(46000, 8), referrer: address(41002), cause: "peer-gone",
                                                               label: "peer likely gone",
                                                               explanation: "the referrer answers, the peer does not: it has likely gone.")),
            TimedEvent(at: t(2600), event: .holepunchForwarded(from: address(47000, 7), to: address(41003), tid: 300)),
            TimedEvent(at: t(3000), event: .observedAddress(address(40000), reportedBy: address(40012))),
            TimedEvent(at: t(3100), event: .observedAddress(address(40000), reportedBy: address(40044))),
        ]
    }

    static func model(now: Duration = .seconds(4)) -> MonitorModel {
        var model = MonitorModel()
        model.apply(events, now: now)
        model.apply(status: status, at: now)
        return model
    }

    static func context(view: ViewState = ViewState(), now: Duration = .seconds(4)) -> RenderContext {
        RenderContext(model: model(now: now), view: view, now: now)
    }
}

/// Compares text with `Fixtures/golden/NAME.txt`; `UPDATE_GOLDEN=1` (re)writes the file instead.
enum Golden {
    static var directory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/golden")
    }

    static func check(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let url = directory.appendingPathComponent("\(name).txt")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(text + "\n" == expected, "screen differs from golden \(name).txt (UPDATE_GOLDEN=1 rewrites it)",
                sourceLocation: sourceLocation)
    }
}
