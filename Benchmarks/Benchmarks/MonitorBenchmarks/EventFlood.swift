// One frame's worth of a 10,000 events/s flood: 1,000 events per 100 ms frame, mixed as a busy node's event stream
// is (mostly requests arriving, some of its own traffic, routing-table refreshes, walk progress, address reports).
import DHTRPC
import IPEncoding
import KBucket
import Monitor
import UDPRequest

/// Pre-built batches of flood events, cycled through frame by frame.
struct EventFlood {
    /// Events per frame: 10,000 a second at 10 frames a second.
    static let eventsPerFrame = 1_000

    /// The batches (events without times; each frame stamps them).
    let batches: [[MonitorEvent]]

    /// `count` batches; refreshed and removed contacts are drawn from `contacts` (the table the status shows),
    /// progress goes to the walks `activeWalks`.
    init(count: Int = 16, contacts: [ContactStatus], activeWalks: Range<UInt64>) {
        var random = SeededRandomGenerator(seed: 0xF100D)
        let senders = (0..<512).map { _ in MonitorFixture.address(&random) }
        let commands = ["_ping", "_find_node", "peers", "announce", "find_peer"]
        var batches: [[MonitorEvent]] = []
        var tid: UInt16 = 0
        for _ in 0..<count {
            var events: [MonitorEvent] = []
            events.reserveCapacity(Self.eventsPerFrame)
            for index in 0..<Self.eventsPerFrame {
                tid &+= 1
                let sender = senders[Int.random(in: 0..<senders.count, using: &random)]
                let contact = contacts[Int.random(in: 0..<contacts.count, using: &random)]
                let node = NodeReference(id: contact.id, address: contact.address)
                switch index % 100 {
                case 0..<80:  // 80 %: requests arriving (what the `_ping` flood produces)
                    events.append(.requestReceived(tid: tid, command: commands[index % commands.count], from: sender))
                case 80..<86:
                    events.append(.requestSent(tid: tid, command: "_find_node", to: contact.address, bytes: 80))
                case 86..<92:
                    events.append(.responseMatched(tid: tid, command: "_find_node", from: contact.address,
                                                   roundTripTime: .microseconds(Int64.random(in: 2_000...300_000, using: &random))))
                case 92, 93:
                    events.append(.nodeRefreshed(node))
                case 94:
                    events.append(.requestTimedOut(tid: tid, command: "_ping", to: contact.address, transmissions: 3))
                case 95, 96:
                    let walk = activeWalks.lowerBound + UInt64(index) % UInt64(activeWalks.count)
                    events.append(.queryProgressed(id: walk, QueryStep(responses: 10, errors: 1, inflight: 3, hops: 2,
                                                                        closestPrefix: 14, node: node, answered: true)))
                case 97:
                    events.append(.observedAddress(PeerAddress(host: IPAddress(198, 51, 100, 7), port: 49_737),
                                                   reportedBy: sender))
                case 98:
                    events.append(index % 200 == 98 ? .nodeAdded(node) : .nodeRemoved(node, reason: "timed out"))
                default:
                    events.append(.malformedDropped(from: sender, bytes: 17))
                }
            }
            batches.append(events)
        }
        self.batches = batches
    }

    /// Batch `frame` (cycling), stamped evenly over the 100 ms before `now`, with the status the poller would
    /// have delivered: `status` with its socket totals advanced by one frame of the flood.
    func batch(frame: Int, now: Duration, status: NodeStatus) -> MonitorInbox.Batch {
        let events = batches[frame % batches.count]
        var batch = MonitorInbox.Batch()
        batch.events = events.enumerated().map { index, event in
            TimedEvent(at: now - .microseconds(Int64(100 * (events.count - index))), event: event)
        }
        var status = status
        status.socketCounters.datagramsIn += Self.eventsPerFrame * (frame + 1)
        status.socketCounters.datagramsOut += Self.eventsPerFrame * (frame + 1)
        status.socketCounters.requestsIn += Self.eventsPerFrame * 8 / 10 * (frame + 1)
        status.now = status.now + .milliseconds(100 * Int64(frame + 1))
        batch.status = status
        return batch
    }
}
