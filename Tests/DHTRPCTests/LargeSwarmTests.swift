import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// A 1,000-node swarm on the simulated network. One swarm serves both loss rates: it joins on
/// clean links, then queries run without loss and again with 10% of datagrams lost.
@Suite struct LargeSwarmTests {
    @Test func queriesInAThousandNodeSwarmFindTheTwentyClosestIdsWithAndWithoutLoss() throws {
        let size = 1000
        let swarm = try SimulatedSwarm(size: size, seed: 1000)
        swarm.joinAll()
        #expect(swarm.nodes.allSatisfy { $0.isReady })
        #expect(swarm.nodes.allSatisfy { $0.snapshot().routingTable.count >= 20 })

        var generator = SeededRandomGenerator(seed: 0x1000)
        for loss in [0.0, 0.1] {
            try swarm.network.setDefaultConditions(
                LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(3), lossProbability: loss))
            let lostBefore = swarm.network.statistics.datagramsLost
            for round in 0..<8 {
                let target = swarm.randomTarget(&generator)
                let asker = swarm.nodes[Int.random(in: 0..<size, using: &generator)]
                // On the lossy link the walk opts into retransmission (udp-request's retry schedule).
                let options = QueryOptions(requestOptions: loss > 0 ? .withRetries : .once)
                let (results, summary) = swarm.runQuery(from: asker, DHTQuery(command: "_find_node", target: target), options: options)
                let finished = try #require(summary, "round \(round), loss \(loss): the query did not finish")
                #expect(finished.error == nil)
                let expected = swarm.bruteForceClosest(to: target, excluding: asker.id)
                let found = finished.closest.compactMap(\.id)
                if loss == 0 {
                    #expect(found == expected, "round \(round), seed \(swarm.seed)")
                    #expect(Set(results.compactMap(\.node.id)).isSuperset(of: expected))
                } else {
                    // With retries a request is lost only if all four tries are (0.19^4 ≈ 0.13% at 10% loss each
                    // way), but a walk sends ~45 of them: about one walk in 16 loses one of the 20 closest. Such
                    // a node is missing from the result, and the walk counts the failed request.
                    let missing = Set(expected).subtracting(found)
                    #expect(missing.count <= 1 && missing.count <= finished.errors,
                            "round \(round), seed \(swarm.seed): \(missing.count) missing, \(finished.errors) failed requests")
                    #expect(found.filter { !expected.contains($0) }.count == missing.count, "the rest in order of distance")
                    #expect(Array(found.filter(expected.contains)) == expected.filter { !missing.contains($0) })
                }
            }
            if loss > 0 { #expect(swarm.network.statistics.datagramsLost > lostBefore) }
        }
    }
}
