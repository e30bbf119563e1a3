import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// The same seeded scenario, run twice, does exactly the same thing: same datagrams at the same
/// virtual times, same query results, same counters and tables.
@Suite struct DeterminismTests {
    /// Everything observable about one run.
    struct Fingerprint: Equatable {
        var traceCount = 0
        var traceDigest: UInt64 = 0xCBF2_9CE4_8422_2325
        var summaries: [String] = []
        var socketCounters: [RequestSocketCounters] = []
        var counters: [DHTCounters] = []
        var tables: [[NodeID]] = []
        var statistics = SimulationStatistics()
        var endTime = Timestamp.zero

        /// FNV-1a over the bytes of `values`.
        mutating func fold(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                traceDigest ^= UInt64(byte)
                traceDigest &*= 0x100_0000_01B3
            }
        }

        mutating func fold(_ event: SimulationTraceEvent) {
            traceCount += 1
            withUnsafeBytes(of: event.time.nanoseconds.bigEndian) { fold($0) }
            fold("\(event.outcome) \(event.sender) \(event.source) \(event.destination) \(event.deliveredTo.map { "\($0)" } ?? "-")".utf8)
            fold(event.payload)
        }
    }

    private static func describe(_ summary: QuerySummary?) -> String {
        guard let summary else { return "unfinished" }
        let closest = summary.closest.map { $0.id?.hexString.prefix(8) ?? "-" }.joined(separator: ",")
        return "\(summary.command) r\(summary.responses) e\(summary.errors) c\(summary.commits) h\(summary.hops) "
            + "\(summary.duration) \(summary.error.map { "\($0)" } ?? "ok") [\(closest)]"
    }

    /// 40 nodes on lossy, jittery, duplicating, reordering links: bootstrap, two queries, an update,
    /// a node leaving and the upkeep that follows.
    private static func run(seed: UInt64) throws -> Fingerprint {
        let conditions = LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(4), lossProbability: 0.1,
                                        duplicationProbability: 0.02, reorderProbability: 0.05, reorderDelay: .milliseconds(20))
        let swarm = try SimulatedSwarm(size: 40, seed: seed, conditions: conditions)
        var fingerprint = Fingerprint()
        swarm.network.trace = { fingerprint.fold($0) }
        swarm.bootstrapAll()
        for node in swarm.nodes { node.setHandler(for: "store") { _ in .respond(value: Data([1])) } }

        var generator = SeededRandomGenerator(seed: seed ^ 0xD37E)
        for asker in [7, 21] {
            let (_, summary) = swarm.runQuery(from: swarm.nodes[asker],
                                              DHTQuery(command: "_find_node", target: swarm.randomTarget(&generator)))
            fingerprint.summaries.append(describe(summary))
        }
        var update: QuerySummary?
        swarm.nodes[13].update(DHTQuery(command: "store", target: swarm.randomTarget(&generator)),
                               onResult: { _ in }, onFinish: { update = $0 })
        swarm.scheduler.run(until: { update != nil }, limit: .seconds(60))
        fingerprint.summaries.append(describe(update))
        swarm.nodes[3].close()
        swarm.run(for: .seconds(200))

        for node in swarm.nodes {
            let snapshot = node.snapshot()
            fingerprint.socketCounters.append(snapshot.socketCounters)
            fingerprint.counters.append(snapshot.counters)
            fingerprint.tables.append(node.contacts.map(\.id))
        }
        fingerprint.statistics = swarm.network.statistics
        fingerprint.endTime = swarm.scheduler.now
        return fingerprint
    }

    @Test func twoRunsOfTheSameSeededScenarioAreIdentical() throws {
        let first = try Self.run(seed: 71)
        let second = try Self.run(seed: 71)
        #expect(first.traceCount > 3000)
        #expect(first.summaries.allSatisfy { $0.contains(" ok ") }, "\(first.summaries)")
        #expect(first.summaries == second.summaries)
        #expect(first.traceCount == second.traceCount)
        #expect(first.traceDigest == second.traceDigest)
        #expect(first.socketCounters == second.socketCounters)
        #expect(first.counters == second.counters)
        #expect(first.tables == second.tables)
        #expect(first.statistics == second.statistics)
        #expect(first.endTime == second.endTime)
    }

    @Test func anotherSeedGivesAnotherRun() throws {
        #expect(try Self.run(seed: 71).traceDigest != Self.run(seed: 72).traceDigest)
    }
}
