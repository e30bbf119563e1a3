// KBucket routing-table benchmarks: add, closest, snapshot, and memory per contact.
//
// Compare with the nodejs reference (k-bucket 3.3.1) doing the same work: 5,000 random 32-byte ids into a k=20
// table, then `closest(target, 20)` on the result. With k = 20 only the buckets along the local id's path can
// split, so 5,000 random adds leave about 200 contacts in the table and answer the rest with `ping`.
import Benchmark
import KBucket

/// What the DHT layer will roughly keep per contact: an IPv4 address, a port and a last-seen tick.
struct BenchPayload: Sendable {
    var host: UInt32
    var port: UInt16
    var tick: UInt32
}

typealias Contact = KBucketContact<BenchPayload>

/// SplitMix64, so every run uses the same ids.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func id() -> NodeID {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 {
            withUnsafeBytes(of: next().bigEndian) { bytes.append(contentsOf: $0) }
        }
        return NodeID(bytes)
    }
}

func randomContacts(_ count: Int, using rng: inout SplitMix64) -> [Contact] {
    (0..<count).map { index in
        Contact(id: rng.id(), payload: BenchPayload(host: UInt32(truncatingIfNeeded: index), port: 49737, tick: 0))
    }
}

func filledTable(local: NodeID, k: Int, contacts: [Contact]) -> KBucketTree<BenchPayload> {
    var table = KBucketTree<BenchPayload>(configuration: .init(localNodeID: local, numberOfNodesPerKBucket: k))
    for contact in contacts {
        table.add(contact)
    }
    return table
}

/// Heap bytes the table's storage occupies per contact, from the real capacities of its bucket arrays:
/// per non-empty bucket a 32-byte array header plus `capacity` contact slots, plus the array of buckets.
func estimatedBytesPerContact(_ table: KBucketTree<BenchPayload>) -> Int {
    let snapshot = table.snapshot()
    var bytes = 32 + 8 * snapshot.buckets.count
    for bucket in snapshot.buckets where bucket.contacts.capacity > 0 {
        bytes += 32 + bucket.contacts.capacity * MemoryLayout<Contact>.stride
    }
    return bytes / max(1, table.count)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        warmupIterations: 3,
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )

    var rng = SplitMix64(state: 0x6B62_7563_6B65_7421)
    let local = rng.id()
    let contacts = randomContacts(5000, using: &rng)
    let targets = (0..<1024).map { _ in rng.id() }
    let table = filledTable(local: local, k: 20, contacts: contacts)

    Benchmark("add 5000 random contacts (k=20)") { benchmark in
        for _ in benchmark.scaledIterations {
            var table = KBucketTree<BenchPayload>(configuration: .init(localNodeID: local))
            for contact in contacts {
                blackHole(table.add(contact))
            }
            blackHole(table)
        }
    }

    Benchmark(
        "closest(target, 20) after 5000 random adds (k=20)",
        configuration: .init(scalingFactor: .kilo)
    ) { benchmark in
        var next = 0
        for _ in benchmark.scaledIterations {
            blackHole(table.closest(to: targets[next & 1023], count: 20))
            next += 1
        }
    }

    // A table that really holds 5,000 contacts (k = 1000), as a monitor would draw it.
    var big = KBucketTree<BenchPayload>(configuration: .init(localNodeID: local, numberOfNodesPerKBucket: 1000))
    while big.count < 5000 {
        big.add(Contact(id: rng.id(), payload: BenchPayload(host: 1, port: 2, tick: 3)))
    }
    let bigTable = big

    Benchmark("snapshot of 5000 contacts (k=1000)", configuration: .init(scalingFactor: .kilo)) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(bigTable.snapshot())
        }
    }

    Benchmark(
        "closest(target, 20) on 5000 contacts (k=1000)",
        configuration: .init(scalingFactor: .kilo)
    ) { benchmark in
        var next = 0
        for _ in benchmark.scaledIterations {
            blackHole(bigTable.closest(to: targets[next & 1023], count: 20))
            next += 1
        }
    }

    // Memory per contact: the estimate from the bucket capacities (custom metrics), and the heap bytes a freshly
    // built table still holds when the measurement stops (memoryLeakedBytes; divide by the contact counts).
    Benchmark(
        "memory per contact",
        configuration: .init(
            metrics: [
                .memoryLeakedBytes, .custom("bytes/contact k=20 (estimate)", useScalingFactor: false),
                .custom("bytes/contact k=1000 (estimate)", useScalingFactor: false),
                .custom("contacts k=20", useScalingFactor: false),
            ],
            maxIterations: 20
        )
    ) { benchmark in
        benchmark.measurement(.custom("bytes/contact k=20 (estimate)", useScalingFactor: false),
                              estimatedBytesPerContact(table))
        benchmark.measurement(.custom("bytes/contact k=1000 (estimate)", useScalingFactor: false),
                              estimatedBytesPerContact(bigTable))
        benchmark.measurement(.custom("contacts k=20", useScalingFactor: false), table.count)
        benchmark.startMeasurement()
        let built = filledTable(local: local, k: 20, contacts: contacts)
        benchmark.stopMeasurement()
        blackHole(built)
    }
}
