import DHTMessages
import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

extension NATSwarmTests {
    /// Whether a `_find_node` walk by node `asker` toward `target` gets an answer from node `node`,
    /// judged from the NATs' state when the walk starts. "Reachable" means exactly this:
    ///
    /// - The walk starts from the asker's own 20 contacts closest to the target (`seeds`), asked at
    ///   the address in its table, directly, never punched (they have no referrer): reachable iff
    ///   that datagram gets through the NATs.
    /// - Every other node is learned from a referrer's answer, at the address the referrer knows it
    ///   by, and asked there first: reachable if that gets through (a public node; a full-cone node
    ///   whose mapping lives; a NAT'd node already holding a session with the asker).
    /// - Otherwise the walk punches through the referrer and asks again. A restricted-cone or
    ///   port-restricted node then answers unless the asker's NAT stops the answer (``NATPunchTable``,
    ///   with the walk's own timed-out request as the first direct ping: it opened the asker's NAT
    ///   toward the node ~1.3 s before, and the punch pings it directly again) – provided the referrer's
    ///   listing is fresh, which ``checkLookups(_:)`` verifies for every listing in the swarm.
    /// - A port-randomising node learned from a referrer is never reached: the referrer knows it at
    ///   its port toward that referrer alone, the punch's answer comes from another port and is
    ///   refused as spoofed, and the retry goes to the referrer's port again.
    static func walkReaches(asker: Int, node: Int, seeds: [NodeID: PeerAddress], in swarm: NATSwarm) -> Bool {
        let askerAddress = swarm.nodes[asker].localAddress
        if let listed = seeds[swarm.nodes[node].id] {
            return swarm.nat.wouldDeliver(from: askerAddress, to: listed, at: swarm.now)
        }
        let kind = swarm.kinds[node]
        guard kind != .portRandomising, let address = swarm.publicAddress(node) else { return false }
        if swarm.nat.wouldDeliver(from: askerAddress, to: address, at: swarm.now) { return true }
        switch kind {
        case .restrictedCone: return true  // a port-randomising asker gets in with the second direct ping
        case .portRestricted: return swarm.kinds[asker] != .portRandomising
        case .none, .fullCone, .portRandomising: return false
        }
    }

    /// Three lookups from askers of every kind, all at once, each checked against
    /// ``walkReaches(asker:node:seeds:in:)``: every reachable node among the 20 closest
    /// that an answer named is found, and nothing unreachable is.
    func checkLookups(_ swarm: NATSwarm) throws {
        let start = swarm.now
        let tables = swarm.nodes.map(\.contacts)
        // The definition rests on this: every node listing a NAT'd node still reaches it.
        var listings = 0
        var stale: [String] = []
        for (lister, contacts) in tables.enumerated() {
            for contact in contacts where swarm.kinds[swarm.indexByID[contact.id] ?? 0] != .none {
                listings += 1
                if !swarm.nat.wouldDeliver(from: swarm.nodes[lister].localAddress, to: contact.payload.address, at: start) {
                    stale.append("\(lister) lists \(swarm.indexByID[contact.id] ?? -1) at \(contact.payload.address)")
                }
            }
        }
        #expect(listings > 1000)
        #expect(stale.isEmpty, "seed \(Self.seed): \(stale.count) of \(listings) listings of NAT'd nodes are stale: \(stale.prefix(5))")

        var generator = SeededRandomGenerator(seed: Self.seed ^ 0x100C)
        var rounds: [(asker: Int, target: NodeID, summary: Outcome<QuerySummary>)] = []
        // Where answers first told each asker a node is. A node no answer named is a gap in the
        // routing tables, not something a NAT did.
        var toldAbout: [PeerAddress: [NodeID: PeerAddress]] = [:]
        swarm.network.trace = { event in
            guard event.outcome == .delivered, let asker = event.deliveredTo, toldAbout[asker] != nil,
                  case .response(_, let message)? = try? DatagramFrame.decode(event.payload),
                  let nodes = try? NodeListCodec.dhtRPC.decode(message.nodes) else { return }
            for node in nodes where toldAbout[asker]?[NodeID(node.id)] == nil { toldAbout[asker]?[NodeID(node.id)] = node.address }
        }
        for kind in NATKind.allCases {
            for asker in swarm.indices(of: kind).shuffled(using: &generator).prefix(3) {
                let target = swarm.swarm.randomTarget(&generator)
                let summary = Outcome<QuerySummary>()
                rounds.append((asker, target, summary))
                toldAbout[swarm.nodes[asker].localAddress] = [:]
                swarm.nodes[asker].query(DHTQuery(command: "_find_node", target: target), onResult: { _ in }) { summary.value = $0 }
            }
        }
        let seedsByRound = rounds.map { round in
            Dictionary(uniqueKeysWithValues: tables[round.asker]
                .sorted { $0.id.distance(to: round.target) < $1.id.distance(to: round.target) }.prefix(20)
                .map { ($0.id, $0.payload.address) })
        }
        let reachableByRound = rounds.indices.map { number in
            Set(swarm.nodes.indices.filter {
                $0 != rounds[number].asker
                    && Self.walkReaches(asker: rounds[number].asker, node: $0, seeds: seedsByRound[number], in: swarm)
            })
        }
        swarm.scheduler.run(until: { rounds.allSatisfy { $0.summary.value != nil } }, limit: .seconds(14))
        swarm.network.trace = nil
        #expect(swarm.now < Timestamp(nanoseconds: 30_000_000_000), "the lookups outlasted the window in which no session can expire")

        var displaced: [String] = []
        var gaps = 0
        var followUpsTooEarly: [String] = []
        var tally: [NATKind: [NATKind: (found: Int, reachable: Int, closest: Int)]] = [:]
        for (number, round) in rounds.enumerated() {
            let label = "seed \(Self.seed), asker \(round.asker) (\(swarm.kinds[round.asker]))"
            let summary = try #require(round.summary.value, "\(label): the lookup did not finish")
            #expect(summary.error == nil, "\(label): \(String(describing: summary.error))")
            let found = summary.closest.compactMap { $0.id.flatMap { swarm.indexByID[$0] } }
            let reachable = reachableByRound[number]
            let closest = swarm.swarm.bruteForceClosest(to: round.target, excluding: swarm.nodes[round.asker].id).compactMap { swarm.indexByID[$0] }
            let intruders = found.filter { !reachable.contains($0) }
            let told = toldAbout[swarm.nodes[round.asker].localAddress] ?? [:]
            let heardAt = { (node: Int) in seedsByRound[number][swarm.nodes[node].id] ?? told[swarm.nodes[node].id] }
            let unheardOf = closest.filter { heardAt($0) == nil }
            var missed = closest.filter { reachable.contains($0) && !found.contains($0) && heardAt($0) != nil }
            gaps += unheardOf.count
            // A port-randomising asker gets into a restricted-cone node only with the punch's second
            // direct ping, which must leave after the node has answered the forward. Behind a busy
            // socket all three punch requests wait in the outgoing queue and leave together (seen with
            // this seed: asker 188 -> node 866 via 10.0.0.10, all sent at t = 24.000 s).
            let queuedFollowUps = missed.filter { swarm.kinds[round.asker] == .portRandomising && swarm.kinds[$0] == .restrictedCone }
            missed.removeAll { queuedFollowUps.contains($0) }
            followUpsTooEarly += queuedFollowUps.map { "\(label): node \($0) (\(swarm.kinds[$0]))" }
            #expect(intruders.isEmpty, "\(label): found nodes it cannot reach: \(intruders.map { "\($0) (\(swarm.kinds[$0]))" })")
            #expect(missed.isEmpty, "\(label): missed reachable nodes among the 20 closest it was told about: \(missed.map { "\($0) (\(swarm.kinds[$0])) at \(heardAt($0).map(String.init(describing:)) ?? "-")" })")
            let bestReachable = reachable.sorted {
                swarm.nodes[$0].id.distance(to: round.target) < swarm.nodes[$1].id.distance(to: round.target)
            }.prefix(20)
            if Array(bestReachable) != found {
                displaced.append("\(label): \(closest.filter { !reachable.contains($0) }.count) unreachable among the 20 closest")
            }
            for node in closest {
                var cell = tally[swarm.kinds[round.asker], default: [:]][swarm.kinds[node], default: (0, 0, 0)]
                cell.closest += 1
                if reachable.contains(node) { cell.reachable += 1 }
                if found.contains(node) { cell.found += 1 }
                tally[swarm.kinds[round.asker], default: [:]][swarm.kinds[node]] = cell
            }
        }
        withKnownIssue("""
            A walk keeps only the 20 closest candidates (dht-rpc's query-stream): unreachable nodes among \
            them hold slots, so farther reachable nodes are never asked and the lookup returns fewer than the \
            20 closest reachable ones.
            """) {
            #expect(displaced.isEmpty, "\(displaced.count) of \(rounds.count) lookups: \(displaced)")
        }
        withKnownIssue("""
            holepunch schedules its second direct ping 200 ms after asking for the forward, but both wait \
            in the outgoing request queue when the socket has 16 requests in flight, and then leave at once: \
            the follow-up reaches a restricted-cone peer before the peer has answered the forward.
            """, isIntermittent: true) {
            #expect(followUpsTooEarly.isEmpty, "\(followUpsTooEarly)")
        }
        #expect(gaps <= rounds.count, "\(gaps) of the 20 closest nodes were named by no answer: the routing tables have many gaps")
        var lines = ["lookups (seed \(Self.seed), \(listings) listings of NAT'd nodes, all fresh; \(gaps) of the 20 closest never named by any answer):",
                     "among the 20 closest: found/reachable/total",
                     "asker \\ node      " + NATKind.allCases.map { $0.description.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined()]
        for askerKind in NATKind.allCases {
            var line = askerKind.description.padding(toLength: 18, withPad: " ", startingAt: 0)
            for nodeKind in NATKind.allCases {
                let cell = tally[askerKind]?[nodeKind] ?? (0, 0, 0)
                line += "\(cell.found)/\(cell.reachable)/\(cell.closest)".padding(toLength: 14, withPad: " ", startingAt: 0)
            }
            lines.append(line)
        }
        print(lines.joined(separator: "\n"))
    }
}
