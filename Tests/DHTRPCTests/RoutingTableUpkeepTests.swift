import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// Routing-table upkeep on virtual time: the 40 s pings remove nodes that stopped answering, and a
/// full bucket keeps contacts heard from recently and replaces a dead one with the newcomer.
@Suite struct RoutingTableUpkeepTests {
    @Test func aNodeThatStopsAnsweringIsRemovedFromOthersTablesByTheUpkeepPings() throws {
        let swarm = try SimulatedSwarm(size: 12, seed: 51)
        swarm.bootstrapAll()
        let dead = swarm.nodes[5]
        let live = swarm.nodes.filter { $0 !== dead }
        #expect(live.allSatisfy { $0.knows(dead.id) })
        let logs = live.map(EventLog.init)
        dead.close()

        // Nodes started at about 0 s; the next upkeep round is at their 8th tick (40 s).
        #expect(swarm.scheduler.now < .zero + .seconds(35))
        swarm.scheduler.advance(to: .zero + .seconds(35))
        #expect(live.allSatisfy { $0.knows(dead.id) }, "removed before any upkeep ping")

        swarm.run(for: .seconds(300))
        for (node, log) in zip(live, logs) {
            #expect(!node.knows(dead.id), "\(node.localAddress) still lists the dead node")
            #expect(log.removals.map { "\($0.node.id.map(\.hexString) ?? "-") \($0.reason)" }
                == ["\(dead.id.hexString) unresponsive"])
            #expect(node.contacts.count == live.count - 1)
        }
        #expect(live.map { $0.snapshot().counters.upkeepPings }.allSatisfy { $0 > 0 })
    }

    /// At 10% loss one join in five loses its bootstrap request or the answer. Such a node was marked
    /// ready with an empty table and stayed alone: nobody to ask, nobody who knew it (issue 12 item 4:
    /// 6 of 120 lookups in the 1,000-node churn run came from such nodes).
    @Test func aNodeWhoseBootstrapGotNoAnswerTriesAgainAtItsNextUpkeepTick() throws {
        let swarm = try SimulatedSwarm(size: 12, seed: 57)
        swarm.bootstrapAll()
        let bootstrap = swarm.nodes[0].localAddress
        let transport = try swarm.network.bind(host: IPAddress.v4(0x0A00_0100), port: 49737)
        try swarm.network.setConditions(LinkConditions(latency: .milliseconds(5), lossProbability: 1), for: transport.localAddress)
        var configuration = DHTNodeConfiguration()
        configuration.bootstrap = [bootstrap]
        let newcomer = try DHTNode(configuration: configuration, transport: transport, scheduler: swarm.scheduler, random: .seeded(57))
        newcomer.start()
        swarm.run(for: .seconds(3))
        #expect(newcomer.isReady && newcomer.contacts.isEmpty, "the first bootstrap should have found nobody")
        try swarm.network.setConditions(nil, for: transport.localAddress)
        swarm.run(for: .seconds(8))  // the next upkeep tick is at 5 s
        #expect(newcomer.contacts.count >= 10, "\(newcomer.contacts.count) contacts after the loss ended")
        #expect(swarm.nodes.filter { $0.knows(newcomer.id) }.count >= 10)
    }

    @Test func closingANodeWhileItsUpkeepPingsAreInFlightRemovesNobody() throws {
        let swarm = try SimulatedSwarm(size: 12, seed: 55)
        swarm.bootstrapAll()
        let node = swarm.nodes[0]  // started at 0 s: its first upkeep round is at exactly 40 s
        let log = EventLog(node)
        swarm.scheduler.advance(to: .zero + .milliseconds(40_001))
        #expect(node.snapshot().counters.upkeepPings > 0)
        #expect(!node.snapshot().inflight.isEmpty)
        let before = node.contacts.map(\.id)

        node.close()
        swarm.run(for: .seconds(5))
        #expect(node.contacts.map(\.id) == before, "closing must not count as the contacts failing")
        #expect(log.removals.isEmpty)
    }

    /// A node whose far bucket (ids starting with bit 1; the node's own id starts with bit 0) holds
    /// 20 contacts, added one by one, and a 21st node for that bucket waiting to ping it.
    private struct FullBucket {
        let network: SimulatedNetwork
        let node: DHTNode
        let far: [DHTNode]
        let newcomer: DHTNode
        let log: EventLog

        init(seed: UInt64) throws {
            network = try SimulatedNetwork(seed: seed, conditions: LinkConditions(latency: .milliseconds(5)))
            var generator = SeededRandomGenerator(seed: seed)
            let ownID = randomID(firstByte: 0x00, &generator)
            node = try network.makeNode(host: IPAddress(10, 0, 0, 1), seed: seed) { $0.id = ownID }
            log = EventLog(node)
            node.start()  // no bootstrap addresses: ready at once, so the bucket's ping events count
            network.scheduler.run(for: .milliseconds(10))
            var far: [DHTNode] = []
            for index in 0..<20 {
                let id = randomID(firstByte: 0x80 | UInt8.random(in: 0...0x7F, using: &generator), &generator)
                far.append(try network.makeNode(host: IPAddress(10, 0, 1, UInt8(index + 1)), seed: seed &+ UInt64(index) &+ 1) { $0.id = id })
            }
            for peer in far {
                _ = peer.pingOutcome(node.localAddress)
                network.scheduler.run(for: .milliseconds(10))  // one at a time: bucket order is ping order
            }
            self.far = far
            let newcomerID = randomID(firstByte: 0xC0, &generator)
            newcomer = try network.makeNode(host: IPAddress(10, 0, 2, 1), seed: seed &+ 100) { $0.id = newcomerID }
        }

        /// The bucket the 20 far contacts live in.
        var farBucket: KBucketSnapshot<RoutingContact>.Bucket? {
            node.snapshot().routingTable.buckets.first { !$0.containsLocalID }
        }

        func farNode(_ id: NodeID) -> DHTNode? { far.first { $0.id == id } }
    }

    @Test func aFullBucketKeepsContactsHeardFromRecentlyAndTurnsTheNewcomerAway() throws {
        let bench = try FullBucket(seed: 52)
        #expect(bench.node.isReady)
        let order = bench.node.contacts.map(\.id)
        #expect(order == bench.far.map(\.id))

        let answered = bench.newcomer.pingOutcome(bench.node.localAddress)
        bench.network.scheduler.run(for: .seconds(2))
        #expect(throws: Never.self) { try answered.value?.get() }  // it is answered, just not added

        #expect(!bench.node.knows(bench.newcomer.id))
        #expect(bench.node.contacts.count == 20)
        #expect(bench.node.snapshot().socketCounters.requestsOut == 0, "fresh contacts must not be pinged")
        let bucket = try #require(bench.farBucket)
        #expect(!bucket.canSplit)
        // The three least recently seen were offered for eviction, found fresh, and moved to the recent end.
        #expect(bucket.contacts.map(\.id) == Array(order.dropFirst(3) + order.prefix(3)))
        #expect(bench.log.removals.isEmpty)
    }

    @Test(arguments: [0, 1, 2])
    func aFullBucketReplacesTheFirstStaleContactThatFailsItsPingWithTheNewcomer(deadPosition: Int) throws {
        let bench = try FullBucket(seed: 53)
        let order = bench.node.contacts.map(\.id)
        let deadID = order[deadPosition]
        try #require(bench.farNode(deadID)).close()

        // Four ticks on: every contact is stale (≥ 3 ticks), and the first upkeep round (8 ticks) is still ahead.
        bench.network.scheduler.run(for: .seconds(20))
        #expect(bench.node.snapshot().tick == 4)

        _ = bench.newcomer.pingOutcome(bench.node.localAddress)
        bench.network.scheduler.run(for: .seconds(10))

        #expect(bench.node.knows(bench.newcomer.id))
        #expect(!bench.node.knows(deadID))
        #expect(bench.node.contacts.count == 20)
        #expect(bench.log.removals.map { "\($0.node.id?.hexString ?? "-") \($0.reason)" } == ["\(deadID.hexString) replaced"])
        // The stale ones are pinged one at a time, oldest first, until the first failure.
        #expect(bench.node.snapshot().socketCounters.requestsOut == deadPosition + 1)
        for id in order where id != deadID {
            #expect(bench.node.knows(id))
        }
    }

    @Test func aFullBucketKeepsFreshContactsWithoutPingingThemAndReplacesTheDeadStaleOne() throws {
        let bench = try FullBucket(seed: 54)
        let order = bench.node.contacts.map(\.id)
        // At tick 1 every contact but the oldest speaks again (in order, so the order stays).
        bench.network.scheduler.run(for: .seconds(6))
        #expect(bench.node.snapshot().tick == 1)
        for id in order.dropFirst() {
            _ = try #require(bench.farNode(id)).pingOutcome(bench.node.localAddress)
            bench.network.scheduler.run(for: .milliseconds(10))
        }
        try #require(bench.farNode(order[0])).close()

        // At tick 3 the oldest (last heard at tick 0) is stale; the next two (tick 1) are fresh.
        bench.network.scheduler.run(for: .seconds(10))
        #expect(bench.node.snapshot().tick == 3)
        _ = bench.newcomer.pingOutcome(bench.node.localAddress)
        bench.network.scheduler.run(for: .seconds(3))

        // The fresh two moved to the recent end without a ping; the stale one failed its ping and
        // made room for the newcomer.
        #expect(bench.node.snapshot().socketCounters.requestsOut == 1)
        #expect(try #require(bench.farBucket).contacts.map(\.id) == Array(order[3...]) + [order[1], order[2], bench.newcomer.id])
        #expect(bench.log.removals.map { "\($0.node.id?.hexString ?? "-") \($0.reason)" } == ["\(order[0].hexString) replaced"])
    }
}
