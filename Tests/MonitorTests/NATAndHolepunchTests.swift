import IPEncoding
import Monitor
import NATDiagnosis
import UDPRequest
import Testing

/// The NAT panel's diagnosis comes from NATDiagnosis's classifier, fed by the model's samples and the
/// status's interface addresses and probe results.
@Suite struct NATObservationsTests {
    static let lan = IPAddress(192, 168, 1, 5)
    static func seen(_ port: UInt16, host: IPAddress = IPAddress(203, 0, 113, 7)) -> PeerAddress { PeerAddress(host: host, port: port) }
    static func reporter(_ port: UInt16) -> PeerAddress { PeerAddress(host: IPAddress(198, 51, 100, 1), port: port) }

    static func status(bound: PeerAddress, interfaces: [IPAddress] = [.loopbackV4, lan],
                       probes: NATProbeResults = NATProbeResults()) -> NodeStatus {
        NodeStatus(id: Fixture.localID, localAddress: bound, isReady: true, uptime: .seconds(1), now: Timestamp(nanoseconds: 0),
                   buckets: [], interfaceAddresses: interfaces, natProbes: probes)
    }

    static func observations(_ observed: [PeerAddress]) -> NATObservations {
        var nat = NATObservations()
        for (index, address) in observed.enumerated() {
            nat.apply(.observedAddress(address, reportedBy: reporter(UInt16(1000 + index))), at: .seconds(index))
        }
        return nat
    }

    /// Issue 10 item 1: bound to 0.0.0.0 behind a port-preserving NAT, the panel said "open".
    @Test func boundToAnyAddressBehindAPortPreservingNATIsAConsistentMappingNotOpen() {
        let nat = Self.observations([Self.seen(4000), Self.seen(4000)])
        let report = nat.report(for: Self.status(bound: PeerAddress(host: .anyV4, port: 4000)))
        #expect(report.mapping == .endpointIndependent)
        #expect(report.verdict == .punchingWorksWithConsistentPeers)
    }

    @Test func ourInterfaceAddressSeenByEveryoneIsReachableDirectly() {
        let nat = Self.observations([PeerAddress(host: Self.lan, port: 4000), PeerAddress(host: Self.lan, port: 4000)])
        let report = nat.report(for: Self.status(bound: PeerAddress(host: .anyV4, port: 4000)))
        #expect(report.mapping == .none)
        #expect(report.verdict == .reachableDirectly)
    }

    @Test func theProbeResultsInTheStatusDecideFilteringAndHairpinning() {
        let nat = Self.observations([Self.seen(4000), Self.seen(4000)])
        let blocked = FilteringAttempt(referrer: Self.reporter(1000), peer: Self.seen(49737, host: IPAddress(198, 51, 100, 9)),
                                       peerHostContacted: false, forwardedAnswerArrived: false, directAnswer: true)
        let probes = NATProbeResults(filtering: [blocked], hairpin: HairpinAttempt(target: Self.seen(4000), answered: false))
        let report = nat.report(for: Self.status(bound: PeerAddress(host: .anyV4, port: 4000), probes: probes))
        #expect(report.filtering == .addressDependent)
        #expect(report.hairpinning == false)
    }

    @Test func theLatestReportOfEachReporterCounts() {
        var nat = NATObservations()
        let a = PeerAddress(host: .loopbackV4, port: 1), b = PeerAddress(host: .loopbackV4, port: 2)
        let status = Self.status(bound: PeerAddress(host: Self.lan, port: 4000))
        nat.apply(.observedAddress(Self.seen(5000), reportedBy: a), at: .seconds(1))
        nat.apply(.observedAddress(Self.seen(6000), reportedBy: b), at: .seconds(2))
        #expect(nat.report(for: status).mapping == .portRandomising)
        nat.apply(.observedAddress(Self.seen(6000), reportedBy: a), at: .seconds(3))
        #expect(nat.report(for: status).mapping == .endpointIndependent)
        #expect(nat.publicAddress == Self.seen(6000))
        #expect(nat.samples.count == 3)
    }

    @Test func reportsOlderThanTheWindowNoLongerCount() {
        var nat = NATObservations()
        let status = Self.status(bound: PeerAddress(host: .anyV4, port: 4000))
        nat.apply(.observedAddress(Self.seen(5000), reportedBy: Self.reporter(1)), at: .seconds(0))
        nat.apply(.observedAddress(Self.seen(6000), reportedBy: Self.reporter(2)), at: .seconds(700))
        nat.apply(.observedAddress(Self.seen(6000), reportedBy: Self.reporter(3)), at: .seconds(710))
        #expect(nat.report(for: status).mapping == .variesByDestination)
        #expect(nat.report(for: status, now: .seconds(720)).mapping == .endpointIndependent)
        #expect(nat.report(for: status, now: .seconds(720)).reporters == 2)
    }

    @Test func privacyModeMasksAddressesInsideEvidence() {
        let mask = AddressMasking(isEnabled: true)
        let text = mask.text(masking: "198.51.100.1:1000 sees us at 203.0.113.7:4000, not (10.0.0.1:5)")
        #expect(!text.contains("198.51.100.1") && !text.contains("203.0.113.7") && !text.contains("10.0.0.1"))
        #expect(text.hasSuffix(")") && !text.contains(":5)"), "ports are masked too: \(text)")
        #expect(text.contains(" sees us at "))
        #expect(AddressMasking().text(masking: "1.2.3.4:5") == "1.2.3.4:5")
    }
}

@Suite struct HolepunchLogTests {
    static let peer = PeerAddress(host: IPAddress(10, 0, 0, 2), port: 2000)
    static let referrer = PeerAddress(host: IPAddress(10, 0, 0, 3), port: 3000)

    @Test func anAnsweredPunchHasTimestampedSteps() {
        var log = HolepunchLog()
        log.apply(.holepunchAsked(peer: Self.peer, referrer: Self.referrer, tid: nil), at: .milliseconds(0))
        log.apply(.holepunchAsked(peer: Self.peer, referrer: Self.referrer, tid: 9), at: .milliseconds(2))
        log.apply(.holepunchAnswered(peer: Self.peer, referrer: Self.referrer, from: Self.peer, roundTripTime: .milliseconds(5)),
                  at: .milliseconds(7))
        let attempt = log.attempts[0]
        #expect(log.attempts.count == 1)
        #expect(attempt.tid == 9)
        #expect(attempt.steps.map(\.at) == [.zero, .milliseconds(2), .milliseconds(7)])
        #expect(attempt.state == .answered(roundTripTime: .milliseconds(5), from: Self.peer))
    }

    @Test func silenceIsNotBlamedOnTheReferrer() {
        // A referrer never answers a forward: hearing nothing says nothing about who failed.
        var log = HolepunchLog()
        log.apply(.holepunchAsked(peer: Self.peer, referrer: Self.referrer, tid: 1), at: .zero)
        log.apply(.holepunchFailed(peer: Self.peer, referrer: Self.referrer, reason: "timed out"), at: .seconds(1))
        #expect(log.attempts[0].state == .failed(.noAnswer, reason: "timed out"))
        #expect(!log.attempts[0].steps.contains { $0.text.contains("referrer silent") })
        #expect(log.attempts[0].steps.last?.text.contains("does not say who failed") == true)
    }

    @Test func theFollowUpsStepsAndVerdictJoinTheFailedPunch() {
        var log = HolepunchLog()
        let other = PeerAddress(host: IPAddress(10, 0, 0, 4), port: 4000)
        log.apply(.holepunchAsked(peer: Self.peer, referrer: Self.referrer, tid: 1), at: .zero)
        log.apply(.holepunchFailed(peer: Self.peer, referrer: Self.referrer, reason: "timed out"), at: .milliseconds(1400))
        log.apply(.holepunchProbeStep(peer: Self.peer, referrer: Self.referrer, text: "referrer answered a direct _ping",
                                      isProblem: false), at: .milliseconds(1410))
        log.apply(.holepunchProbeStep(peer: Self.peer, referrer: other, text: "not this punch's", isProblem: false),
                  at: .milliseconds(1420))
        log.apply(.holepunchProbeStep(peer: Self.peer, referrer: Self.referrer, text: "peer did not answer a direct _ping",
                                      isProblem: true), at: .milliseconds(2800))
        #expect(log.attempts[0].probing)
        #expect(log.attempts[0].state == .failed(.noAnswer, reason: "timed out"))
        log.apply(.holepunchExplained(peer: Self.peer, referrer: Self.referrer, cause: "peer-gone", label: "peer likely gone",
                                      explanation: "it has likely gone"), at: .milliseconds(2810))
        let attempt = log.attempts[0]
        #expect(!attempt.probing)
        #expect(attempt.state == .failed(.explained(cause: "peer-gone", label: "peer likely gone"), reason: "it has likely gone"))
        #expect(attempt.steps.suffix(3).map(\.text) == [
            "referrer answered a direct _ping", "peer did not answer a direct _ping", "likely cause (peer-gone): it has likely gone",
        ])
        #expect(attempt.steps.suffix(3).map(\.at) == [.milliseconds(1410), .milliseconds(2800), .milliseconds(2810)])
        #expect(attempt.steps.suffix(3).map(\.isProblem) == [false, true, true])
        // A verdict is final: later steps for the same peer and referrer find no attempt to join.
        log.apply(.holepunchProbeStep(peer: Self.peer, referrer: Self.referrer, text: "late", isProblem: false), at: .seconds(3))
        #expect(log.attempts[0].steps.last?.text != "late")
    }

    @Test func anAnswerFromAnUnexpectedPortIsClassified() {
        var log = HolepunchLog()
        let other = PeerAddress(host: IPAddress(10, 0, 0, 2), port: 2999)
        log.apply(.holepunchAsked(peer: Self.peer, referrer: Self.referrer, tid: 5), at: .zero)
        log.apply(.spoofedResponse(tid: 5, from: other, expected: Self.referrer), at: .milliseconds(3))
        log.apply(.holepunchFailed(peer: Self.peer, referrer: Self.referrer, reason: "timed out"), at: .seconds(1))
        #expect(log.attempts[0].state == .failed(.unexpectedAddress(other), reason: "timed out"))
        #expect(log.attempts[0].steps.contains { $0.isProblem && $0.text.contains("10.0.0.2:2999") })
    }

    @Test func forwardsAndReceivedPunchesAreRecorded() {
        var log = HolepunchLog()
        log.apply(.holepunchForwarded(from: Self.peer, to: Self.referrer, tid: 4), at: .zero)
        log.apply(.holepunchReceived(requester: Self.peer, referrer: Self.referrer, tid: 4), at: .zero)
        #expect(log.attempts.map(\.role) == [.referrer, .target])
        #expect(log.attempts[1].steps.count == 2)
    }
}
