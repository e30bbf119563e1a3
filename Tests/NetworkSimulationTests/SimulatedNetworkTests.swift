import IPEncoding
import NetworkSimulation
import Testing
import UDPRequest

@Suite struct SimulatedNetworkTests {
    @Test func datagramArrivesAfterTheLinkLatencyWithTheSendersAddress() throws {
        let network = try SimulatedNetwork(seed: 1, conditions: LinkConditions(latency: .milliseconds(20)))
        let a = try network.bind(host: host(1), port: 1000)
        let b = try network.bind(host: host(2), port: 2000)
        let inbox = Inbox(b)
        a.send([1, 2, 3], to: b.localAddress)
        #expect(inbox.datagrams.isEmpty, "a send must never deliver synchronously")
        network.scheduler.run(for: .milliseconds(19))
        #expect(inbox.datagrams.isEmpty)
        network.scheduler.run(for: .milliseconds(1))
        #expect(inbox.payloads == [[1, 2, 3]])
        #expect(inbox.datagrams.first?.source == a.localAddress)
        #expect(network.statistics.datagramsDelivered == 1)
        #expect(network.statistics.bytesDelivered == 3)
    }

    @Test func sendingToYourselfIsStillScheduled() throws {
        let network = SimulatedNetwork(seed: 1)
        let a = try network.bind(host: host(1))
        let inbox = Inbox(a)
        a.send([9], to: a.localAddress)
        #expect(inbox.datagrams.isEmpty)
        network.scheduler.runUntilIdle()
        #expect(inbox.payloads == [[9]])
    }

    @Test func portZeroPicksEphemeralPortsDeterministically() throws {
        let network = SimulatedNetwork(seed: 1)
        let first = try network.bind(host: host(1))
        let second = try network.bind(host: host(1))
        let otherHost = try network.bind(host: host(2))
        #expect(first.localAddress.port == 49152)
        #expect(second.localAddress.port == 49153)
        #expect(otherHost.localAddress.port == 49152)
        _ = try network.bind(host: host(1), port: 49154)
        #expect(try network.bind(host: host(1)).localAddress.port == 49155)
    }

    @Test func bindingAnAddressInUseThrowsAndClosingFreesIt() throws {
        let network = SimulatedNetwork(seed: 1)
        let address = PeerAddress(host: host(1), port: 7)
        let first = try network.bind(host: address.host, port: address.port)
        #expect(throws: SimulationError.addressInUse(address)) {
            try network.bind(host: address.host, port: address.port)
        }
        first.close()
        #expect(try network.bind(host: address.host, port: address.port).localAddress == address)
    }

    @Test func bindingAWildcardHostThrows() {
        let network = SimulatedNetwork(seed: 1)
        #expect(throws: SimulationError.unspecifiedHost(.anyV4)) { try network.bind(host: .anyV4) }
    }

    @Test func unknownDestinationIsDroppedAndCounted() throws {
        let network = SimulatedNetwork(seed: 1)
        let a = try network.bind(host: host(1))
        a.send([1], to: PeerAddress(host: host(99), port: 1))
        network.scheduler.runUntilIdle()
        #expect(network.statistics.datagramsSent == 1)
        #expect(network.statistics.datagramsUndeliverable == 1)
        #expect(network.statistics.datagramsDelivered == 0)
    }

    @Test func closeStopsDeliveryIncludingDatagramsInFlight() throws {
        let network = SimulatedNetwork(seed: 1)
        let a = try network.bind(host: host(1))
        let b = try network.bind(host: host(2))
        let inbox = Inbox(b)
        a.send([1], to: b.localAddress)
        b.close()
        b.close()
        a.send([2], to: b.localAddress)
        b.send([3], to: a.localAddress)
        network.scheduler.runUntilIdle()
        #expect(inbox.datagrams.isEmpty)
        #expect(b.isClosed)
        #expect(network.statistics.datagramsSent == 2, "a closed endpoint sends nothing")
        #expect(network.statistics.datagramsUndeliverable == 2)
        #expect(network.endpointCount == 1)
    }

    @Test func oversizedDatagramsAreDroppedAtTheSender() throws {
        let network = SimulatedNetwork(seed: 1)
        let a = try network.bind(host: host(1))
        let b = try network.bind(host: host(2))
        let inbox = Inbox(b)
        a.send([UInt8](repeating: 0, count: 65_508), to: b.localAddress)
        network.scheduler.runUntilIdle()
        #expect(inbox.datagrams.isEmpty)
        #expect(network.statistics.datagramsOversized == 1)
    }

    @Test func traceReportsEveryOutcomeInOrder() throws {
        let network = try SimulatedNetwork(seed: 1, conditions: LinkConditions(latency: .milliseconds(5)))
        var events: [SimulationTraceEvent] = []
        network.trace = { events.append($0) }
        let a = try network.bind(host: host(1))
        let b = try network.bind(host: host(2))
        _ = Inbox(b)
        a.send([1], to: b.localAddress)
        a.send([2], to: PeerAddress(host: host(3), port: 1))
        network.scheduler.runUntilIdle()
        #expect(events.map(\.outcome) == [.delivered, .undeliverable])
        #expect(events[0].time == Timestamp(nanoseconds: 5_000_000))
        #expect(events[0].deliveredTo == b.localAddress)
        #expect(events[0].payload == [1])
    }

    @Test func invalidConditionsAreRejected() throws {
        let network = SimulatedNetwork(seed: 1)
        #expect(throws: SimulationError.self) {
            try network.setDefaultConditions(LinkConditions(lossProbability: 1.5))
        }
        #expect(throws: SimulationError.self) {
            try network.setConditions(LinkConditions(latency: .milliseconds(-1)), for: PeerAddress(host: host(1), port: 1))
        }
        #expect(throws: SimulationError.self) {
            try network.setDefaultConditions(LinkConditions(duplicationProbability: .nan))
        }
        #expect(network.defaultConditions == .perfect)
    }

    @Test func overridesApplyPerHostPairThenPerEndpoint() throws {
        let network = SimulatedNetwork(seed: 1)
        let a = PeerAddress(host: host(1), port: 1)
        let b = PeerAddress(host: host(2), port: 2)
        let c = PeerAddress(host: host(3), port: 3)
        let slow = LinkConditions(latency: .milliseconds(300))
        let lossy = LinkConditions(lossProbability: 0.5)
        try network.setConditions(slow, from: a.host, to: b.host)
        try network.setConditions(lossy, for: c)
        #expect(network.conditions(from: a, to: b) == slow)
        #expect(network.conditions(from: b, to: a) == .perfect, "host-pair overrides are directional")
        #expect(network.conditions(from: a, to: c) == lossy)
        #expect(network.conditions(from: c, to: b) == lossy)
        try network.setConditions(slow, between: a.host, and: c.host)
        #expect(network.conditions(from: c, to: a) == slow)
        try network.setConditions(nil, between: a.host, and: c.host)
        #expect(network.conditions(from: c, to: a) == lossy)
    }

    @Test func endpointsCanShareOneSchedulerWithOtherComponents() throws {
        let scheduler = VirtualScheduler()
        let network = SimulatedNetwork(seed: 1, scheduler: scheduler)
        let a = try network.bind(host: host(1))
        #expect(a.scheduler === scheduler)
    }
}
