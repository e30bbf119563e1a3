// The answer path without sockets: one `DHTNode` handed request datagrams straight from a transport that only
// counts what the node sends back. What remains is the protocol core's own cost per answer – decode, routing-table
// upkeep, `closest`, encode – which the loopback benchmarks mix with the kernel's, NIO's and the load client's, and
// which, unlike wall time over loopback on a shared 2-core machine, repeats to within a few percent.
import Benchmark
import BenchmarkSupport
import DHTMessages
import DHTRPC
import IPEncoding
import KBucket
import NetworkSimulation
import UDPRequest

/// A transport that delivers nothing by itself: the benchmark calls its receiver, and sends are only counted.
final class CountingTransport: DatagramTransport {
    let localAddress = PeerAddress(host: IPAddress(127, 0, 0, 1), port: 49_737)
    private(set) var receiver: ((_ datagram: [UInt8], _ source: PeerAddress) -> Void)?
    private(set) var datagramsSent = 0
    private(set) var bytesSent = 0

    func send(_ datagram: [UInt8], to destination: PeerAddress) {
        datagramsSent += 1
        bytesSent += datagram.count
    }

    func setReceiver(_ receiver: @escaping (_ datagram: [UInt8], _ source: PeerAddress) -> Void) {
        self.receiver = receiver
    }

    func close() { receiver = nil }
}

/// A node on a ``CountingTransport`` whose table holds up to 200 contacts (as `scripts/bench udp` fills it: `_ping`s
/// from 200 random ids), and the requests to feed it, all from one more sender. No per-source rate limit (`scripts
/// bench udp` switches it off too: all its load comes from one address).
final class AnswerPathFixture {
    var node: DHTNode?
    var transport: CountingTransport?
    var scheduler: VirtualScheduler?
    var requests: [[UInt8]] = []
    let client = PeerAddress(host: IPAddress(127, 0, 0, 1), port: 40_000)
    var next = 0

    func setUp(makeRequest: (NodeID, NodeID, inout SeededRandomGenerator) -> [UInt8]) throws {
        var random = SeededRandomGenerator(seed: 0xA45E_9A7B)
        let transport = CountingTransport()
        let scheduler = VirtualScheduler()
        let node = try DHTNode(configuration: DHTNodeConfiguration(id: Datagrams.randomID(&random), ephemeral: false, requestRateLimit: nil),
                               transport: transport, scheduler: scheduler)
        node.start()
        _ = scheduler.run(for: .milliseconds(1))  // ready: bootstraps to nobody
        precondition(node.isReady, "the node did not become ready")
        for index in 0..<200 {
            let sender = PeerAddress(host: IPAddress(127, 0, 1, UInt8(truncatingIfNeeded: index)), port: 30_000 + UInt16(index))
            transport.receiver?(Datagrams.ping(sender: Datagrams.randomID(&random), tid: UInt16(index)), sender)
        }
        let sender = Datagrams.randomID(&random)
        requests = (0..<256).map { _ in makeRequest(sender, Datagrams.randomID(&random), &random) }
        precondition(node.snapshot().routingTable.count >= 20, "the table did not fill")
        self.node = node
        self.transport = transport
        self.scheduler = scheduler
    }

    /// Hands the node `count` requests; traps if any went unanswered (the measurement would mean nothing).
    func answer(_ count: Int) {
        guard let transport, let receiver = transport.receiver else { fatalError("fixture not set up") }
        let before = transport.datagramsSent
        for _ in 0..<count {
            var datagram = requests[next & 255]
            // A fresh transaction id each time, as a client's would be.
            datagram[1] = UInt8(truncatingIfNeeded: next)
            datagram[0] = 0x80 | UInt8(truncatingIfNeeded: next >> 8) & 0x7F
            next &+= 1
            receiver(datagram, client)
        }
        precondition(transport.datagramsSent - before == count, "a request went unanswered")
    }
}

/// One benchmark: `answers` requests per iteration (scaling factor kilo: 1,000), time and mallocs per iteration.
func answerPathBenchmark(_ name: String, makeRequest: @escaping (NodeID, NodeID, inout SeededRandomGenerator) -> [UInt8]) {
    let fixture = AnswerPathFixture()
    Benchmark(
        name,
        configuration: .init(
            // Per iteration: 1,000 answers, so wall clock per iteration in µs is ns per answer, and mallocs per
            // iteration / 1,000 are mallocs per answer.
            metrics: [.wallClock, .mallocCountTotal, .throughput],
            units: [.mallocCountTotal: .count],
            warmupIterations: 5,
            maxDuration: .seconds(4),
            maxIterations: 2_000,
            setup: { try fixture.setUp(makeRequest: makeRequest) },
            teardown: {
                fixture.node?.close()
                fixture.node = nil
            }
        )
    ) { benchmark in
        fixture.answer(1_000)
    }
}
