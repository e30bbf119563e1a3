import IPEncoding
import NetworkSimulation
import Testing
import UDPRequest

@Suite struct LinkConditionsTests {
    /// Sends `count` numbered datagrams from one endpoint to another and returns the trace.
    func exchange(seed: UInt64, conditions: LinkConditions, count: Int) throws -> (SimulatedNetwork, [SimulationTraceEvent]) {
        let network = try SimulatedNetwork(seed: seed, conditions: conditions)
        var events: [SimulationTraceEvent] = []
        network.trace = { events.append($0) }
        let a = try network.bind(host: host(1))
        let b = try network.bind(host: host(2))
        b.setReceiver { _, _ in }
        for i in 0..<count {
            a.send([UInt8(truncatingIfNeeded: i), UInt8(truncatingIfNeeded: i >> 8), UInt8(truncatingIfNeeded: i >> 16)], to: b.localAddress)
            network.scheduler.run(for: .microseconds(100))
        }
        network.scheduler.runUntilIdle()
        return (network, events)
    }

    @Test func delaysStayWithinLatencyPlusJitterAndVary() throws {
        let conditions = LinkConditions(latency: .milliseconds(10), jitter: .milliseconds(5))
        let (_, events) = try exchange(seed: 7, conditions: conditions, count: 2000)
        let delivered = events.filter { $0.outcome == .delivered }
        #expect(delivered.count == 2000)
        var delays: Set<Int64> = []
        for (i, event) in delivered.sorted(by: { index($0.payload) < index($1.payload) }).enumerated() {
            let sentAt = Int64(i) * 100_000
            let delay = event.time.nanoseconds - sentAt
            #expect(delay >= 10_000_000 && delay <= 15_000_000)
            delays.insert(delay)
        }
        #expect(delays.count > 1000, "jitter should spread delays")
    }

    @Test func lossRateIsCloseToTheConfiguredProbability() throws {
        let (network, _) = try exchange(seed: 11, conditions: LinkConditions(lossProbability: 0.3), count: 20_000)
        let stats = network.statistics
        let lossRate = Double(stats.datagramsLost) / Double(stats.datagramsSent)
        #expect(abs(lossRate - 0.3) < 0.02, "loss rate \(lossRate)")
        #expect(stats.datagramsLost + stats.datagramsDelivered == 20_000)
    }

    @Test func duplicationDeliversExtraCopiesAtTheConfiguredRate() throws {
        let (network, events) = try exchange(seed: 3, conditions: LinkConditions(duplicationProbability: 0.1), count: 10_000)
        let stats = network.statistics
        let rate = Double(stats.datagramsDuplicated) / 10_000
        #expect(abs(rate - 0.1) < 0.015, "duplication rate \(rate)")
        #expect(stats.datagramsDelivered == 10_000 + stats.datagramsDuplicated)
        let deliveredPayloads = events.filter { $0.outcome == .delivered }.map(\.payload)
        #expect(Set(deliveredPayloads).count == 10_000)
    }

    @Test func reorderingLetsLaterDatagramsOvertake() throws {
        let conditions = LinkConditions(latency: .milliseconds(1), reorderProbability: 0.2, reorderDelay: .milliseconds(5))
        let (_, events) = try exchange(seed: 5, conditions: conditions, count: 1000)
        let order = events.filter { $0.outcome == .delivered }.map { index($0.payload) }
        #expect(order.count == 1000)
        let inversions = zip(order, order.dropFirst()).filter { $0 > $1 }.count
        #expect(inversions > 100)
        let (_, plain) = try exchange(seed: 5, conditions: LinkConditions(latency: .milliseconds(1)), count: 1000)
        #expect(plain.map { index($0.payload) } == Array(0..<1000), "a fixed-latency link keeps order")
    }

    @Test func sameSeedReplaysTheSameTraceAndAnotherSeedDiffers() throws {
        let conditions = LinkConditions(
            latency: .milliseconds(10), jitter: .milliseconds(20), lossProbability: 0.2,
            duplicationProbability: 0.1, reorderProbability: 0.1, reorderDelay: .milliseconds(30))
        let (_, first) = try exchange(seed: 42, conditions: conditions, count: 2000)
        let (_, second) = try exchange(seed: 42, conditions: conditions, count: 2000)
        let (_, other) = try exchange(seed: 43, conditions: conditions, count: 2000)
        #expect(first.count > 1000)
        #expect(first == second)
        #expect(first != other)
    }

    @Test func perEndpointOverrideMakesOneNodeLossy() throws {
        let network = SimulatedNetwork(seed: 9)
        let good = try network.bind(host: host(1))
        let bad = try network.bind(host: host(2))
        let sink = try network.bind(host: host(3))
        let inbox = Inbox(sink)
        try network.setConditions(LinkConditions(lossProbability: 1), for: bad.localAddress)
        for _ in 0..<10 {
            good.send([1], to: sink.localAddress)
            bad.send([2], to: sink.localAddress)
        }
        network.scheduler.runUntilIdle()
        #expect(inbox.payloads == Array(repeating: [1], count: 10))
    }

    private func index(_ payload: [UInt8]) -> Int {
        Int(payload[0]) | Int(payload[1]) << 8 | Int(payload[2]) << 16
    }
}
