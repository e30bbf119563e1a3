import IPEncoding
import NetworkSimulation
import Testing
import UDPRequest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct ScaleTests {
    /// CPU time consumed by the calling thread. The test body below is synchronous, so it runs on
    /// one thread throughout; measuring its CPU time rather than wall time keeps the bound about our
    /// own cost, not about other tests running in parallel on a small machine.
    func threadCPUTime() -> Duration {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return .seconds(spec.tv_sec) + .nanoseconds(spec.tv_nsec)
    }

    @Test(.timeLimit(.minutes(5)))
    func tenThousandEndpointsPassTokensAroundARingAndAnswerRandomPeers() throws {
        let count = 10_000
        let started = threadCPUTime()
        let network = try SimulatedNetwork(
            seed: 2024, conditions: LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(10)))
        var endpoints: [SimulatedTransport] = []
        endpoints.reserveCapacity(count)
        for i in 0..<count { endpoints.append(try network.bind(host: host(i), port: 49737)) }
        var received = [Int](repeating: 0, count: count)
        var replies = 0
        for (i, endpoint) in endpoints.enumerated() {
            endpoint.setReceiver { bytes, source in
                received[i] += 1
                if bytes.first == 0 {
                    endpoint.send([1] + bytes.dropFirst(), to: source)  // answer
                } else {
                    replies += 1
                }
            }
        }
        var random = SeededRandomGenerator(seed: 99)
        for round in 0..<3 {
            for (i, endpoint) in endpoints.enumerated() {
                endpoint.send([0, UInt8(round)], to: endpoints[(i + 1) % count].localAddress)
                let peer = Int(random.next() % UInt64(count))
                endpoint.send([0, UInt8(round)], to: endpoints[peer].localAddress)
            }
            network.scheduler.run(for: .milliseconds(100))
        }
        #expect(network.scheduler.runUntilIdle())
        let elapsed = threadCPUTime() - started
        #expect(network.endpointCount == count)
        #expect(network.statistics.datagramsDelivered == count * 3 * 2 * 2)
        #expect(replies == count * 3 * 2)
        #expect(received.allSatisfy { $0 >= 3 })
        // A guard against a pathological cost (a quadratic scan per delivery takes minutes), not a
        // speed figure: the simulator's throughput is measured by the benchmarks on release builds.
        // A debug build does this in about 2 s of CPU on the development machine.
        #expect(elapsed < .seconds(30), "10,000 endpoints and 120,000 deliveries took \(elapsed) of CPU")
    }
}
