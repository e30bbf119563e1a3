// The state the monitor benchmarks render: a node status whose routing table holds 5,000 contacts placed by a real
// `KBucketTree` (k = 20), and every bounded history full (finished requests, walks, hole punches, NAT samples, store,
// traffic). Everything is seeded, so every run renders the same frames. The model is filled through the controller's
// public `receive(_:now:)`, the same path the UI loop uses.
import DHTRPC
import IPEncoding
import KBucket
import Monitor
import UDPRequest

/// What a routing-table contact carries in the fixture's tree (what `DHTRPC`'s routing payload carries).
struct FixtureContact {
    var address: PeerAddress
    var lastSeen: Timestamp
    var roundTripTime: Duration?
}

/// The seeded state behind every monitor benchmark.
enum MonitorFixture {
    /// Contacts in the routing table of most benchmarks.
    static let contactCount = 5_000

    /// k for a table of `contactCount` contacts: 20 (250 far buckets along the path hold up to 5,000), else as many as
    /// 200 far buckets need. Not 250 buckets of more than 20: the far bucket at depth d can only hold 2^(255-d)
    /// distinct ids (128 at depth 248), so the deepest ones could never be filled – the 50,000-contact fixture's
    /// top-up looped forever on them, which is why package-benchmark printed no results (it never got past setup).
    static func bucketSize(for contactCount: Int) -> Int {
        contactCount <= 20 * 250 ? 20 : (contactCount + 199) / 200
    }
    /// The monitor's clock when the fixture's frames are rendered (the monitor has run for 2 hours).
    static let now = Duration.seconds(7_200)
    /// The node's clock at the status (it started 5 s before the monitor's clock began).
    static let nodeNow = Timestamp(nanoseconds: 7_205 * 1_000_000_000)

    /// 32 random bytes.
    static func randomID(_ random: inout SeededRandomGenerator) -> NodeID {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for _ in 0..<4 { withUnsafeBytes(of: random.next()) { bytes.append(contentsOf: $0) } }
        return NodeID(bytes)
    }

    /// A random id sharing exactly `depth` leading bits with `local` (bit `depth` differs): the contact a
    /// routing table files in the far bucket that branches off the local id's path at `depth`.
    static func id(sharing depth: Int, with local: NodeID, _ random: inout SeededRandomGenerator) -> NodeID {
        var bytes = randomID(&random).bytes
        let localBytes = local.bytes
        for bit in 0...depth {
            let byte = bit / 8, mask = UInt8(0x80) >> UInt8(bit % 8)
            let localBit = localBytes[byte] & mask != 0
            let wanted = bit < depth ? localBit : !localBit
            bytes[byte] = wanted ? bytes[byte] | mask : bytes[byte] & ~mask
        }
        return NodeID(bytes)
    }

    /// A public-looking IPv4 address with an ephemeral port.
    static func address(_ random: inout SeededRandomGenerator) -> PeerAddress {
        let octets = (0..<4).map { _ in UInt8.random(in: 1...223, using: &random) }
        return PeerAddress(host: IPAddress(octets[0], octets[1], octets[2], octets[3]),
                           port: UInt16.random(in: 1_024...65_535, using: &random))
    }

    /// A routing table of `contactCount` contacts as a `KBucketTree` files them. With k = 20 a table only holds
    /// more than ≈200 random ids if the far buckets deep along the local id's path fill too, as in a very large
    /// network: the ids are drawn so that 20 branch off the path at each depth 0..<250, added in random order, and
    /// the tree does the splitting.
    static func buckets(local: NodeID, contactCount: Int, _ random: inout SeededRandomGenerator) -> [BucketStatus] {
        let k = bucketSize(for: contactCount)
        var contacts: [KBucketContact<FixtureContact>] = []
        for depth in 0..<(contactCount / k) {
            for _ in 0..<k {
                let seen = nodeNow + .milliseconds(-Int64.random(in: 0...900_000, using: &random))
                let rtt: Duration? = Int.random(in: 0..<10, using: &random) == 0
                    ? nil : .microseconds(Int64.random(in: 2_000...350_000, using: &random))
                contacts.append(KBucketContact(id: id(sharing: depth, with: local, &random),
                                               payload: FixtureContact(address: address(&random), lastSeen: seen,
                                                                       roundTripTime: rtt)))
            }
        }
        contacts.shuffle(using: &random)
        var tree = KBucketTree<FixtureContact>(configuration: .init(localNodeID: local, numberOfNodesPerKBucket: k))
        var refused = 0
        for contact in contacts where tree.add(contact).map({ if case .added = $0 { false } else { true } }) ?? true {
            refused += 1
        }
        // Deep levels leave few random bits, so an id may be drawn twice (the tree then updates rather than adds);
        // top the table up to exactly `contactCount` with contacts from the deepest levels, placed by the tree as well.
        // Bounded: past depth 255 every draw is the same single id.
        var depth = contactCount / k
        while tree.count < contactCount, depth < 255 + 64 {
            _ = tree.add(KBucketContact(id: id(sharing: min(depth, 255), with: local, &random),
                                        payload: FixtureContact(address: address(&random), lastSeen: nodeNow)))
            depth += 1
        }
        if refused > 0 { print("MonitorFixture: \(refused) contact(s) not added (ids drawn twice); topped up from deeper levels") }
        if tree.count < contactCount { print("MonitorFixture: the table holds \(tree.count) contacts, not \(contactCount)") }
        return tree.snapshot().buckets.map { bucket in
            BucketStatus(prefix: bucket.prefix.description, containsLocalID: bucket.containsLocalID,
                         capacity: bucket.capacity,
                         contacts: bucket.contacts.map {
                             ContactStatus(id: $0.id, address: $0.payload.address, lastSeen: $0.payload.lastSeen,
                                           roundTripTime: $0.payload.roundTripTime)
                         })
        }
    }

    /// The node's status: the table above, 64 requests in flight, 12 queued, 8 walks running.
    static func status(local: NodeID, buckets: [BucketStatus], counters: RequestSocketCounters,
                       _ random: inout SeededRandomGenerator) -> NodeStatus {
        let commands = ["_find_node", "_ping", "peers", "announce", "_ping_nat", "find_peer"]
        let inflight = (0..<64).map { index in
            InflightStatus(tid: UInt16(1_000 + index), command: commands[index % commands.count],
                           destination: address(&random),
                           firstSentAt: nodeNow + .milliseconds(-Int64.random(in: 1...900, using: &random)),
                           transmissions: index % 7 == 0 ? 2 : 1,
                           holepunchTarget: index % 16 == 0 ? address(&random) : nil)
        }
        return NodeStatus(id: local, localAddress: PeerAddress(host: .anyV4, port: 49_737), isReady: true,
                          uptime: .seconds(7_205), now: nodeNow, buckets: buckets, inflight: inflight,
                          queuedRequests: 12, activeQueries: 8, socketCounters: counters)
    }

    /// Socket totals after `second` seconds at a steady `rate` datagrams a second each way.
    static func counters(atSecond second: Double, rate: Double) -> RequestSocketCounters {
        var counters = RequestSocketCounters()
        counters.datagramsIn = Int(second * rate)
        counters.datagramsOut = Int(second * rate * 0.95)
        counters.bytesIn = counters.datagramsIn * 120
        counters.bytesOut = counters.datagramsOut * 400
        counters.requestsIn = counters.datagramsIn * 7 / 10
        counters.requestsOut = counters.datagramsOut * 3 / 10
        counters.timeouts = Int(second * rate / 500)
        return counters
    }

    /// A finished walk's events: start, 20 answering steps over 3 hops, end with the 20 closest.
    static func walk(id: UInt64, finish: Bool, _ random: inout SeededRandomGenerator) -> [MonitorEvent] {
        let commands = ["_find_node", "peers", "announce", "find_peer"]
        let command = commands[Int(id % UInt64(commands.count))]
        var events: [MonitorEvent] = [.queryStarted(id: id, command: command, target: randomID(&random),
                                                    isUpdate: command == "announce")]
        var answered: [NodeReference] = []
        for step in 1...24 {
            let node = NodeReference(id: randomID(&random), address: address(&random))
            let ok = step % 6 != 0
            if ok { answered.append(node) }
            events.append(.queryProgressed(id: id, QueryStep(responses: answered.count, errors: step - answered.count,
                                                              inflight: 3, hops: 1 + step / 9,
                                                              closestPrefix: 8 + step / 2, node: node, answered: ok)))
        }
        if finish {
            events.append(.queryFinished(id: id, QueryOutcome(
                responses: answered.count, errors: 24 - answered.count, hops: 3,
                duration: .milliseconds(Int64.random(in: 40...900, using: &random)), closest: answered,
                error: id % 13 == 0 ? "too few answers" : nil)))
        }
        return events
    }

    /// Hole punches in every role and outcome, enough to fill the timeline (64 attempts).
    static func holepunches(_ random: inout SeededRandomGenerator) -> [MonitorEvent] {
        var events: [MonitorEvent] = []
        for index in 0..<72 {
            let peer = address(&random), referrer = address(&random)
            switch index % 4 {
            case 0:
                events.append(.holepunchAsked(peer: peer, referrer: referrer, tid: UInt16(index)))
                events.append(.requestReceived(tid: 9, command: "_ping", from: referrer))
                events.append(.holepunchAnswered(peer: peer, referrer: referrer, from: peer,
                                                 roundTripTime: .milliseconds(Int64(20 + index))))
            case 1:
                events.append(.holepunchAsked(peer: peer, referrer: referrer, tid: UInt16(index)))
                events.append(.holepunchFailed(peer: peer, referrer: referrer, reason: "timed out"))
            case 2:
                events.append(.holepunchForwarded(from: referrer, to: peer, tid: UInt16(index)))
            default:
                events.append(.holepunchReceived(requester: peer, referrer: referrer, tid: UInt16(index)))
            }
        }
        return events
    }

    /// 200 stored keys with 1–5 peers each and 64 recent lookups.
    static func store(_ random: inout SeededRandomGenerator) -> StoreSnapshot {
        let keys = (0..<200).map { _ in
            AnnouncedKey(key: randomID(&random), peers: (0..<Int.random(in: 1...5, using: &random)).map { _ in
                AnnouncedPeer(publicAddress: address(&random), localAddress: address(&random),
                              age: .seconds(Int64.random(in: 0...1_200, using: &random)),
                              expiresIn: .seconds(Int64.random(in: 0...1_200, using: &random)))
            })
        }.sorted { $0.key.hexString < $1.key.hexString }
        let lookups = (0..<64).map { index in
            RecentLookup(key: randomID(&random), from: address(&random), age: .seconds(Int64(index * 3)))
        }
        return StoreSnapshot(keys: keys, recentLookups: lookups)
    }

    /// A controller holding the whole fixture, focused on `focus`, with every bucket and walk expanded and the
    /// bucket pane's selection in the middle of the table (so it scrolls).
    static func controller(focus: PaneID, contactCount: Int = contactCount) -> MonitorController {
        var random = SeededRandomGenerator(seed: 0x0123_4567_89AB_CDEF)
        let local = randomID(&random)
        let buckets = buckets(local: local, contactCount: contactCount, &random)
        let store = store(&random)

        var view = ViewState()
        view.focus = focus
        view.expandedBuckets = Set(buckets.map(\.prefix))
        view.expandedQueries = Set(0..<80)
        let middle = buckets[buckets.count / 2]
        view.selection[.buckets] = .contact(middle.contacts[middle.contacts.count / 2].id.hexString)
        var controller = MonitorController(view: view)

        // Two minutes of statuses at 10 Hz (the poller's rate), so rates and the 120-second sparkline are full.
        let start = now - .seconds(120)
        var historyEvents: [MonitorEvent] = []
        for index in 0..<256 {
            let peer = address(&random)
            historyEvents.append(index % 9 == 0
                ? .requestTimedOut(tid: UInt16(index), command: "_find_node", to: peer, transmissions: 3)
                : .responseMatched(tid: UInt16(index), command: "_find_node", from: peer,
                                   roundTripTime: .milliseconds(Int64(5 + index % 300))))
        }
        // 64 finished walks fill the recent log; 8 more are still running.
        for id in 0..<72 { historyEvents += walk(id: UInt64(id), finish: id < 64, &random) }
        historyEvents += holepunches(&random)
        for _ in 0..<64 {
            historyEvents.append(.observedAddress(PeerAddress(host: IPAddress(198, 51, 100, 7), port: 49_737),
                                                  reportedBy: address(&random)))
        }
        for tick in 0...1_200 {
            let time = start + .milliseconds(Int64(tick) * 100)
            var batch = MonitorInbox.Batch()
            let rate = 3_000 + 2_000 * Double(tick % 170) / 170
            batch.status = status(local: local, buckets: buckets,
                                  counters: counters(atSecond: 5 + Double(tick) / 10, rate: rate), &random)
            if tick == 0 { batch.store = .some(store) }
            if tick == 1_100 { batch.events = historyEvents.map { TimedEvent(at: time, event: $0) } }
            if tick == 1_195 {
                // A few contacts changed just now, so rows flash as they do on a live node.
                batch.events = buckets.prefix(40).map { TimedEvent(at: time, event: .nodeRefreshed(
                    NodeReference(id: $0.contacts[0].id, address: $0.contacts[0].address))) }
            }
            controller.receive(batch, now: time)
        }
        precondition(controller.model.status?.contactCount == contactCount)
        return controller
    }
}
