import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// A 1,000-node swarm with 30% of its nodes behind NATs of the lab's kinds (75 each: full-cone,
/// restricted-cone, port-restricted = Linux MASQUERADE, port-randomising = --random-fully; each
/// node alone behind its own NAT, 30/40 s session timeouts). Hole punches between every pair of
/// kinds succeed exactly where the NATs allow (``NATPunchTable``), and lookups reach exactly the
/// nodes the NATs (and the walk's rules) let them reach. One swarm serves both; the seed is printed.
@Suite struct NATSwarmTests {
    static let seed: UInt64 = 0x0A7_1000
    static let natted: [NATKind: Int] = [.fullCone: 75, .restrictedCone: 75, .portRestricted: 75, .portRandomising: 75]

    @Test func inAThousandNodeSwarmWithThirtyPercentNATedPunchesAndLookupsReachWhatTheNATsAllow() throws {
        print("NATSwarmTests seed \(Self.seed)")
        let swarm = try NATSwarm(size: 1000, natted: Self.natted, seed: Self.seed)
        // Joins take 10 s and settle for 5 s. No session can expire before t = 30 s (none is older),
        // so the punches and lookups below run while every NAT still holds what the join opened.
        let clock = ContinuousClock()
        var phaseStart = clock.now
        func phase(_ name: String) {
            print("NATSwarmTests: \(name) took \(clock.now - phaseStart) (virtual time now \(swarm.now))")
            phaseStart = clock.now
        }
        swarm.swarm.joinAll(stagger: .milliseconds(10), settle: .seconds(5))
        #expect(swarm.nodes.allSatisfy { $0.isReady })
        phase("joining")
        let directPings = try checkPunchTable(swarm)
        phase("the punch table")
        try checkLookups(swarm, directPings: directPings)
        phase("the lookups")
    }

    // MARK: - Punches

    /// One punch: `requester` asks `referrer` to forward a `_ping` to `peer`, which has just pinged
    /// the referrer and has never exchanged a datagram with the requester.
    private struct PunchTrial {
        let requester: Int, peer: Int, referrer: Int
        var peerAsSeenByReferrer: PeerAddress?
        var succeeded = false
        var answerRefusedAsSpoofed = false
        var sentDirectPing = false
    }

    /// Runs three punches for every pair of kinds at once (every node in at most one trial) and
    /// checks each against ``NATPunchTable``. Returns whether `holepunch` pings the peer directly
    /// (part B), judged from what it sent.
    private func checkPunchTable(_ swarm: NATSwarm) throws -> Bool {
        var generator = SeededRandomGenerator(seed: Self.seed ^ 0x9C4)
        var unused: [NATKind: [Int]] = [:]
        for kind in NATKind.allCases {  // in this order: a dictionary's would change from run to run
            unused[kind] = swarm.indices(of: kind).filter { $0 != 0 }.shuffled(using: &generator)
        }
        func take(_ kind: NATKind, avoiding other: Int? = nil) -> Int? {
            guard let index = unused[kind]?.firstIndex(where: { other == nil || !swarm.haveExchanged($0, other!) }) else { return nil }
            return unused[kind]?.remove(at: index)
        }
        var trials: [PunchTrial] = []
        for requesterKind in NATKind.allCases {
            for peerKind in NATKind.allCases {
                for _ in 0..<3 {
                    let requester = try #require(take(requesterKind))
                    let peer = try #require(take(peerKind, avoiding: requester), "no fresh \(peerKind) peer for \(requester)")
                    let referrer = try #require(take(.none))
                    trials.append(PunchTrial(requester: requester, peer: peer, referrer: referrer))
                }
            }
        }
        // The peer pings its referrer: its NAT now holds a session with it, and the referrer's answer
        // says where it sees the peer.
        var pings: [Int: Outcome<Result<PingReply, DHTError>>] = [:]
        for (number, trial) in trials.enumerated() {
            pings[number] = swarm.nodes[trial.peer].pingOutcome(swarm.nodes[trial.referrer].localAddress)
        }
        swarm.swarm.run(for: .seconds(1))
        for number in trials.indices {
            trials[number].peerAsSeenByReferrer = try #require(pings[number]?.value).get().observedAddress
        }
        // Watch what each requester sends to its peer and which answers its socket refuses.
        var trialByRequester: [PeerAddress: Int] = [:]
        for (number, trial) in trials.enumerated() {
            let requester = swarm.nodes[trial.requester]
            trialByRequester[requester.localAddress] = number
            let peerHost = trial.peerAsSeenByReferrer?.host
            requester.onEvent = { event in
                if case .socket(.spoofedResponse(_, let from, _)) = event, from.host == peerHost {
                    trials[number].answerRefusedAsSpoofed = true
                }
            }
        }
        swarm.network.trace = { event in
            guard let number = trialByRequester[event.sender], event.destination == trials[number].peerAsSeenByReferrer else { return }
            trials[number].sentDirectPing = true
        }
        var results: [Int: Outcome<Result<PingReply, DHTError>>] = [:]
        for (number, trial) in trials.enumerated() {
            let outcome = Outcome<Result<PingReply, DHTError>>()
            results[number] = outcome
            let peer = try #require(trial.peerAsSeenByReferrer)
            swarm.nodes[trial.requester].holepunch(peer: peer, referrer: swarm.nodes[trial.referrer].localAddress) { outcome.value = $0 }
        }
        swarm.swarm.run(for: .seconds(3))
        swarm.network.trace = nil
        for number in trials.indices {
            swarm.nodes[trials[number].requester].onEvent = nil
            let outcome = try #require(results[number]?.value, "punch \(number) did not finish")
            if case .success = outcome { trials[number].succeeded = true }
        }

        let directPings = trials.contains(where: \.sentDirectPing)
        #expect(trials.allSatisfy { $0.sentDirectPing == directPings }, "some punches pinged the peer directly, others not")
        printTable(trials, swarm, directPings: directPings)
        var refusedByProtocol: [String] = []
        for trial in trials {
            let (requesterKind, peerKind) = (swarm.kinds[trial.requester], swarm.kinds[trial.peer])
            let allowed = NATPunchTable.natAllows(requester: requesterKind, peer: peerKind, directPings: directPings)
            let label = "seed \(Self.seed): \(requesterKind) node \(trial.requester) -> \(peerKind) node \(trial.peer) via \(trial.referrer)"
            if NATPunchTable.refusedByProtocol(requester: requesterKind, peer: peerKind, directPings: directPings) {
                // The NAT let the answer in (the socket saw it) and our socket refused it.
                #expect(!trial.succeeded && trial.answerRefusedAsSpoofed, "\(label): expected the answer to arrive and be refused")
                refusedByProtocol.append(label)
            } else {
                #expect(trial.succeeded == allowed, "\(label): \(trial.succeeded ? "succeeded" : "failed"), the NATs \(allowed ? "allow" : "forbid") it")
                #expect(!trial.answerRefusedAsSpoofed, "\(label): an answer was refused as spoofed")
            }
        }
        withKnownIssue("""
            An answer from a port-randomising peer comes from another port than the one punched; our \
            RequestSocket takes a punch's answer only from the address named in it and drops it as spoofed, \
            though the NATs let it in and the reference (tid-only matching) would take it.
            """) {
            #expect(refusedByProtocol.isEmpty, "\(refusedByProtocol.count) punches the NATs allow failed: \(refusedByProtocol)")
        }
        return directPings
    }

    private func printTable(_ trials: [PunchTrial], _ swarm: NATSwarm, directPings: Bool) {
        var lines = ["punch outcomes (seed \(Self.seed)), holepunch \(directPings ? "pings the peer directly (part B)" : "forwards only (before part B)"):",
                     "requester \\ peer  " + NATKind.allCases.map { $0.description.padding(toLength: 18, withPad: " ", startingAt: 0) }.joined()]
        for requesterKind in NATKind.allCases {
            var line = requesterKind.description.padding(toLength: 18, withPad: " ", startingAt: 0)
            for peerKind in NATKind.allCases {
                let cell = trials.filter { swarm.kinds[$0.requester] == requesterKind && swarm.kinds[$0.peer] == peerKind }
                let successes = cell.filter(\.succeeded).count
                let spoofed = cell.filter(\.answerRefusedAsSpoofed).count
                let mark = successes == cell.count ? "ok" : successes == 0 ? (spoofed > 0 ? "FAIL(spoofed)" : "FAIL") : "MIXED"
                line += "\(mark) \(successes)/\(cell.count)".padding(toLength: 18, withPad: " ", startingAt: 0)
            }
            lines.append(line)
        }
        print(lines.joined(separator: "\n"))
    }
}
