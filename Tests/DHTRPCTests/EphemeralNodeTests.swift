import DHTMessages
import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// An ephemeral node sends no id, so no other node ever adds it to a routing table; it still walks,
/// queries and updates like any other node.
@Suite struct EphemeralNodeTests {
    @Test func othersNeverAddAnEphemeralNodeButItCanQueryAndUpdate() throws {
        let swarm = try SimulatedSwarm(size: 30, seed: 61)
        swarm.bootstrapAll()
        var updates: [Int: [IncomingQuery]] = [:]
        for (index, node) in swarm.nodes.enumerated() {
            node.setHandler(for: "store") { query in
                if query.isUpdate { updates[index, default: []].append(query) }
                return .respond(value: nil)
            }
        }
        let ephemeral = try swarm.network.makeNode(host: IPAddress(10, 0, 1, 1), seed: 6161) {
            $0.ephemeral = true
            $0.bootstrap = [swarm.nodes[0].localAddress]
        }
        var sent = 0, sentWithID = 0
        swarm.network.trace = { event in
            guard event.outcome == .delivered, event.sender == ephemeral.localAddress else { return }
            sent += 1
            switch try? DatagramFrame.decode(event.payload) {
            case .request(_, let message)?: if message.hasID { sentWithID += 1 }
            case .response(_, let message)?: if message.hasID { sentWithID += 1 }
            case nil: break
            }
        }

        ephemeral.start()
        swarm.scheduler.run(until: { ephemeral.isReady }, limit: .seconds(30))
        #expect(ephemeral.isReady)
        #expect(ephemeral.snapshot().ephemeral)
        #expect(ephemeral.contacts.count >= 20)  // it adds everyone who answers it

        var generator = SeededRandomGenerator(seed: 6262)
        for round in 0..<3 {
            let target = swarm.randomTarget(&generator)
            let (_, summary) = ephemeral.runQuery(DHTQuery(command: "_find_node", target: target), on: swarm.scheduler)
            #expect(try #require(summary).closest.compactMap(\.id) == swarm.bruteForceClosest(to: target), "round \(round)")
        }

        let target = swarm.randomTarget(&generator)
        var update: QuerySummary?
        ephemeral.update(DHTQuery(command: "store", target: target), onResult: { _ in }, onFinish: { update = $0 })
        swarm.scheduler.run(until: { update != nil }, limit: .seconds(60))
        #expect(try #require(update).commits == 20)
        let closest = Set(swarm.bruteForceClosest(to: target))
        for (index, node) in swarm.nodes.enumerated() {
            let got = updates[index] ?? []
            #expect(got.count == (closest.contains(node.id) ? 1 : 0), "node \(index)")
            #expect(got.allSatisfy { $0.node.id == nil && $0.node.address == ephemeral.localAddress })
        }

        // Answers to it carry no id either, so a node that pings it does not add it.
        let pinger = swarm.nodes[1]
        let pong = pinger.pingOutcome(ephemeral.localAddress)
        swarm.run(for: .seconds(1))
        let reply = try #require(pong.value).get()
        #expect(reply.responderID == nil)

        swarm.run(for: .seconds(120))  // upkeep rounds come and go
        #expect(sent > 100)
        #expect(sentWithID == 0)
        for node in swarm.nodes {
            #expect(!node.knows(ephemeral.id))
            #expect(!node.contacts.contains { $0.payload.address == ephemeral.localAddress }, "\(node.localAddress)")
        }
    }
}
