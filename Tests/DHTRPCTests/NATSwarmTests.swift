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
/// kinds, forward-only and with part B's direct pings, succeed exactly where the NATs allow
/// (``NATPunchTable``), and lookups reach exactly the nodes the NATs (and the walk's rules) let them
/// reach. One swarm serves all; the seed is printed. Where our protocol, not a NAT, makes something
/// fail, the test says so as a known issue.
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
        let late = swarm.nodes.indices.filter { !swarm.nodes[$0].isReady }
        swarm.scheduler.run(until: { swarm.nodes.allSatisfy { $0.isReady } }, limit: .seconds(5))
        print("NATSwarmTests: \(late.count) nodes still bootstrapping after the settle: \(late.map { "\($0) (\(swarm.kinds[$0]))" })")
        #expect(swarm.nodes.allSatisfy { $0.isReady })
        phase("joining")
        var unused = Self.shuffledByKind(swarm)
        try checkPunchTable(swarm, directPings: false, nodes: &unused)
        phase("the punch table without direct pings")
        try checkPunchTable(swarm, directPings: true, nodes: &unused)
        phase("the punch table with direct pings")
        try checkLookups(swarm)
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

    /// The nodes of each kind but node 0, in a seeded order: who takes part in the punches.
    private static func shuffledByKind(_ swarm: NATSwarm) -> [NATKind: [Int]] {
        var generator = SeededRandomGenerator(seed: seed ^ 0x9C4)
        var nodes: [NATKind: [Int]] = [:]
        for kind in NATKind.allCases {  // in this order: a dictionary's would change from run to run
            nodes[kind] = swarm.indices(of: kind).filter { $0 != 0 }.shuffled(using: &generator)
        }
        return nodes
    }

    /// Runs three punches for every pair of kinds at once, with or without part B's direct pings
    /// (`HolepunchOptions.opensOwnMapping`; the CLI's `--forward-only` turns them off), each node in
    /// at most one trial (taken from `nodes`), and checks each against ``NATPunchTable``.
    private func checkPunchTable(_ swarm: NATSwarm, directPings: Bool, nodes unused: inout [NATKind: [Int]]) throws {
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
        swarm.swarm.run(for: .milliseconds(500))
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
            swarm.nodes[trial.requester].holepunch(peer: peer, referrer: swarm.nodes[trial.referrer].localAddress,
                                                   options: HolepunchOptions(opensOwnMapping: directPings)) { outcome.value = $0 }
        }
        swarm.swarm.run(for: .milliseconds(2500))  // a failed punch ends after 1.7 s at most (200 ms + timeout)
        swarm.network.trace = nil
        for number in trials.indices {
            swarm.nodes[trials[number].requester].onEvent = nil
            let outcome = try #require(results[number]?.value, "punch \(number) did not finish")
            if case .success = outcome { trials[number].succeeded = true }
        }

        #expect(trials.allSatisfy { $0.sentDirectPing == directPings }, "direct pings: expected \(directPings ? "in every punch" : "none")")
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
        // dht-rpc adds the id of every request at its UDP source address; a forwarded ping carries the
        // requester's id but comes from the referrer. Were it added, the punched peer would list the
        // requester at the referrer's address and hand that to every walk asking it (seen before
        // main's 2b9bfd1 with this seed: a lookup by node 117 missed node 804 that way).
        let polluted = trials.filter { trial in
            swarm.nodes[trial.peer].contacts.first { $0.id == swarm.nodes[trial.requester].id }?.payload.address
                == swarm.nodes[trial.referrer].localAddress
        }
        #expect(polluted.isEmpty, "\(polluted.map { "seed \(Self.seed): peer \($0.peer) lists requester \($0.requester) at referrer \($0.referrer)" })")
        withKnownIssue("""
            An answer from a port-randomising peer comes from another port than the one punched; our \
            RequestSocket takes a punch's answer only from the address named in it and drops it as spoofed, \
            though the NATs let it in and the reference (tid-only matching) would take it.
            """) {
            #expect(refusedByProtocol.isEmpty, "\(refusedByProtocol.count) punches the NATs allow failed: \(refusedByProtocol)")
        }
    }

    private func printTable(_ trials: [PunchTrial], _ swarm: NATSwarm, directPings: Bool) {
        var lines = ["punch outcomes (seed \(Self.seed)), holepunch \(directPings ? "with direct pings (part B, the default)" : "forward only (opensOwnMapping: false)"):",
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
