@testable import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// Kademlia's bucket refresh (``BucketRefreshPolicy``): a far bucket the table knows no one in is filled by a
/// walk toward a random id in its subtree.
@Suite struct BucketRefreshTests {
    /// 40 nodes whose ids start with bit 0 ("near" the newcomer) and 30 starting with bit 1. The newcomer
    /// rejoins through the 40 near nodes (its bootstrap list) and walks toward its own id, so it meets only near
    /// nodes: its table splits at bit 0 and the far half of the id space (the far bucket at bit 0) stays empty
    /// unless it refreshes that bucket – the gap that stalled walks in the 10,000-node swarm.
    private func swarmAndNewcomer(refresh: BucketRefreshPolicy) throws -> (SimulatedSwarm, DHTNode) {
        var ids = SeededRandomGenerator(seed: 0x12_0404)
        func id(firstBit: UInt8) -> NodeID {
            var bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &ids) }
            bytes[0] = (bytes[0] & 0x7F) | (firstBit << 7)
            return NodeID(bytes)
        }
        let swarm = try SimulatedSwarm(size: 70, seed: 0x12_0404) { index, configuration in
            configuration.id = id(firstBit: index < 40 ? 0 : 1)
            configuration.bucketRefresh = .off
        }
        swarm.bootstrapAll()
        let transport = try swarm.network.bind(host: IPAddress.v4(0x0A00_0100), port: 49737)
        var configuration = DHTNodeConfiguration()
        configuration.id = id(firstBit: 0)
        configuration.bootstrap = swarm.nodes[..<40].map(\.localAddress)
        configuration.bucketRefresh = refresh
        let newcomer = try DHTNode(configuration: configuration, transport: transport, scheduler: swarm.scheduler,
                                   random: .seeded(0x12_0404))
        return (swarm, newcomer)
    }

    private func farHalf(of node: DHTNode) -> KBucketSnapshot<RoutingContact>.Bucket? {
        node.snapshot().routingTable.buckets.first { $0.prefix.description == "1" }
    }

    @Test func withoutRefreshTheNewcomersFarHalfStaysEmpty() throws {
        let (swarm, newcomer) = try swarmAndNewcomer(refresh: .off)
        newcomer.start()
        swarm.run(for: .seconds(60))
        let buckets = newcomer.snapshot().routingTable.buckets.map { "\($0.prefix)=\($0.count)" }
        let far = try #require(farHalf(of: newcomer), "the table should have split at bit 0: \(buckets)")
        #expect(far.count == 0, "\(far.count) far contacts: the scenario no longer shows the gap")
        #expect(newcomer.snapshot().counters.bucketRefreshes == 0)
    }

    @Test func refreshFillsTheFarHalfRightAfterTheBootstrap() throws {
        let (swarm, newcomer) = try swarmAndNewcomer(refresh: .standard)
        var bootstrappedAt: Duration?
        var refreshedAt: Duration?
        let start = swarm.scheduler.now
        newcomer.onEvent = { event in
            if case .bootstrapped = event, bootstrappedAt == nil { bootstrappedAt = swarm.scheduler.now - start }
        }
        newcomer.start()
        while refreshedAt == nil, swarm.scheduler.now - start < .seconds(10) {
            swarm.run(for: .milliseconds(50))
            if (farHalf(of: newcomer)?.count ?? 0) >= 10 { refreshedAt = swarm.scheduler.now - start }
        }
        let bootstrapped = try #require(bootstrappedAt)
        let refreshed = try #require(refreshedAt, "the far half never got 10 contacts")
        #expect(refreshed - bootstrapped < .seconds(1), "filled \(refreshed - bootstrapped) after the bootstrap")
        #expect(newcomer.snapshot().counters.bucketRefreshes >= 1)
        // Every far contact really is in the far half, and answered (it is in the table).
        let far = try #require(farHalf(of: newcomer))
        #expect(far.contacts.allSatisfy { $0.id.bit(at: 0) })
    }

    @Test func aQuietFullTableStartsNoRefreshWalks() throws {
        let swarm = try SimulatedSwarm(size: 40, seed: 0x12_0405)
        swarm.bootstrapAll()
        let before = swarm.nodes.map { $0.snapshot().counters.queriesStarted }
        swarm.run(for: .seconds(120))
        let after = swarm.nodes.map { $0.snapshot().counters.queriesStarted }
        // Buckets that stay empty in a 40-node swarm are subtrees nobody is in: each is walked at most
        // 1 + log2(120/12) times in 120 s (the interval doubles after each walk that finds no one).
        let extra = zip(before, after).map { $1 - $0 }
        #expect(extra.allSatisfy { $0 <= 12 }, "refresh walks per node in 120 s: \(extra)")
    }
}

/// The bookkeeping of which empty buckets are due.
@Suite struct BucketRefreshScheduleTests {
    @Test func shallowestEmptyBucketsFirstUpToTheLimitAndNeverTwiceAtOnce() {
        var schedule = BucketRefreshSchedule(policy: .standard)
        #expect(schedule.takeDue(emptyBuckets: [5, 2, 9], tick: 0, limit: 2) == [2, 5])
        #expect(schedule.takeDue(emptyBuckets: [5, 2, 9], tick: 0, limit: 2) == [9])
        #expect(schedule.takeDue(emptyBuckets: [5, 2, 9], tick: 1, limit: 2) == [])
    }

    @Test func aBucketWaitsItsIntervalAndTheIntervalDoublesWhileNobodyIsFound() {
        var schedule = BucketRefreshSchedule(policy: BucketRefreshPolicy(intervalTicks: 12, maxIntervalTicks: 40))
        var tick = 0
        #expect(schedule.takeDue(emptyBuckets: [3], tick: tick, limit: 1) == [3])
        schedule.finished(3, tick: tick, filled: false)
        var waits: [Int] = []
        for _ in 0..<4 {
            var next = tick + 1
            while schedule.takeDue(emptyBuckets: [3], tick: next, limit: 1).isEmpty { next += 1 }
            waits.append(next - tick)
            schedule.finished(3, tick: next, filled: false)
            tick = next
        }
        #expect(waits == [12, 24, 40, 40])
        // A walk that fills the bucket resets the interval.
        #expect(schedule.takeDue(emptyBuckets: [3], tick: tick + 40, limit: 1) == [3])
        schedule.finished(3, tick: tick + 40, filled: true)
        #expect(schedule.takeDue(emptyBuckets: [3], tick: tick + 51, limit: 1).isEmpty)
        #expect(schedule.takeDue(emptyBuckets: [3], tick: tick + 52, limit: 1) == [3])
    }

    @Test func offNeverRefreshes() {
        var schedule = BucketRefreshSchedule(policy: .off)
        #expect(schedule.takeDue(emptyBuckets: [0, 1], tick: 100, limit: 8).isEmpty)
    }
}
