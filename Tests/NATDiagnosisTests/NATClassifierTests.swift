import Foundation
import IPEncoding
import NATDiagnosis
import Testing

@Suite struct NATClassifierTests {
    static let lan = IPAddress(192, 168, 1, 5)
    static let publicHost = IPAddress(203, 0, 113, 7)
    static let interfaces = [IPAddress.loopbackV4, lan]
    static let unspecified = PeerAddress(host: .anyV4, port: 4000)

    static func reporter(_ index: UInt8, port: UInt16 = 49737) -> PeerAddress {
        PeerAddress(host: IPAddress(198, 51, 100, index), port: port)
    }

    static func seen(_ port: UInt16, host: IPAddress = publicHost) -> PeerAddress { PeerAddress(host: host, port: port) }

    static func reports(_ observed: [PeerAddress]) -> [AddressReport] {
        observed.enumerated().map { AddressReport(reporter: reporter(UInt8($0.offset + 1)), observed: $0.element) }
    }

    static func classify(bound: PeerAddress = unspecified, _ observed: [PeerAddress], filtering: [FilteringAttempt] = [],
                         hairpin: HairpinAttempt? = nil) -> NATReport {
        NATClassifier.classify(NATProbeInputs(boundAddress: bound, interfaceAddresses: interfaces,
                                              reports: reports(observed), filtering: filtering, hairpin: hairpin))
    }

    // MARK: Mapping

    /// Issue 10 item 1: bound to 0.0.0.0 behind a port-preserving NAT the observed port equals ours;
    /// the unspecified host must not match the public host.
    @Test func boundToAnyAddressBehindAPortPreservingNATIsNotOpen() {
        let report = Self.classify([Self.seen(4000), Self.seen(4000), Self.seen(4000)])
        #expect(report.mapping == .endpointIndependent)
        #expect(report.portPreserving == true)
        #expect(report.verdict == .punchingWorksWithConsistentPeers)
        #expect(report.publicAddress == Self.seen(4000))
        #expect(report.localAddresses == [PeerAddress(host: .loopbackV4, port: 4000), PeerAddress(host: Self.lan, port: 4000)])
    }

    @Test func ourOwnInterfaceAddressSeenByEveryoneMeansNoNAT() {
        let own = PeerAddress(host: Self.lan, port: 4000)
        let report = Self.classify([own, own, own])
        #expect(report.mapping == .none)
        #expect(report.portPreserving == nil)
        #expect(report.hairpinning == nil)
        #expect(report.verdict == .reachableDirectly)
    }

    @Test func aSpecificBindAddressIsTheOnlyLocalAddress() {
        let bound = PeerAddress(host: Self.lan, port: 4000)
        let loopbackSeen = PeerAddress(host: .loopbackV4, port: 4000)
        #expect(Self.classify(bound: bound, [bound, bound]).mapping == .none)
        #expect(Self.classify(bound: bound, [loopbackSeen, loopbackSeen]).mapping == .endpointIndependent)
    }

    @Test func aTranslatedPortIsNotPortPreserving() {
        let report = Self.classify([Self.seen(5000), Self.seen(5000)])
        #expect(report.mapping == .endpointIndependent)
        #expect(report.portPreserving == false)
    }

    @Test func everyReporterSeeingItsOwnPortIsPortRandomising() {
        let report = Self.classify([Self.seen(5000), Self.seen(61001), Self.seen(33012), Self.seen(4000)])
        #expect(report.mapping == .portRandomising)
        #expect(report.portPreserving == false)
        #expect(report.verdict == .punchingUnlikelyPortRandomising)
        #expect(report.verdictText.contains("port-randomising"))
    }

    @Test func somePortsSharedAndSomeNotVariesByDestination() {
        let report = Self.classify([Self.seen(5000), Self.seen(5000), Self.seen(5001)])
        #expect(report.mapping == .variesByDestination)
        #expect(report.verdict == .punchingUnlikelyPortRandomising)
        #expect(report.publicAddress == Self.seen(5000))
    }

    @Test func fewerThanTwoReportersIsUnknown() {
        #expect(Self.classify([]).mapping == .unknown)
        #expect(Self.classify([]).publicAddress == nil)
        let one = Self.classify([Self.seen(4000)])
        #expect(one.mapping == .unknown)
        #expect(one.verdict == .unknown)
        #expect(one.publicAddress == Self.seen(4000))
        #expect(one.reporters == 1)
    }

    @Test func onlyTheLatestReportOfEachReporterCounts() {
        let first = AddressReport(reporter: Self.reporter(1), observed: Self.seen(5000))
        let other = AddressReport(reporter: Self.reporter(2), observed: Self.seen(6000))
        let again = AddressReport(reporter: Self.reporter(1), observed: Self.seen(6000))
        let inputs = NATProbeInputs(boundAddress: Self.unspecified, interfaceAddresses: Self.interfaces,
                                    reports: [first, other, again])
        let report = NATClassifier.classify(inputs)
        #expect(report.reporters == 2)
        #expect(report.mapping == .endpointIndependent)
        #expect(report.publicAddress == Self.seen(6000))
    }

    // MARK: Filtering

    static let referrer = reporter(1)
    static let stranger = PeerAddress(host: IPAddress(198, 51, 100, 99), port: 49737)

    @Test func anUnsolicitedAnswerBehindANATIsEndpointIndependentFiltering() {
        let attempt = FilteringAttempt(referrer: Self.referrer, peer: Self.stranger, peerHostContacted: false,
                                       forwardedAnswerArrived: true, forwardedRoundTripTime: .milliseconds(3))
        let report = Self.classify([Self.seen(4000), Self.seen(4000)], filtering: [attempt])
        #expect(report.filtering == .endpointIndependent)
        #expect(report.verdict == .reachableDirectly)
        #expect(report.evidence(for: .filtering).contains { $0.text.contains("198.51.100.99:49737") && $0.text.contains("got in") })
    }

    @Test func anUnsolicitedAnswerWithoutANATIsOpen() {
        let own = PeerAddress(host: Self.lan, port: 4000)
        let attempt = FilteringAttempt(referrer: Self.referrer, peer: Self.stranger, peerHostContacted: true,
                                       forwardedAnswerArrived: true)
        let report = Self.classify([own, own], filtering: [attempt])
        #expect(report.filtering == .open)
        #expect(report.verdict == .reachableDirectly)
    }

    @Test func anAnswerFromAHostWeHadSentToProvesNothingBehindANAT() {
        let attempt = FilteringAttempt(referrer: Self.referrer, peer: Self.stranger, peerHostContacted: true,
                                       forwardedAnswerArrived: true)
        #expect(Self.classify([Self.seen(4000), Self.seen(4000)], filtering: [attempt]).filtering == .unknown)
    }

    @Test func silenceFromANodeThatIsAliveIsAddressDependentFiltering() {
        let dead = FilteringAttempt(referrer: Self.referrer, peer: Self.reporter(50), peerHostContacted: false,
                                    forwardedAnswerArrived: false, directAnswer: false)
        let alive = FilteringAttempt(referrer: Self.referrer, peer: Self.stranger, peerHostContacted: false,
                                     forwardedAnswerArrived: false, directAnswer: true)
        let report = Self.classify([Self.seen(4000), Self.seen(4000)], filtering: [dead, alive])
        #expect(report.filtering == .addressDependent)
        #expect(report.verdict == .punchingWorksWithConsistentPeers)
        #expect(report.evidence(for: .filtering).first?.text.contains("198.51.100.99:49737") == true, "decisive evidence first")
        #expect(report.evidence(for: .filtering).first?.text.contains("answered a direct _ping (alive)") == true)
    }

    @Test func silenceFromNodesNotShownAliveIsUnknown() {
        let dead = FilteringAttempt(referrer: Self.referrer, peer: Self.stranger, peerHostContacted: false,
                                    forwardedAnswerArrived: false, directAnswer: false)
        #expect(Self.classify([Self.seen(4000), Self.seen(4000)], filtering: [dead]).filtering == .unknown)
        #expect(Self.classify([Self.seen(4000), Self.seen(4000)]).filtering == .unknown)
    }

    @Test func aFirewallWithoutNATStillNeedsPunching() {
        let own = PeerAddress(host: Self.lan, port: 4000)
        let alive = FilteringAttempt(referrer: Self.referrer, peer: Self.stranger, peerHostContacted: false,
                                     forwardedAnswerArrived: false, directAnswer: true)
        let report = Self.classify([own, own], filtering: [alive])
        #expect(report.filtering == .addressDependent)
        #expect(report.verdict == .punchingWorksWithConsistentPeers)
    }

    // MARK: Hairpinning

    @Test func hairpinningIsReportedOnlyBehindANAT() {
        let back = HairpinAttempt(target: Self.seen(4000), answered: true, roundTripTime: .microseconds(1500))
        let lost = HairpinAttempt(target: Self.seen(4000), answered: false)
        let nat = [Self.seen(4000), Self.seen(4000)]
        #expect(Self.classify(nat, hairpin: back).hairpinning == true)
        #expect(Self.classify(nat, hairpin: back).evidence(for: .hairpinning).first?.text.contains("1.5 ms") == true)
        #expect(Self.classify(nat, hairpin: lost).hairpinning == false)
        #expect(Self.classify(nat).hairpinning == nil)
        let own = PeerAddress(host: Self.lan, port: 4000)
        #expect(Self.classify([own, own], hairpin: back).hairpinning == nil)
    }

    // MARK: Evidence and JSON

    @Test func everyReportIsEvidenceForThePublicAddress() {
        let report = Self.classify([Self.seen(4000), Self.seen(4001)])
        let lines = report.evidence(for: .publicAddress).map(\.text)
        #expect(lines == ["198.51.100.1:49737 sees us at 203.0.113.7:4000", "198.51.100.2:49737 sees us at 203.0.113.7:4001"])
        #expect(!report.evidence(for: .mapping).isEmpty)
        #expect(report.evidence(for: .localAddresses).first?.text.contains("0.0.0.0:4000") == true)
    }

    @Test func theJSONFollowsTheNetcheckContract() throws {
        let report = Self.classify([Self.seen(4000)])
        let data = try JSONEncoder().encode(report)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["type"] as? String == "netcheck")
        #expect(object["mapping"] as? String == "unknown")
        #expect(object["verdict"] as? String == "unknown")
        #expect(object["portPreserving"] is NSNull)
        #expect(object["hairpinning"] is NSNull)
        #expect(object["reporters"] as? Int == 1)
        let publicAddress = try #require(object["publicAddress"] as? [String: Any])
        #expect(publicAddress["host"] as? String == "203.0.113.7")
        #expect(publicAddress["port"] as? Int == 4000)
        let evidence = try #require(object["evidence"] as? [[String: Any]])
        #expect(evidence.contains { $0["line"] as? String == "public-address" })
        #expect(try JSONDecoder().decode(NATReport.self, from: data) == report)
        let none = try JSONEncoder().encode(Self.classify([]))
        let noneObject = try #require(try JSONSerialization.jsonObject(with: none) as? [String: Any])
        #expect(noneObject["publicAddress"] is NSNull)
    }
}
