import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// The outgoing request queue behind the concurrency limit: it drains as requests finish, answered
/// or timed out (the reference drains only on answers and stalls), and `close()` empties it.
@Suite struct OutgoingQueueTests {
    /// Addresses on the network where nothing is bound: every request to them times out.
    private func deadAddress(_ index: Int) -> PeerAddress {
        PeerAddress(host: IPAddress(10, 9, UInt8(index / 250), UInt8(index % 250 + 1)), port: 49737)
    }

    @Test func withConcurrencyOneManyPingsToDeadAddressesAllTimeOutInOrder() throws {
        let network = SimulatedNetwork(seed: 1)
        let node = try network.makeNode(host: IPAddress(10, 0, 0, 1), seed: 1) { $0.concurrency = 1 }
        let count = 40
        var finished: [Int] = []
        var failures: [DHTError] = []
        for index in 0..<count {
            node.ping(deadAddress(index)) { result in
                finished.append(index)
                if case .failure(let error) = result { failures.append(error) }
            }
        }
        #expect(node.snapshot().queuedRequests == count - 1)
        #expect(node.snapshot().inflight.count == 1)
        // One at a time, each failing after 6 ticks of 250 ms: about 40 × 1.5 s.
        network.scheduler.run(until: { finished.count == count }, limit: .seconds(120))
        #expect(finished == Array(0..<count))
        #expect(failures == Array(repeating: .request(.timedOut), count: count))
        #expect(node.snapshot().socketCounters.timeouts == count)
        #expect(node.snapshot().queuedRequests == 0)
        #expect(network.scheduler.runUntilIdle(maxEvents: 10_000))
    }

    @Test func queuedRequestsBehindATimeoutStillReachLivePeers() throws {
        let network = SimulatedNetwork(seed: 2)
        let node = try network.makeNode(host: IPAddress(10, 0, 0, 1), seed: 1) { $0.concurrency = 1 }
        let peer = try network.makeNode(host: IPAddress(10, 0, 0, 2), seed: 2)
        var outcomes: [Int: Result<PingReply, DHTError>] = [:]
        for index in 0..<10 {
            let address = index.isMultiple(of: 2) ? deadAddress(index) : peer.localAddress
            node.ping(address) { outcomes[index] = $0 }
        }
        network.scheduler.run(until: { outcomes.count == 10 }, limit: .seconds(30))
        for index in 0..<10 {
            let outcome = try #require(outcomes[index], "ping \(index) never completed")
            if index.isMultiple(of: 2) {
                #expect(throws: DHTError.request(.timedOut)) { try outcome.get() }
            } else {
                #expect(try outcome.get().observedAddress == node.localAddress)
            }
        }
    }

    @Test func closeFailsQueuedAndInflightRequestsEndsWalksAndLeavesNoTimers() throws {
        let network = SimulatedNetwork(seed: 3)
        let node = try network.makeNode(host: IPAddress(10, 0, 0, 1), seed: 1) {
            $0.concurrency = 1
            $0.bootstrap = [PeerAddress(host: IPAddress(10, 9, 9, 9), port: 49737)]
        }
        node.start()
        network.scheduler.run(for: .milliseconds(10))
        var pingResults: [Result<PingReply, DHTError>] = []
        for index in 0..<10 {
            node.ping(deadAddress(index)) { pingResults.append($0) }
        }
        var summary: QuerySummary?
        node.query(DHTQuery(command: "_find_node", target: NodeID([UInt8](repeating: 7, count: 32))),
                   onResult: { _ in }, onFinish: { summary = $0 })
        network.scheduler.run(for: .milliseconds(100))
        #expect(node.snapshot().activeQueries == 2)  // the bootstrap walk and the query
        #expect(node.snapshot().queuedRequests > 0)

        node.close()
        #expect(network.scheduler.runUntilIdle(maxEvents: 10_000), "timers left after close()")
        #expect(network.scheduler.pendingCount == 0)
        #expect(pingResults.count == 10)
        #expect(pingResults.allSatisfy {
            if case .failure(let error) = $0 { return error == .closed || error == .request(.closed) }
            return false
        })
        #expect(summary?.error == .closed)
        #expect(node.snapshot().inflight.isEmpty && node.snapshot().queuedRequests == 0)

        // A closed node fails new work at once and schedules nothing that lingers.
        let late = node.pingOutcome(deadAddress(0))
        #expect(network.scheduler.runUntilIdle(maxEvents: 100))
        #expect(throws: DHTError.closed) { try late.value?.get() }
    }
}
