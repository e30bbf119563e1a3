import IPEncoding
import NetworkSimulation
import Testing
import UDPRequest

/// `NATPolicy.wouldDeliver(from:to:at:)`, the oracle large simulations use to say which nodes are
/// reachable, agrees with what the network then does, datagram by datagram, through NATs of
/// every kind, while sessions open and expire.
@Suite struct NATDeliveryPredictionTests {
    @Test func wouldDeliverPredictsEveryDatagramOfSeededRandomTraffic() throws {
        let seed: UInt64 = 0x5EED_0A7
        let network = try SimulatedNetwork(seed: seed, conditions: LinkConditions(latency: .zero))
        let nat = NATPolicy(seed: seed)
        network.pathPolicy = nat
        var hairpinning = NATBehaviour.portPreservingRouter
        hairpinning.hairpinning = true
        let kinds: [NATBehaviour] = [
            .portPreservingRouter, .fullCone, .restrictedCone, .portRandomisingRouter,
            .forwardingEverything(to: IPAddress(192, 168, 4, 1)), hairpinning,
        ]
        var endpoints: [SimulatedTransport] = []
        for (index, behaviour) in kinds.enumerated() {
            let lan = [IPAddress(192, 168, UInt8(index), 1), IPAddress(192, 168, UInt8(index), 2)]
            try nat.addNAT(publicHost: IPAddress(203, 0, 113, UInt8(index + 1)), internalHosts: lan, behaviour: behaviour)
            endpoints += [try network.bind(host: lan[0], port: 7000), try network.bind(host: lan[0], port: 7001),
                          try network.bind(host: lan[1], port: 7000)]
        }
        for index in 1...3 { endpoints.append(try network.bind(host: host(index), port: 9000)) }
        // Where datagrams may go: every bound address (public servers, private addresses) and, as
        // they show up, every source a receiver observed – the addresses peers learn from each other.
        var destinations = endpoints.map(\.localAddress)
        var known = Set(destinations)
        // Passed the NATs: delivered, or forwarded by the DNAT NAT to a port where nothing listens.
        var deliveries = 0
        network.trace = { event in
            guard event.outcome == .delivered || event.outcome == .undeliverable else { return }
            deliveries += 1
            if event.outcome == .delivered, known.insert(event.source).inserted { destinations.append(event.source) }
        }
        var generator = SeededRandomGenerator(seed: seed)
        let steps: [Duration] = [.zero, .milliseconds(500), .seconds(1), .seconds(5), .seconds(15), .seconds(29), .seconds(35)]
        var outcomes: [Bool: Int] = [:]
        for step in 0..<3000 {
            let sender = endpoints[Int(generator.next() % UInt64(endpoints.count))]
            let destination = destinations[Int(generator.next() % UInt64(destinations.count))]
            guard destination != sender.localAddress else { continue }
            let now = network.scheduler.now
            let predicted = nat.wouldDeliver(from: sender.localAddress, to: destination, at: now)
            let before = deliveries
            sender.send([UInt8(step & 0xFF)], to: destination)
            network.scheduler.run(until: now)
            let delivered = deliveries > before
            #expect(predicted == delivered, "seed \(seed) step \(step): \(sender.localAddress) -> \(destination) at \(now)")
            if predicted != delivered { break }
            outcomes[delivered, default: 0] += 1
            network.scheduler.run(for: steps[Int(generator.next() % UInt64(steps.count))])
        }
        #expect(outcomes[true, default: 0] > 300 && outcomes[false, default: 0] > 300, "\(outcomes)")
        #expect(Set(NATDropReason.allCases).subtracting(nat.drops.keys).isSubset(of: [.portsExhausted]), "\(nat.drops)")
    }
}
