import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

@Suite struct DHTNodeSwarmTests {
    @Test func threeNodesBootstrapAndKnowEachOther() throws {
        let swarm = try SimulatedSwarm(size: 3)
        swarm.bootstrapAll()
        for node in swarm.nodes {
            #expect(node.isReady)
            #expect(node.snapshot().routingTable.count == 2, "node \(node.localAddress)")
        }
    }

    @Test(arguments: [(100, 0.0), (100, 0.1)])
    func queryFindsExactlyTheTwentyClosestIds(size: Int, loss: Double) throws {
        // On the lossy network the nodes opt into retransmission (udp-request's retry schedule).
        let swarm = try SimulatedSwarm(size: size, seed: 7,
                                       conditions: LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(3), lossProbability: loss)) {
            _, configuration in configuration.walkRequestOptions = loss > 0 ? .withRetries : .once
        }
        swarm.bootstrapAll()
        var generator = SeededRandomGenerator(seed: 99)
        for round in 0..<5 {
            let target = swarm.randomTarget(&generator)
            let asker = swarm.nodes[Int.random(in: 0..<size, using: &generator)]
            let (_, summary) = swarm.runQuery(from: asker, DHTQuery(command: "_find_node", target: target))
            let found = try #require(summary).closest.compactMap(\.id)
            let expected = swarm.bruteForceClosest(to: target, excluding: asker.id)
            #expect(found == expected, "round \(round), seed \(swarm.seed), loss \(loss)")
        }
    }
}
