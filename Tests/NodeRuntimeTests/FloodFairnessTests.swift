#if canImport(Glibc)
import Glibc
#endif
import DHTMessages
import DHTRPC
import Foundation
import IPEncoding
import NIOPosix
import NodeRuntime
import Testing
import UDPRequest

/// Issue 12 item 2 over real UDP on 127.0.0.1: one source floods a node with `_ping`s while 20 nodes
/// on other loopback addresses ping it ten times a second each; the per-source limit keeps their
/// pings answered. The suite floods at 20,000 a second (a sender pegging a core beside the other
/// suites would make them, not this, the test); `HYPERDHT_FLOOD_RATE=100000` is the figure,
/// measured on an idle machine for README. Prints the figures README reports.
/// `HYPERDHT_FLOOD_COMPARE=1` also runs the same flood against a node without the limit, for comparison.
@Suite(.serialized, .timeLimit(.minutes(2))) struct FloodFairnessTests {
    struct Figures: CustomStringConvertible {
        var floodSentPerSecond: Double
        var goodSent = 0
        var goodAnswered = 0
        var roundTrips: [Double] = []
        var rateLimitedDropped = 0
        var requestsServed = 0
        var datagramsIn = 0
        /// From the flood's start to the node's counters being read.
        var elapsedSeconds = 0.0

        var successRate: Double { goodSent == 0 ? 0 : Double(goodAnswered) / Double(goodSent) }
        func percentile(_ p: Double) -> Double {
            guard !roundTrips.isEmpty else { return .nan }
            let sorted = roundTrips.sorted()
            return sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
        }
        var description: String {
            String(format: "flood %.0f/s from one source; 20 good nodes: %d/%d answered (%.1f%%), p50 %.2f ms, p99 %.2f ms; node read %d datagrams, served %d requests, dropped %d over the limit",
                   floodSentPerSecond, goodAnswered, goodSent, successRate * 100, percentile(0.5), percentile(0.99),
                   datagramsIn, requestsServed, rateLimitedDropped)
        }
    }

    /// Sends pre-encoded `_ping`s from 127.0.0.2 to `target` at `rate` a second for `seconds`, on a
    /// thread of its own; returns the rate achieved.
    static func flood(_ target: PeerAddress, rate: Int, seconds: Double) -> Double {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return 0 }
        defer { close(fd) }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_addr.s_addr = inet_addr("127.0.0.2")
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = target.port.bigEndian
        remote.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, connected == 0 else { return 0 }
        var message = DhtRpc_Request()
        message.command = "_ping"
        let datagrams = (0..<1024).compactMap { try? DatagramFrame.request(tid: UInt16($0 + 1), message).encode() }
        let start = Date()
        var sent = 0
        while true {
            let elapsed = Date().timeIntervalSince(start)
            if elapsed >= seconds { break }
            let due = Int(Double(rate) * elapsed)
            while sent < due {
                let datagram = datagrams[sent % datagrams.count]
                _ = datagram.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                sent += 1
            }
            usleep(500)
        }
        return Double(sent) / Date().timeIntervalSince(start)
    }

    static let seconds = 5.0

    static func measure(limit: SourceRateLimit?) async throws -> Figures {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let target = try await DHTNodeHandle.start(configuration: DHTNodeConfiguration(requestRateLimit: limit),
                                                   host: .loopbackV4, on: group.next())
        var good: [DHTNodeHandle] = []
        for index in 0..<20 {
            good.append(try await DHTNodeHandle.start(configuration: DHTNodeConfiguration(ephemeral: true),
                                                      host: IPAddress(127, 0, 0, UInt8(10 + index)), on: group.next()))
        }
        let seconds = Self.seconds
        let address = target.localAddress
        let rate = Int(ProcessInfo.processInfo.environment["HYPERDHT_FLOOD_RATE"] ?? "") ?? 20_000
        let floodStarted = ContinuousClock.now
        let flooding = Task.detached { Self.flood(address, rate: rate, seconds: seconds) }
        // The good nodes start once the flood has spent its burst (the first 1,000 datagrams are served in
        // full, and on a loaded machine the socket's buffer overflows meanwhile): this is the steady state.
        try await Task.sleep(for: .seconds(1))
        let results = await withTaskGroup(of: [Double?].self) { tasks in
            for node in good {
                tasks.addTask {
                    var rtts: [Double?] = []
                    for _ in 0..<30 {
                        let started = ContinuousClock.now
                        let reply = try? await node.ping(address)
                        rtts.append(reply.map { _ in (ContinuousClock.now - started).milliseconds })
                        try? await Task.sleep(for: .milliseconds(100))
                    }
                    return rtts
                }
            }
            var all: [Double?] = []
            for await rtts in tasks { all += rtts }
            return all
        }
        var figures = Figures(floodSentPerSecond: await flooding.value)
        figures.goodSent = results.count
        figures.roundTrips = results.compactMap { $0 }
        figures.goodAnswered = figures.roundTrips.count
        let counters = try await target.snapshot().socketCounters
        figures.elapsedSeconds = (ContinuousClock.now - floodStarted).milliseconds / 1000
        figures.rateLimitedDropped = counters.rateLimitedDropped
        figures.requestsServed = counters.requestsIn
        figures.datagramsIn = counters.datagramsIn
        for node in good { await node.close() }
        await target.close()
        try await group.shutdownGracefully()
        return figures
    }

    @Test func oneFloodingSourceDoesNotStarveTwentyOthers() async throws {
        let figures = try await Self.measure(limit: .standard)
        print("FloodFairness (limit 500/s per source): \(figures)")
        #expect(figures.floodSentPerSecond > 15_000, "the flood itself was too slow to test anything: \(figures)")
        // Whatever the kernel let through (a loaded machine drops much of the flood at the socket's
        // buffer), the node served at most the flooder's budget – a burst of 1,000 and 500/s – besides
        // the good nodes' 600 pings.
        let budget = 1_000 + 500 * figures.elapsedSeconds + Double(figures.goodSent)
        #expect(Double(figures.requestsServed) <= budget, "\(figures)")
        #expect(figures.datagramsIn < Int(budget) || figures.rateLimitedDropped > 0, "\(figures)")
        #expect(figures.successRate >= 0.85, "\(figures)")
        if ProcessInfo.processInfo.environment["HYPERDHT_FLOOD_COMPARE"] == "1" {
            print("FloodFairness (no limit): \(try await Self.measure(limit: nil))")
        }
    }
}
