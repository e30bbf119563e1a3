import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// Walks in a swarm from which 30% of the nodes have just gone (issue 14), on virtual time: they
/// move on past the dead instead of waiting for hard timeouts, punch only where a punch can help,
/// and the routing tables stop handing out the dead.
@Suite struct DeadNodeWalkTests {
    /// A swarm of `size` joined nodes of which 30% (never node 0, the others' bootstrap node) are
    /// closed at once.
    struct HalfDeadSwarm {
        let swarm: SimulatedSwarm
        let dead: Set<NodeID>
        let live: [DHTNode]

        init(size: Int, seed: UInt64,
             conditions: LinkConditions = LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(3)),
             join: (SimulatedSwarm) -> Void) throws {
            swarm = try SimulatedSwarm(size: size, seed: seed, conditions: conditions)
            join(swarm)
            var generator = SeededRandomGenerator(seed: seed ^ 0x14)
            let doomed = Array(swarm.nodes.indices.dropFirst().shuffled(using: &generator).prefix(size * 3 / 10))
            for index in doomed { swarm.nodes[index].close() }
            let nodes = swarm.nodes
            dead = Set(doomed.map { nodes[$0].id })
            live = nodes.filter { !$0.isClosed }
        }

        /// The ids of the k live nodes closest to `target`, but `asker`.
        func closestLive(to target: NodeID, excluding asker: DHTNode, k: Int = 20) -> [NodeID] {
            Array(live.map(\.id).filter { $0 != asker.id }
                .sorted { $0.distance(to: target) < $1.distance(to: target) }.prefix(k))
        }
    }

    // MARK: - 1. Walks that move on

    @Test func walksRightAfterThirtyPercentOfTheNodesLeftEndWithinAFewRoundTripsAndFindTheTwentyClosestLiveNodes() throws {
        let bench = try HalfDeadSwarm(size: 60, seed: 1401) { $0.bootstrapAll() }
        var generator = SeededRandomGenerator(seed: 0x1401)
        for round in 0..<6 {
            let asker = bench.live[Int.random(in: 0..<bench.live.count, using: &generator)]
            #expect(asker.contacts.contains { bench.dead.contains($0.id) }, "the asker's table should still list the dead")
            let target = bench.swarm.randomTarget(&generator)
            let (_, summary) = bench.swarm.runQuery(from: asker, DHTQuery(command: "_find_node", target: target))
            let finished = try #require(summary, "round \(round): the walk did not end")
            #expect(finished.error == nil)
            // Before: every walk waited for the dead nodes' hard timeouts (1.25–1.5 s).
            #expect(finished.duration < .milliseconds(500), "round \(round): the walk took \(finished.duration)")
            // Right after the kill every answer still names the dead among its 20 closest, so live nodes
            // beyond them may be named by no one; the closest live node (where a lookup finds what was
            // announced) always is.
            let found = finished.closest.compactMap(\.id)
            let expected = bench.closestLive(to: target, excluding: asker)
            #expect(found.first == expected.first, "round \(round)")
            #expect(found.count >= 15 && bench.dead.isDisjoint(with: found), "round \(round): \(found.count) found")
        }
    }

    /// In a larger swarm a walk right after the kill asks 20–30 dead nodes – its own table's and the
    /// ones the answers still name – more than the concurrency. When only `concurrency` overdue
    /// requests gave their slots back, the rest held the slots: the walk went on one request per soft
    /// deadline and then waited for hard timeouts (median 1.4 s at 1,000 nodes, `ChurnWalks`).
    @Test func walksRightAfterThirtyPercentOfFourHundredNodesLeftAreNotHeldByMoreDeadNodesThanTheConcurrency() throws {
        let bench = try HalfDeadSwarm(size: 400, seed: 1407) { $0.joinAll() }
        var generator = SeededRandomGenerator(seed: 0x1407)
        var durations: [Duration] = []
        var deadAsked: [Int] = []
        for round in 0..<8 {
            let asker = bench.live[Int.random(in: 0..<bench.live.count, using: &generator)]
            let target = bench.swarm.randomTarget(&generator)
            var asked = 0
            bench.swarm.network.trace = { event in
                if event.sender == asker.localAddress, event.outcome == .undeliverable { asked += 1 }
            }
            let (_, summary) = bench.swarm.runQuery(from: asker, DHTQuery(command: "_find_node", target: target))
            bench.swarm.network.trace = nil
            let finished = try #require(summary, "round \(round): the walk did not end")
            #expect(finished.error == nil)
            durations.append(finished.duration)
            deadAsked.append(asked)
            #expect(bench.dead.isDisjoint(with: finished.closest.compactMap(\.id)), "round \(round)")
        }
        print("walks right after the kill (400 nodes): \(durations), dead nodes asked: \(deadAsked)")
        #expect(deadAsked.contains { $0 > 16 }, "no walk asked more dead nodes than the concurrency: the test shows nothing")
        // Before: the median was the hard timeout (1.48 s; 0.23 s after, the slowest 0.36 s).
        #expect(durations.sorted()[durations.count / 2] < .milliseconds(500), "\(durations)")
        #expect(durations.allSatisfy { $0 < .milliseconds(1250) }, "\(durations)")
    }

    @Test func anUpdateRightAfterThirtyPercentOfTheNodesLeftCommitsToTheTwentyClosestLiveNodes() throws {
        let bench = try HalfDeadSwarm(size: 60, seed: 1402) { $0.bootstrapAll() }
        var generator = SeededRandomGenerator(seed: 0x1402)
        let asker = bench.live[3]
        let target = bench.swarm.randomTarget(&generator)
        var committed: [NodeID] = []
        var summary: QuerySummary?
        asker.update(DHTQuery(command: "store", target: target, value: Data([1])), onResult: { result in
            if result.isCommit { committed.append(result.node.id!) }
        }) { summary = $0 }
        bench.swarm.scheduler.run(until: { summary != nil }, limit: .seconds(10))
        let finished = try #require(summary)
        #expect(finished.error == nil)
        #expect(finished.commits == 20)
        #expect(Set(committed) == Set(bench.closestLive(to: target, excluding: asker)))
        #expect(finished.duration < .milliseconds(800), "the update took \(finished.duration)")
    }

    /// The loopback scenario of issue 14 (a fresh `hyperdht lookup` process right after 12 of 40
    /// nodes were killed), on virtual time with loopback-like latency: the client's bootstrap walk and
    /// its punches leave dozens of requests to the dead waiting for their hard timeouts. Before, only 16
    /// of those overdue requests gave their slot back, the rest held every slot, and the lookup's walk
    /// sent nothing for 1.25–1.5 s (walks of 1.3–2.9 s, as measured over real UDP).
    @Test func aFreshClientRightAfterThirtyPercentOfTheNodesLeftWalksWithoutWaitingForHardTimeouts() throws {
        let bench = try HalfDeadSwarm(size: 41, seed: 1403, conditions: LinkConditions(
            latency: .microseconds(100), jitter: .microseconds(50))) { $0.bootstrapAll() }
        var generator = SeededRandomGenerator(seed: 0x1403)
        var durations: [Duration] = []
        for round in 0..<8 {
            let transport = try bench.swarm.network.bind(host: .v4(0x0A00_1000 | UInt32(round + 1)), port: 40000)
            let client = try DHTNode(configuration: DHTNodeConfiguration(ephemeral: true, bootstrap: [bench.swarm.nodes[0].localAddress]),
                                     transport: transport, scheduler: bench.swarm.scheduler, random: .seeded(UInt64(1403 + round)))
            var ready = false
            client.whenReady { ready = true }
            client.start()
            bench.swarm.scheduler.run(until: { ready }, limit: .seconds(20))
            #expect(ready, "round \(round): the client did not bootstrap")
            let target = bench.swarm.randomTarget(&generator)
            let (_, summary) = bench.swarm.runQuery(from: client, DHTQuery(command: "_find_node", target: target))
            let finished = try #require(summary, "round \(round): the walk did not end")
            #expect(finished.error == nil)
            #expect(finished.duration < .milliseconds(1000), "round \(round): the walk took \(finished.duration)")
            #expect(finished.closest.first?.id == bench.closestLive(to: target, excluding: client).first, "round \(round)")
            durations.append(finished.duration)
            client.close()
        }
        let median = durations.sorted()[durations.count / 2]
        #expect(median <= .milliseconds(300), "walk times \(durations)")
    }

    @Test func aRequestPastItsSoftDeadlineStillDeliversItsLateAnswerToAWalkWithTooFewAnswers() throws {
        // Three nodes: the asker knows a fast node and a slow one (600 ms round trip, under the hard
        // timeout). Fewer than k answers: the walk waits for the slow answer and takes it.
        let network = try SimulatedNetwork(seed: 1403, conditions: LinkConditions(latency: .milliseconds(5)))
        let fast = try network.makeNode(host: IPAddress(10, 0, 0, 1), seed: 1)
        let slow = try network.makeNode(host: IPAddress(10, 0, 0, 2), seed: 2)
        let asker = try network.makeNode(host: IPAddress(10, 0, 0, 3), seed: 3) {
            $0.bootstrap = [fast.localAddress]
        }
        try network.setConditions(LinkConditions(latency: .milliseconds(300)), for: slow.localAddress)
        for node in [fast, slow] { node.start() }
        _ = slow.pingOutcome(fast.localAddress)
        network.scheduler.run(for: .seconds(1))
        asker.start()
        network.scheduler.run(until: { asker.isReady }, limit: .seconds(10))
        #expect(asker.knows(slow.id))
        var generator = SeededRandomGenerator(seed: 0x1403)
        let (results, summary) = asker.runQuery(DHTQuery(command: "_find_node", target: randomID(&generator)),
                                                on: network.scheduler)
        let finished = try #require(summary)
        #expect(finished.error == nil)
        #expect(results.contains { $0.node.id == slow.id }, "the slow node's late answer was dropped")
        #expect(Set(finished.closest.compactMap(\.id)) == [fast.id, slow.id])
    }

    // MARK: - 2. Punch only when it can help

    @Test func aWalkDoesNotPunchAgainTowardDeadNodesAnEarlierPunchFoundSilent() throws {
        let bench = try HalfDeadSwarm(size: 400, seed: 1404) { $0.joinAll() }
        var generator = SeededRandomGenerator(seed: 0x1404)
        let asker = bench.live[7]
        let target = bench.swarm.randomTarget(&generator)
        let log = EventLog(asker)
        let first = bench.swarm.runQuery(from: asker, DHTQuery(command: "_find_node", target: target))
        #expect(first.summary?.error == nil)
        let punchedFirst = log.events.compactMap { event -> PeerAddress? in
            if case .holepunchAsked(let peer, _, _) = event { return peer }
            return nil
        }
        #expect(!punchedFirst.isEmpty, "the first walk should learn of dead nodes through referrers and punch")
        // Let the punches fail for good.
        bench.swarm.run(for: .seconds(3))
        log.clear()
        let second = bench.swarm.runQuery(from: asker, DHTQuery(command: "_find_node", target: target))
        let finished = try #require(second.summary)
        #expect(finished.error == nil)
        let punchedAgain = log.events.compactMap { event -> PeerAddress? in
            if case .holepunchAsked(let peer, _, _) = event { return peer }
            return nil
        }
        // Before: every walk punched every dead node it learned of through a referrer, every time.
        #expect(punchedAgain.isEmpty, "punched again toward \(punchedAgain.count) silent nodes")
        #expect(finished.closest.compactMap(\.id) == bench.closestLive(to: target, excluding: asker))
        #expect(finished.duration < .milliseconds(400), "the second walk took \(finished.duration)")
    }

    // MARK: - 3. Tables that heal

    @Test func contactsThatFailedAWalkAreNotHandedOutUntilTheyAnswerAndGoAfterRepeatedFailures() throws {
        let bench = try HalfDeadSwarm(size: 60, seed: 1406) { $0.bootstrapAll() }
        var generator = SeededRandomGenerator(seed: 0x1406)
        let node = bench.live[2]
        let asker = bench.live[5]
        let log = EventLog(node)
        let deadKnown = node.contacts.filter { bench.dead.contains($0.id) }.map(\.id)
        #expect(deadKnown.count > 5)

        // Walks toward many targets: each dead node among the seeds times out and turns questionable;
        // the background pings (2 a tick, with retransmissions) fail too, and it turns stale.
        for _ in 0..<8 {
            _ = bench.swarm.runQuery(from: node, DHTQuery(command: "_find_node", target: bench.swarm.randomTarget(&generator)))
        }
        bench.swarm.run(for: .seconds(2))  // the hard timeouts
        let questionable = node.contacts.filter(\.payload.isQuestionable).map(\.id)
        #expect(questionable.count > 5)
        #expect(Set(questionable).isSubset(of: bench.dead), "only dead nodes fail")
        bench.swarm.run(for: .seconds(30))
        let stale = node.contacts.filter(\.payload.isStale).map(\.id)
        #expect(stale.count >= 2)
        #expect(Set(stale).isSubset(of: bench.dead), "only dead nodes turn stale")

        // A `_find_node` answer lists no stale contact, even for a target right on one.
        for id in stale {
            var listed: Result<[NodeReference], DHTError>?
            asker.findNode(id, at: node.localAddress) { listed = $0 }
            bench.swarm.scheduler.run(until: { listed != nil }, limit: .seconds(3))
            let nodes = try #require(try listed?.get())
            #expect(nodes.count == 20)
            #expect(!nodes.contains { $0.id.map(stale.contains) ?? false }, "a stale contact was handed out")
        }

        // One more failure each: the failed ones leave the table as unresponsive within two minutes,
        // and the upkeep finds the other dead ones within five.
        bench.swarm.run(for: .seconds(120))
        #expect(Set(log.removals.filter { $0.reason == .unresponsive }.compactMap(\.node.id)).isSuperset(of: questionable))
        bench.swarm.run(for: .seconds(180))
        #expect(!node.contacts.contains { bench.dead.contains($0.id) })
        #expect(node.contacts.allSatisfy { !$0.payload.isStale })
    }

    @Test func aStaleContactThatAnswersAgainIsHandedOutAgainAndKept() throws {
        let swarm = try SimulatedSwarm(size: 30, seed: 1407)
        swarm.bootstrapAll()
        let node = swarm.nodes[4]
        let flaky = swarm.nodes[9]
        let asker = swarm.nodes[12]
        #expect(node.knows(flaky.id))
        // The flaky node drops off the network for a while: a walk toward its id times out on it.
        try swarm.network.setConditions(LinkConditions(latency: .milliseconds(5), lossProbability: 1), for: flaky.localAddress)
        _ = swarm.runQuery(from: node, DHTQuery(command: "_find_node", target: flaky.id))
        swarm.run(for: .seconds(2))
        #expect(try #require(node.contacts.first { $0.id == flaky.id }).payload.isQuestionable)
        // The background ping fails too (all four tries): stale.
        swarm.scheduler.run(until: { node.contacts.first { $0.id == flaky.id }?.payload.isStale ?? false }, limit: .seconds(20))
        let record = try #require(node.contacts.first { $0.id == flaky.id })
        #expect(record.payload.isStale)
        var listed: Result<[NodeReference], DHTError>?
        asker.findNode(flaky.id, at: node.localAddress) { listed = $0 }
        swarm.scheduler.run(until: { listed != nil }, limit: .seconds(3))
        #expect(!(try #require(try listed?.get())).contains { $0.id == flaky.id })

        // Back on the network: the next background ping of the stale contact revives it.
        try swarm.network.setConditions(nil, for: flaky.localAddress)
        swarm.run(for: .seconds(16))
        let revived = try #require(node.contacts.first { $0.id == flaky.id }, "a contact that answers again must stay")
        #expect(!revived.payload.isStale)
        listed = nil
        asker.findNode(flaky.id, at: node.localAddress) { listed = $0 }
        swarm.scheduler.run(until: { listed != nil }, limit: .seconds(3))
        #expect((try #require(try listed?.get())).contains { $0.id == flaky.id })
    }
}
