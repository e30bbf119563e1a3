// The churn scenario of issue 14 on the simulated network: N nodes join (5 ms ± 3 ms links), then
// lookups (`_find_node` walks toward random targets, one at a time, from random live nodes) run
// before any node leaves, right after 30% of the nodes are closed at once, and 45 s later. For each
// phase: walk time (virtual) median and p99, requests the asker sent per walk, and success – the walk
// returned exactly the 20 closest live nodes, and (the lookup's question) the closest live node.
//
//   swift build -c release --product ChurnWalks && .build/release/ChurnWalks [nodes] [lookups] [seed]
import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import UDPRequest

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let size = arguments.first ?? 1000
let lookups = arguments.count > 1 ? arguments[1] : 50
let seed = UInt64(arguments.count > 2 ? arguments[2] : 14)

let network = try SimulatedNetwork(seed: seed, conditions: LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(3)))
let scheduler = network.scheduler
var nodes: [DHTNode] = []
for index in 0..<size {
    let host = IPAddress.v4(0x0A00_0000 | UInt32(index + 1))
    var configuration = DHTNodeConfiguration()
    if index > 0 { configuration.bootstrap = [nodes[0].localAddress] }
    nodes.append(try DHTNode(configuration: configuration, transport: try network.bind(host: host, port: 49737),
                             scheduler: scheduler, random: .seeded(seed &* 1_000_003 &+ UInt64(index))))
}
let clock = ContinuousClock()
let joinStart = clock.now
nodes[0].start()
for node in nodes.dropFirst() {
    node.start()
    _ = scheduler.run(for: .milliseconds(10))
}
_ = scheduler.run(for: .seconds(5))
print("\(size) nodes joined in \(clock.now - joinStart) (virtual \(scheduler.now)); ready: \(nodes.filter(\.isReady).count)")

var generator = SeededRandomGenerator(seed: seed ^ 0xC4_0123)

@MainActor func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

@MainActor func phase(_ name: String) {
    let live = nodes.filter { !$0.isClosed }
    var durations: [Double] = []
    var requests: [Double] = []
    var exact = 0
    var foundClosest = 0
    var failed = 0
    let wall = clock.now
    for _ in 0..<lookups {
        let asker = live[Int.random(in: 0..<live.count, using: &generator)]
        let target = NodeID((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        let sentBefore = asker.snapshot().socketCounters.requestsOut
        var summary: QuerySummary?
        asker.query(DHTQuery(command: "_find_node", target: target), onResult: { _ in }) { summary = $0 }
        let deadline = scheduler.now + .seconds(60)
        while summary == nil && scheduler.now < deadline { _ = scheduler.run(for: .milliseconds(10)) }
        guard let summary, summary.error == nil else {
            failed += 1
            continue
        }
        durations.append(summary.duration.milliseconds)
        requests.append(Double(asker.snapshot().socketCounters.requestsOut - sentBefore))
        let expected = live.map(\.id).filter { $0 != asker.id }
            .sorted { $0.distance(to: target) < $1.distance(to: target) }.prefix(20)
        let found = summary.closest.compactMap(\.id)
        if found == Array(expected) { exact += 1 }
        if found.first == expected.first { foundClosest += 1 }
    }
    let numbers = String(format: "%.0f | %.0f | %.1f", percentile(durations, 0.5), percentile(durations, 0.99),
                         requests.reduce(0, +) / Double(max(1, requests.count)))
    let line = "| \(name) | \(live.count) | \(numbers) | \(foundClosest)/\(lookups) | \(exact)/\(lookups) |"
    print(line + "   (\(failed) failed, wall \(clock.now - wall))")
}

print("| phase | live nodes | walk median (ms) | walk p99 (ms) | requests/walk | closest live found | all 20 closest live |")
print("|---|---|---|---|---|---|---|")
phase("before")
var doomed = Array(nodes.indices.dropFirst())
doomed.shuffle(using: &generator)
for index in doomed.prefix(size * 3 / 10) { nodes[index].close() }
phase("right after 30% left")
_ = scheduler.run(for: .seconds(45))
phase("45 s later")
