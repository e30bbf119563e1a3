import DHTRPC
import IPEncoding
import NATDiagnosis
import NetworkSimulation
import Testing
import UDPRequest

/// The follow-up probes on a simulated network with NATs shaped like the lab's: every cause from a
/// real punch that fails for that reason, and the probe's bounds.
@Suite struct PunchFailureProbeTests {
    /// A public segment (bootstrap node and three plain nodes) on a simulated network with NATs.
    final class Lab {
        let network: SimulatedNetwork
        let nat = ConntrackNATPolicy()
        var nodes: [DHTNode] = []
        let bootstrap: DHTNode, referrer: DHTNode, otherReferrer: DHTNode, plain: DHTNode

        init(seed: UInt64) throws {
            network = try SimulatedNetwork(seed: seed, conditions: LinkConditions(latency: .milliseconds(5)))
            network.pathPolicy = nat
            var made: [DHTNode] = []
            for index in 1...4 {
                made.append(try Self.makeNode(network, host: IPAddress(10, 0, 0, UInt8(index)),
                                              bootstrap: index == 1 ? [] : [PeerAddress(host: IPAddress(10, 0, 0, 1), port: 49737)],
                                              seed: seed &+ UInt64(index)))
            }
            (bootstrap, referrer, otherReferrer, plain) = (made[0], made[1], made[2], made[3])
            nodes = made
            for node in made { node.start() }
            run(.seconds(5))
        }

        static func makeNode(_ network: SimulatedNetwork, host: IPAddress, bootstrap: [PeerAddress], seed: UInt64,
                             ephemeral: Bool = false, quiet: Bool = false) throws -> DHTNode {
            // A quiet node sends nothing by itself (no upkeep pings), so its NAT mappings age unless a test refreshes them.
            try DHTNode(configuration: DHTNodeConfiguration(ephemeral: ephemeral, bootstrap: bootstrap,
                                                            pingEveryTicks: quiet ? 100_000 : 8),
                        transport: try network.bind(host: host, port: 49737), scheduler: network.scheduler,
                        random: .seeded(seed))
        }

        /// A node at `host` (behind a NAT if one was added for it), joined to the public segment – or,
        /// `quiet`, only started: it talks to nobody until a test makes it.
        func join(_ host: IPAddress, seed: UInt64, ephemeral: Bool = false, quiet: Bool = false) throws -> DHTNode {
            let node = try Self.makeNode(network, host: host, bootstrap: quiet ? [] : [bootstrap.localAddress], seed: seed,
                                         ephemeral: ephemeral, quiet: quiet)
            node.start()
            nodes.append(node)
            run(.seconds(3))
            return node
        }

        func run(_ duration: Duration) { _ = network.scheduler.run(for: duration) }

        /// Where `node` appears to `other` (pings it, so `node`'s NAT maps a port toward `other`).
        func publicAddress(of node: DHTNode, seenBy other: DHTNode) throws -> PeerAddress {
            var reply: Result<PingReply, DHTError>?
            node.ping(other.localAddress) { reply = $0 }
            run(.seconds(2))
            return try #require(reply).get().observedAddress
        }

        /// Punches from `node` to `peer` via `referrer` with the follow-up, on virtual time.
        func punch(from node: DHTNode, to peer: PeerAddress, via referrer: PeerAddress,
                   hints: PunchFailureProbe.Hints = .init(), live: ((PunchFailureProbe.Event) -> Void)? = nil) throws -> PunchOutcome {
            let probe = PunchFailureProbe(node: node, peer: peer, referrer: referrer, localAddress: node.localAddress, hints: hints)
            probe.onEvent = live
            node.onEvent = { probe.observe($0) }
            var outcome: PunchOutcome?
            probe.run { outcome = $0 }
            let deadline = network.scheduler.now + .seconds(30)
            while outcome == nil, network.scheduler.now < deadline { run(.milliseconds(100)) }
            node.onEvent = nil
            return try #require(outcome)
        }
    }

    func diagnosis(_ outcome: PunchOutcome) throws -> PunchFailureDiagnosis {
        guard case .failed(let diagnosis) = outcome else {
            Issue.record("the punch succeeded: \(outcome)")
            throw CancellationError()
        }
        return diagnosis
    }

    let natA = IPAddress(10, 1, 0, 1), hostA1 = IPAddress(192, 168, 1, 2), hostA2 = IPAddress(192, 168, 1, 3)
    let natB = IPAddress(10, 2, 0, 1), hostB1 = IPAddress(192, 168, 2, 2)

    @Test func aPunchThatWorksNeedsNoFollowUp() throws {
        let lab = try Lab(seed: 1)
        lab.nat.addNAT(publicHost: natB, internalHosts: [hostB1])
        let peer = try lab.join(hostB1, seed: 11)
        let us = try lab.join(IPAddress(10, 0, 0, 9), seed: 12)
        let peerPublic = try lab.publicAddress(of: peer, seenBy: lab.referrer)
        var live: [PunchFailureProbe.Event] = []
        let outcome = try lab.punch(from: us, to: peerPublic, via: lab.referrer.localAddress) { live.append($0) }
        guard case .punched(let reply) = outcome else {
            Issue.record("expected a punch, got \(outcome)")
            return
        }
        #expect(reply.responder == peerPublic)
        #expect(live.isEmpty)
    }

    @Test func aReferrerThatIsDownIsReportedUnreachable() throws {
        let lab = try Lab(seed: 2)
        let us = try lab.join(IPAddress(10, 0, 0, 9), seed: 21)
        let gone = PeerAddress(host: IPAddress(10, 0, 0, 77), port: 49737)
        let result = try diagnosis(try lab.punch(from: us, to: PeerAddress(host: natB, port: 49737), via: gone))
        #expect(result.cause == .referrerUnreachable)
        #expect(result.evidence.filter { $0.text.hasPrefix("referrer \(gone) did not answer") }.count == 2)
        #expect(result.explanation.contains("Other nodes answer us"))
    }

    @Test func aPeerThatHasGoneIsLikelyGone() throws {
        let lab = try Lab(seed: 3)
        lab.nat.addNAT(publicHost: natB, internalHosts: [hostB1])
        let peer = try lab.join(hostB1, seed: 31, ephemeral: true)
        let peerPublic = try lab.publicAddress(of: peer, seenBy: lab.referrer)
        peer.close()
        let us = try lab.join(IPAddress(10, 0, 0, 9), seed: 32)
        var events: [PunchFailureProbe.Event] = []
        let result = try diagnosis(try lab.punch(from: us, to: peerPublic, via: lab.referrer.localAddress) { events.append($0) })
        #expect(result.cause == .peerGone)
        #expect(result.evidence.contains { $0.text.hasPrefix("referrer \(lab.referrer.localAddress) answered a direct _ping") })
        #expect(result.evidence.contains { $0.text.hasPrefix("peer \(peerPublic) did not answer a direct _ping") })
        // Steps are timed from the punch's start, in order, and the live ones are the follow-up's.
        #expect(result.evidence.map(\.at) == result.evidence.map(\.at).sorted())
        #expect(result.evidence.last!.at > .seconds(1))
        let live = events.compactMap { event -> PunchEvidence? in
            if case .step(peerPublic, lab.referrer.localAddress, let step) = event { return step }
            return nil
        }
        #expect(!live.isEmpty && live == Array(result.evidence.suffix(live.count)))
        #expect(!live.contains { $0.text.hasPrefix("asked referrer") })
        #expect(events.last == .concluded(result) && events.count == live.count + 1)
    }

    @Test func aPeerThatAnswersThroughAnotherReferrerHasAnExpiredMappingTowardThisOne() throws {
        let lab = try Lab(seed: 4)
        lab.nat.addNAT(publicHost: natB, internalHosts: [hostB1], timeout: .seconds(30))
        let peer = try lab.join(hostB1, seed: 41, ephemeral: true, quiet: true)
        let peerPublic = try lab.publicAddress(of: peer, seenBy: lab.referrer)
        // Keeps its mapping toward the other referrer open, but not toward the referrer.
        for _ in 0..<3 {
            #expect(try lab.publicAddress(of: peer, seenBy: lab.otherReferrer) == peerPublic)
            lab.run(.seconds(18))
        }
        let us = try lab.join(IPAddress(10, 0, 0, 9), seed: 42)
        // The plain node never heard from the peer: a punch through it fails, then the other referrer's works.
        let hints = PunchFailureProbe.Hints(alternateReferrers: [lab.plain.localAddress, lab.otherReferrer.localAddress,
                                                                 lab.bootstrap.localAddress])
        let result = try diagnosis(try lab.punch(from: us, to: peerPublic, via: lab.referrer.localAddress, hints: hints))
        #expect(result.cause == .peerMappingExpired)
        #expect(result.explanation.contains("Punch through \(lab.otherReferrer.localAddress)"))
        // One at a time, stopping at the first that works (a later one would work through any referrer).
        #expect(Array(result.evidence.suffix(2).map(\.text)) == [
            "punch through \(lab.plain.localAddress): no answer either",
            "punch through \(lab.otherReferrer.localAddress) worked: the peer answered in 15 ms – it is alive",
        ])
    }

    @Test func aPeerHeardFromRecentlyIsLikelyAliveBehindAnExpiredMapping() throws {
        let lab = try Lab(seed: 5)
        lab.nat.addNAT(publicHost: natB, internalHosts: [hostB1], timeout: .seconds(10))
        let us = try lab.join(IPAddress(10, 0, 0, 9), seed: 51)
        let peer = try lab.join(hostB1, seed: 52, quiet: true)
        let peerPublic = try lab.publicAddress(of: peer, seenBy: lab.referrer)
        #expect(try lab.publicAddress(of: peer, seenBy: us) == peerPublic)  // we hear from it (routing table)
        lab.run(.seconds(15))  // both mappings idle past the NAT's timeout
        let result = try diagnosis(try lab.punch(from: us, to: peerPublic, via: lab.referrer.localAddress))
        #expect(result.cause == .peerMappingExpired)
        #expect(result.evidence.contains { $0.text.hasPrefix("we last heard from the peer") })
    }

    @Test func ourPortRandomisingNATIsSeenFromTheAddressesNodesReport() throws {
        let lab = try Lab(seed: 6)
        lab.nat.addNAT(publicHost: natA, internalHosts: [hostA1], mapping: .portRandomising)
        lab.nat.addNAT(publicHost: natB, internalHosts: [hostB1])
        let peer = try lab.join(hostB1, seed: 61, ephemeral: true)
        let peerPublic = try lab.publicAddress(of: peer, seenBy: lab.referrer)
        let us = try lab.join(hostA1, seed: 62, ephemeral: true)
        let result = try diagnosis(try lab.punch(from: us, to: peerPublic, via: lab.referrer.localAddress))
        #expect(result.cause == .portRandomisingNAT)
        #expect(result.explanation.hasPrefix("our NAT"))
        #expect(result.evidence.contains { $0.text.contains("our NAT maps each destination to another port") })
    }

    @Test func thePeersPortRandomisingNATAnswersFromAnotherPort() throws {
        let lab = try Lab(seed: 7)
        lab.nat.addNAT(publicHost: natB, internalHosts: [hostB1], mapping: .portRandomising)
        let peer = try lab.join(hostB1, seed: 71, ephemeral: true)
        let peerPublic = try lab.publicAddress(of: peer, seenBy: lab.referrer)
        let us = try lab.join(IPAddress(10, 0, 0, 9), seed: 72)
        let result = try diagnosis(try lab.punch(from: us, to: peerPublic, via: lab.referrer.localAddress))
        #expect(result.cause == .portRandomisingNAT)
        #expect(result.explanation.hasPrefix("the peer's NAT"))
        #expect(result.evidence.contains { $0.text.hasPrefix("dropped an answer from \(natB):") })
    }

    @Test func aPeerBehindOurOwnNATSharesOurPublicAddress() throws {
        let lab = try Lab(seed: 8)
        lab.nat.addNAT(publicHost: natA, internalHosts: [hostA1, hostA2])
        let peer = try lab.join(hostA2, seed: 81, ephemeral: true)
        let peerPublic = try lab.publicAddress(of: peer, seenBy: lab.referrer)
        let us = try lab.join(hostA1, seed: 82, ephemeral: true)
        let result = try diagnosis(try lab.punch(from: us, to: peerPublic, via: lab.referrer.localAddress))
        #expect(result.cause == .samePublicAddress)
        #expect(result.evidence.contains { $0.text == "the peer's host \(natA) is our own public host" })
    }

    @Test func theFollowUpEndsByItsDeadlineWhenNothingAnswers() {
        let probing = SilentProbing()
        let peer = PeerAddress(host: IPAddress(10, 0, 0, 5), port: 1), referrer = PeerAddress(host: IPAddress(10, 0, 0, 6), port: 1)
        let probe = PunchFailureProbe(node: probing, peer: peer, referrer: referrer, localAddress: peer,
                                      configuration: .init(deadline: .seconds(4)))
        var outcome: PunchOutcome?
        probe.run { outcome = $0 }
        _ = probing.virtualScheduler.run(for: .seconds(3))
        #expect(outcome == nil)
        _ = probing.virtualScheduler.run(for: .seconds(5))
        guard case .failed(let result)? = outcome else {
            Issue.record("no diagnosis by the deadline: \(String(describing: outcome))")
            return
        }
        #expect(result.cause == .unknown)
        #expect(result.evidence.last?.text.contains("deadline") == true)
        #expect(result.evidence.last?.at == .seconds(5))
    }
}

/// A node whose punch fails at once and whose pings are never answered (nor time out).
final class SilentProbing: PunchProbing {
    let virtualScheduler = VirtualScheduler()
    var scheduler: any Scheduler { virtualScheduler }
    func ping(_ address: PeerAddress, completion: @escaping (Result<PingReply, DHTError>) -> Void) {}
    func holepunch(peer: PeerAddress, referrer: PeerAddress, options: HolepunchOptions,
                   completion: @escaping (Result<PingReply, DHTError>) -> Void) {
        virtualScheduler.schedule(after: .seconds(1)) { completion(.failure(.request(.timedOut))) }
    }
    func probeCandidates(limit: Int, excluding excluded: Set<PeerAddress>) -> [PeerAddress] {
        [PeerAddress(host: IPAddress(10, 0, 0, 7), port: 1)]
    }
    func lastHeard(from address: PeerAddress) -> Timestamp? { nil }
}
