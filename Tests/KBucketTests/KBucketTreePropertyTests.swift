import KBucket
import Testing

/// A deliberately naive model of k-bucket 3.3.1: explicit tree nodes, ids as plain byte arrays, recursive add,
/// and the reference's stack-based `closest` walk (with its shared bit counter). `KBucketTree` stores the tree
/// as a spine instead; the property tests check that both make identical decisions.
private final class ReferenceModel {
    final class Node {
        var contacts: [TaggedContact]? = []
        var left: Node?
        var right: Node?
        var dontSplit = false
    }

    let local: [UInt8]
    let k: Int
    let pingCount: Int
    let root = Node()

    init(local: [UInt8], k: Int, pingCount: Int) {
        self.local = local
        self.k = k
        self.pingCount = pingCount
    }

    /// The reference's rule: a missing byte (id too short) leads left.
    static func bit(_ id: [UInt8], _ bitIndex: Int) -> Bool {
        let byteIndex = bitIndex / 8
        guard byteIndex < id.count else { return false }
        return id[byteIndex] & (1 << (7 - UInt8(bitIndex % 8))) != 0
    }

    func determine(_ node: Node, _ id: [UInt8], _ bitIndex: Int) -> Node {
        Self.bit(id, bitIndex) ? node.right! : node.left!
    }

    func leaf(for id: [UInt8]) -> (Node, Int) {
        var node = root
        var bitIndex = 0
        while node.contacts == nil {
            node = determine(node, id, bitIndex)
            bitIndex += 1
        }
        return (node, bitIndex)
    }

    func add(_ contact: TaggedContact) -> KBucketFixture.RecordedEvent? {
        let bytes = contact.id.bytes
        let (node, bitIndex) = leaf(for: bytes)
        if let index = node.contacts!.firstIndex(where: { $0.id.bytes == bytes }) {
            let incumbent = node.contacts![index]
            if incumbent.vectorClock > contact.vectorClock { return nil }
            node.contacts!.remove(at: index)
            node.contacts!.append(contact)
            return .init(event: "updated", id: contact.id.hexString)
        }
        if node.contacts!.count < k {
            node.contacts!.append(contact)
            return .init(event: "added", id: contact.id.hexString)
        }
        // Same guard as KBucketTree (the reference would recurse forever when no bit can separate the ids).
        let longest = ([local.count, bytes.count] + node.contacts!.map(\.id.count)).max()!
        if node.dontSplit || bitIndex >= 8 * longest {
            return .init(event: "ping", oldContacts: node.contacts!.prefix(pingCount).map(\.id.hexString),
                         newContact: contact.id.hexString)
        }
        node.left = Node()
        node.right = Node()
        for stored in node.contacts! {
            determine(node, stored.id.bytes, bitIndex).contacts!.append(stored)
        }
        node.contacts = nil
        let localSide = determine(node, local, bitIndex)
        (localSide === node.left ? node.right! : node.left!).dontSplit = true
        return add(contact)
    }

    func remove(_ id: NodeID) -> KBucketFixture.RecordedEvent? {
        let (node, _) = leaf(for: id.bytes)
        guard let index = node.contacts!.firstIndex(where: { $0.id.bytes == id.bytes }) else { return nil }
        node.contacts!.remove(at: index)
        return .init(event: "removed", id: id.hexString)
    }

    func toArray() -> [NodeID] {
        var result: [NodeID] = []
        var stack = [root]
        while let node = stack.popLast() {
            if let contacts = node.contacts {
                result += contacts.map(\.id)
            } else {
                stack.append(node.right!)
                stack.append(node.left!)
            }
        }
        return result
    }

    /// The reference's walk, then a sort by exact XOR computed here from bytes (padded the reference's way).
    func closest(_ target: NodeID, _ n: Int) -> [NodeID] {
        let targetBytes = target.bytes
        var collected: [TaggedContact] = []
        var stack = [root]
        var bitIndex = 0
        while collected.count < n, let node = stack.popLast() {
            if let contacts = node.contacts {
                collected += contacts
            } else {
                let toward = determine(node, targetBytes, bitIndex)
                bitIndex += 1
                stack.append(toward === node.left ? node.right! : node.left!)
                stack.append(toward)
            }
        }
        let keyed = collected.enumerated().map { (Self.distance($0.element.id.bytes, targetBytes), $0.offset, $0.element.id) }
        let sorted = keyed.sorted { Self.less($0.0, $1.0) || (!Self.less($1.0, $0.0) && $0.1 < $1.1) }
        return sorted.prefix(n).map(\.2)
    }

    static func distance(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        (0..<max(a.count, b.count)).map { $0 < min(a.count, b.count) ? a[$0] ^ b[$0] : 0xFF }
    }

    static func less(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        let length = max(a.count, b.count)
        let x = [UInt8](repeating: 0, count: length - a.count) + a
        let y = [UInt8](repeating: 0, count: length - b.count) + b
        return x.lexicographicallyPrecedes(y)
    }
}

/// Checks every structural invariant of the table; `expected` is the set of ids that must be stored.
private func checkInvariants(_ table: TaggedTree, expected: Set<NodeID>, k: Int, step: Int) {
    let snapshot = table.snapshot()
    let all = table.toArray()
    #expect(snapshot.buckets.count == table.depth + 1, "step \(step)")
    #expect(all.count == table.count && snapshot.count == table.count, "step \(step): count")
    #expect(table.count <= k * (table.depth + 1), "step \(step): more contacts than the tree can hold")
    #expect(Set(all.map(\.id)).count == all.count, "step \(step): duplicate ids")
    #expect(Set(all.map(\.id)) == expected, "step \(step): a contact was lost or invented")
    #expect(snapshot.buckets.flatMap(\.contacts).map(\.id) == all.map(\.id), "step \(step): snapshot order")
    #expect(Array(table.contacts).map(\.id) == all.map(\.id), "step \(step): contacts order")
    let splittable = snapshot.buckets.filter(\.canSplit)
    #expect(splittable.count == 1 && splittable.first?.containsLocalID == true, "step \(step): splittable")
    #expect(splittable.first?.prefix.matches(table.localNodeID) == true, "step \(step): local bucket prefix")
    let prefixes = snapshot.buckets.map(\.prefix.description)
    #expect(prefixes == prefixes.sorted(), "step \(step): bucket order")
    for bucket in snapshot.buckets {
        #expect(bucket.count <= k, "step \(step): bucket over capacity")
        #expect(bucket.contacts.allSatisfy { bucket.prefix.matches($0.id) }, "step \(step): contact in wrong bucket")
    }
}

private struct Scenario: Sendable, CustomTestStringConvertible {
    let seed: UInt64
    let k: Int
    let pingCount: Int
    /// Id lengths to draw from; short ids force deep trees and, mixed, exercise the zero-padding rules.
    let lengths: [Int]
    let steps: Int

    var testDescription: String { "seed \(seed), k \(k), ping \(pingCount), lengths \(lengths)" }
}

private let scenarios: [Scenario] = [
    Scenario(seed: 1, k: 20, pingCount: 3, lengths: [32], steps: 400),
    Scenario(seed: 2, k: 4, pingCount: 3, lengths: [32], steps: 400),
    Scenario(seed: 3, k: 1, pingCount: 1, lengths: [32], steps: 300),
    Scenario(seed: 4, k: 3, pingCount: 5, lengths: [2], steps: 400),
    Scenario(seed: 5, k: 2, pingCount: 2, lengths: [1, 2, 3], steps: 400),
    Scenario(seed: 6, k: 8, pingCount: 3, lengths: [20, 32, 40], steps: 400),
]

@Suite struct KBucketTreePropertyTests {
    @Test(arguments: scenarios)
    fileprivate func randomOperationsMatchTheNaiveReferenceModelAndKeepInvariants(_ scenario: Scenario) {
        var rng = SplitMix64(seed: scenario.seed)
        func randomID() -> NodeID { rng.id(scenario.lengths.randomElement(using: &rng)!) }
        let local = randomID()
        var table = TaggedTree(configuration: .init(
            localNodeID: local, numberOfNodesPerKBucket: scenario.k, numberOfNodesToPing: scenario.pingCount))
        let model = ReferenceModel(local: local.bytes, k: scenario.k, pingCount: scenario.pingCount)
        var stored = Set<NodeID>()
        var seen: [NodeID] = []
        for step in 0..<scenario.steps {
            let roll = Int.random(in: 0..<10, using: &rng)
            let ourEvent: KBucketEvent<Int>?
            let modelEvent: KBucketFixture.RecordedEvent?
            if roll < 2, !seen.isEmpty {
                let id = seen.randomElement(using: &rng)!
                ourEvent = table.remove(id)
                modelEvent = model.remove(id)
            } else {
                let id = roll < 4 && !seen.isEmpty ? seen.randomElement(using: &rng)! : randomID()
                let entry = contact(id, tag: step, clock: Int.random(in: 0..<3, using: &rng))
                ourEvent = table.add(entry)
                modelEvent = model.add(entry)
                seen.append(id)
            }
            #expect(ourEvent.map(KBucketFixture.RecordedEvent.init) == modelEvent, "step \(step)")
            switch ourEvent {
            case .added(let added): stored.insert(added.id)
            case .removed(let removed): stored.remove(removed.id)
            default: break
            }
            checkInvariants(table, expected: stored, k: scenario.k, step: step)
            if step % 20 == 0 || step == scenario.steps - 1 {
                #expect(ids(table.toArray()) == model.toArray(), "step \(step): toArray")
                for n in [1, 3, scenario.k, 50, Int.max] {
                    let target = Bool.random(using: &rng) ? randomID() : (seen.randomElement(using: &rng) ?? local)
                    #expect(ids(table.closest(to: target, count: n)) == model.closest(target, n), "step \(step), n \(n)")
                }
            }
        }
    }

    /// With equal-length ids the bucket walk visits buckets in XOR order, so collecting whole buckets and sorting
    /// them gives exactly the n nearest contacts of the whole table.
    @Test(arguments: [(UInt64(11), 20), (12, 4), (13, 1), (14, 7)])
    func closestEqualsABruteForceXORSortOfTheWholeTable(seed: UInt64, k: Int) {
        var rng = SplitMix64(seed: seed)
        var table = TaggedTree(configuration: .init(localNodeID: rng.id(), numberOfNodesPerKBucket: k))
        for tag in 0..<1500 { table.add(contact(rng.id(), tag: tag)) }
        for round in 0..<25 {
            let target = round % 3 == 0 ? table.localNodeID : rng.id()
            for n in [1, 2, k, 20, 33, table.count, table.count + 5] {
                #expect(ids(table.closest(to: target, count: n)) == bruteForceClosest(table, to: target, count: n))
            }
        }
    }

    /// A few contacts out of one large bucket take the partial-selection path; it must agree with a full sort.
    @Test func closestOfAFewOutOfALargeBucketEqualsABruteForceSort() {
        var rng = SplitMix64(seed: 21)
        var table = TaggedTree(configuration: .init(localNodeID: rng.id(), numberOfNodesPerKBucket: 500))
        for tag in 0..<400 { table.add(contact(rng.id(), tag: tag)) }
        #expect(table.depth == 0)
        for _ in 0..<10 {
            let target = rng.id()
            for n in [1, 5, 20, 99, 101, 400] {
                #expect(ids(table.closest(to: target, count: n)) == bruteForceClosest(table, to: target, count: n))
            }
        }
    }

    /// `closest(to:count:where:)` takes the `count` nearest of the accepted contacts – what filtering the whole
    /// table's XOR order gives – on every path (small and large buckets, mixed-length ids, a custom metric).
    @Test(arguments: [(UInt64(31), 20), (32, 4), (33, 500)])
    func closestWhereEqualsABruteForceSortOfTheAcceptedContacts(seed: UInt64, k: Int) {
        var rng = SplitMix64(seed: seed)
        var table = TaggedTree(configuration: .init(localNodeID: rng.id(), numberOfNodesPerKBucket: k))
        for tag in 0..<600 { table.add(contact(rng.id(), tag: tag)) }
        let accepted: (TaggedContact) -> Bool = { $0.payload % 3 != 0 }
        let acceptedIDs = Set(table.toArray().filter(accepted).map(\.id))
        for round in 0..<20 {
            let target = round % 4 == 0 ? table.localNodeID : rng.id()
            let order = bruteForceClosest(table, to: target, count: .max).filter(acceptedIDs.contains)
            for n in [1, 3, k, 20, 41, acceptedIDs.count, table.count + 5] {
                let answer = table.closest(to: target, count: n, where: accepted)
                #expect(ids(answer) == Array(order.prefix(n)), "round \(round), n \(n)")
                #expect(answer.allSatisfy(accepted))
            }
            #expect(table.closest(to: target, count: 5) { _ in false }.isEmpty)
            #expect(ids(table.closest(to: target, count: 25) { _ in true }) == ids(table.closest(to: target, count: 25)))
        }
    }

    /// `forEachClosest(whereStored:)` hands on, in place, exactly what `closest(to:count:where:)` returns, in the same
    /// order, on the fast path and the general one (mixed lengths).
    @Test(arguments: [false, true])
    func forEachClosestVisitsWhatClosestReturns(mixedLengths: Bool) {
        var rng = SplitMix64(seed: mixedLengths ? 41 : 40)
        var table = TaggedTree(configuration: .init(localNodeID: rng.id(), numberOfNodesPerKBucket: 20))
        for tag in 0..<400 { table.add(contact(rng.id(mixedLengths && tag % 7 == 0 ? 20 : 32), tag: tag)) }
        for round in 0..<20 {
            let target = round % 4 == 0 ? table.localNodeID : rng.id()
            for n in [1, 5, 20, 41, table.count + 3] {
                var visited: [TaggedContact] = []
                table.forEachClosest(to: target, count: n, whereStored: { $0.pointee.payload % 2 == 0 }) {
                    visited.append($0.pointee)
                }
                let expected = table.closest(to: target, count: n) { $0.payload % 2 == 0 }
                #expect(ids(visited) == ids(expected) && visited.map(\.payload) == expected.map(\.payload))
            }
        }
    }

    /// Contacts whose distances to the target agree on the first 64 bits are ordered by the rest, exactly: the sort
    /// moves only each distance's first word and settles such ties on the full keys.
    @Test func distancesTiedInTheirFirstWordAreOrderedByTheRest() {
        var rng = SplitMix64(seed: 42)
        let prefix = rng.bytes(8)
        var table = TaggedTree(configuration: .init(localNodeID: rng.id(), numberOfNodesPerKBucket: 40))
        for tag in 0..<30 { table.add(contact(NodeID(prefix + rng.bytes(24)), tag: tag)) }
        for tag in 30..<60 { table.add(contact(rng.id(), tag: tag)) }
        for round in 0..<10 {
            let target = round % 2 == 0 ? NodeID(prefix + rng.bytes(24)) : rng.id()
            for n in [1, 7, 20, 40, 60] {
                #expect(ids(table.closest(to: target, count: n)) == bruteForceClosest(table, to: target, count: n))
            }
        }
    }

    /// The general path (ids of mixed lengths) filters the same way.
    @Test func closestWhereFiltersMixedLengthIdsToo() {
        var rng = SplitMix64(seed: 34)
        var table = TaggedTree(configuration: .init(localNodeID: rng.id(), numberOfNodesPerKBucket: 20))
        for tag in 0..<300 { table.add(contact(rng.id(tag % 5 == 0 ? 20 : 32), tag: tag)) }
        for _ in 0..<10 {
            let target = rng.id()
            let everything = table.closest(to: target)
            for n in [1, 7, 20, 300] {
                let answer = table.closest(to: target, count: n) { $0.payload.isMultiple(of: 2) }
                #expect(ids(answer) == Array(ids(everything.filter { $0.payload.isMultiple(of: 2) }).prefix(n)))
            }
        }
    }

    /// `refresh` leaves the table exactly as re-adding the stored contact with a changed payload does under the
    /// candidate-always-wins arbiter (dht-rpc's), over a long random run of adds, refreshes and removals.
    @Test func refreshMatchesReAddingUnderCandidateAlwaysWins() {
        var rng = SplitMix64(seed: 41)
        let configuration = KBucketConfiguration<Int>(localNodeID: rng.id(), numberOfNodesPerKBucket: 8,
                                                      arbiter: KBucketConfiguration<Int>.candidateAlwaysWins)
        var refreshed = TaggedTree(configuration: configuration)
        var reAdded = TaggedTree(configuration: configuration)
        var known: [NodeID] = []
        for step in 0..<4000 {
            let roll = Int.random(in: 0..<10, using: &rng)
            if roll < 4 || known.isEmpty {
                let newcomer = contact(rng.id(), tag: step)
                #expect(refreshed.add(newcomer) == reAdded.add(newcomer))
                if refreshed.contains(newcomer.id) { known.append(newcomer.id) }
            } else if roll < 9 {
                let target = known[Int.random(in: 0..<known.count, using: &rng)]
                let found = refreshed.refresh(target) { $0 = step }
                #expect(found == reAdded.contains(target))
                if found { reAdded.add(contact(target, tag: step)) }
            } else {
                let index = Int.random(in: 0..<known.count, using: &rng)
                refreshed.remove(known[index])
                reAdded.remove(known[index])
                known.remove(at: index)
            }
            #expect(refreshed.count == reAdded.count)
        }
        #expect(refreshed.toArray() == reAdded.toArray())
        #expect(!refreshed.refresh(rng.id()) { $0 = -1 })
    }
}
