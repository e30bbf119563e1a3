import IPEncoding
import NATDiagnosis
import Testing

/// The classifier's rules, one at a time: each cause from the facts that imply it, the order in
/// which rules win, and that a missing probe is never read as an answer.
@Suite struct PunchFailureClassifierTests {
    let us = PeerAddress(host: IPAddress(192, 168, 1, 10), port: 4000)
    let ourPublic = PeerAddress(host: IPAddress(198, 51, 100, 7), port: 4000)
    let peer = PeerAddress(host: IPAddress(203, 0, 113, 5), port: 6000)
    let referrer = PeerAddress(host: IPAddress(198, 51, 100, 1), port: 49737)
    let other = PeerAddress(host: IPAddress(198, 51, 100, 2), port: 49737)
    let third = PeerAddress(host: IPAddress(198, 51, 100, 3), port: 49737)
    let classifier = PunchFailureClassifier()

    /// Facts where the referrer answered and two nodes see us at one public address (a consistent NAT).
    func aliveReferrerFacts() -> PunchFailureFacts {
        var facts = PunchFailureFacts(peer: peer, referrer: referrer)
        facts.referrerAnswered = true
        facts.otherNodesAsked = 1
        facts.localHosts = [us.host]
        facts.observations = [.init(reporter: referrer, observed: ourPublic), .init(reporter: other, observed: ourPublic)]
        facts.peerAnsweredDirectPing = false
        return facts
    }

    @Test func aReferrerThatDoesNotAnswerADirectPingIsUnreachable() {
        var facts = PunchFailureFacts(peer: peer, referrer: referrer)
        facts.referrerAnswered = false
        facts.otherNodesAsked = 2
        facts.observations = [.init(reporter: other, observed: ourPublic)]
        let (cause, explanation) = classifier.classify(facts)
        #expect(cause == .referrerUnreachable)
        #expect(explanation.contains("Other nodes answer us (1 of 2)"))
    }

    @Test func whenNoNodeAnswersTheExplanationSuspectsOurOwnConnection() {
        var facts = PunchFailureFacts(peer: peer, referrer: referrer)
        facts.referrerAnswered = false
        facts.otherNodesAsked = 3
        let (cause, explanation) = classifier.classify(facts)
        #expect(cause == .referrerUnreachable)
        #expect(explanation.contains("our own connection may be down"))
    }

    @Test func aPeerBehindOurOwnNATHasOurPublicHost() {
        var facts = aliveReferrerFacts()
        facts.peer = PeerAddress(host: ourPublic.host, port: 5123)
        #expect(classifier.classify(facts).cause == .samePublicAddress)
    }

    @Test func sharingAHostWithoutANATIsNotSamePublicAddress() {
        // On one machine (no NAT: nodes see one of our own hosts) a peer at our host is just another process.
        var facts = aliveReferrerFacts()
        facts.localHosts = [ourPublic.host]
        facts.peer = PeerAddress(host: ourPublic.host, port: 5123)
        #expect(facts.behindNAT == false)
        #expect(classifier.classify(facts).cause == .peerGone)
        // Unknown own hosts: no claim about a NAT either.
        facts.localHosts = []
        #expect(classifier.classify(facts).cause == .peerGone)
    }

    @Test func differentPortsSeenByDifferentNodesMeanOurNATRandomisesPorts() {
        var facts = aliveReferrerFacts()
        facts.observations[1].observed.port = 41234
        #expect(facts.ourMappingVariesByDestination == true)
        let (cause, explanation) = classifier.classify(facts)
        #expect(cause == .portRandomisingNAT)
        #expect(explanation.contains("our NAT"))
        // One reporter alone proves nothing.
        facts.observations.removeLast()
        #expect(facts.ourMappingVariesByDestination == nil)
        #expect(classifier.classify(facts).cause == .peerGone)
    }

    @Test func anAnswerFromAnotherPortOfThePeersHostMeansThePeersNATRandomisesPorts() {
        var facts = aliveReferrerFacts()
        facts.unexpectedAnswers = [PeerAddress(host: peer.host, port: 61001)]
        let (cause, explanation) = classifier.classify(facts)
        #expect(cause == .portRandomisingNAT)
        #expect(explanation.contains("the peer's NAT") && explanation.contains("203.0.113.5:61001"))
        // From another host it is not the peer's NAT at all.
        facts.unexpectedAnswers = [PeerAddress(host: third.host, port: 61001)]
        #expect(classifier.classify(facts).cause == .peerGone)
    }

    @Test func storingNodesThatSeeThePeerAtDifferentPortsMeanItsNATRandomisesPorts() {
        var facts = aliveReferrerFacts()
        facts.peerSightings = [.init(reportedBy: referrer, address: peer),
                               .init(reportedBy: other, address: PeerAddress(host: peer.host, port: 6100))]
        #expect(classifier.classify(facts).cause == .portRandomisingNAT)
    }

    @Test func twoConsistentPeersBehindOneNATAreNotAPortRandomisingNAT() {
        var facts = aliveReferrerFacts()
        let sibling = PeerAddress(host: peer.host, port: 6001)
        facts.peerSightings = [.init(reportedBy: referrer, address: peer), .init(reportedBy: referrer, address: sibling),
                               .init(reportedBy: other, address: peer), .init(reportedBy: other, address: sibling)]
        #expect(facts.peerPortsVaryingByDestination.isEmpty)
        #expect(classifier.classify(facts).cause == .peerGone)
    }

    @Test func aPunchThroughAnotherReferrerThatWorksMeansTheMappingExpired() {
        var facts = aliveReferrerFacts()
        facts.alternatePunches = [.init(referrer: third, answered: false), .init(referrer: other, answered: true)]
        let (cause, explanation) = classifier.classify(facts)
        #expect(cause == .peerMappingExpired)
        #expect(explanation.contains("Punch through \(other)"))
    }

    @Test func aPeerHeardFromRecentlyIsLikelyAliveWithAnExpiredMapping() {
        var facts = aliveReferrerFacts()
        facts.lastHeardFromPeer = .seconds(90)
        let (cause, explanation) = classifier.classify(facts)
        #expect(cause == .peerMappingExpired)
        #expect(explanation.contains("likely alive"))
        facts.lastHeardFromPeer = .seconds(301)
        #expect(classifier.classify(facts).cause == .peerGone)
    }

    @Test func aSilentPeerWithNoSignOfLifeIsLikelyGoneAndTheExplanationNamesTheAlternative() {
        var facts = aliveReferrerFacts()
        facts.alternatePunches = [.init(referrer: other, answered: false)]
        let (cause, explanation) = classifier.classify(facts)
        #expect(cause == .peerGone)
        #expect(explanation.contains("likely gone") && explanation.contains("looks the same"))
        #expect(explanation.contains("1 other node"))
    }

    @Test func aPeerThatAnswersADirectPingNowMakesTheFailureTransient() {
        var facts = aliveReferrerFacts()
        facts.peerAnsweredDirectPing = true
        facts.observations[1].observed.port = 41234  // even with a varying mapping: the path works now
        #expect(classifier.classify(facts).cause == .unknown)
    }

    @Test func aPeerThatAnswersAfterAPunchWithoutDirectPingsShowsOurNATDroppedItsAnswer() {
        var facts = aliveReferrerFacts()
        facts.peerAnsweredDirectPing = true
        facts.punchOpenedOwnMapping = false
        let (cause, explanation) = classifier.classify(facts)
        #expect(cause == .unknown)
        #expect(explanation.contains("sent no direct pings"))
    }

    @Test func unprobedReferrerIsNeverReadAsAliveOrDead() {
        let facts = PunchFailureFacts(peer: peer, referrer: referrer)
        #expect(classifier.classify(facts).cause == .unknown)
    }

    @Test func causeIdsAreTheCommandLineContract() {
        #expect(PunchFailureCause.allCases.map(\.rawValue) == [
            "referrer-unreachable", "peer-mapping-expired", "peer-gone", "port-randomising-nat", "same-public-address",
            "unknown",
        ])
    }
}
