import DHTMessages
import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import UDPRequest

/// Records every event a node emits, in order.
final class EventLog {
    private(set) var events: [DHTEvent] = []

    /// Starts recording `node`'s events (replacing any earlier observer).
    init(_ node: DHTNode) {
        node.onEvent = { [self] event in events.append(event) }
    }

    /// Requests the node refused to serve.
    var rejections: [(from: PeerAddress, command: String, reason: RejectionReason)] {
        events.compactMap {
            if case .requestRejected(let from, let command, let reason) = $0 { return (from, command, reason) }
            return nil
        }
    }

    /// Nodes that left the routing table, and why.
    var removals: [(node: NodeReference, reason: NodeRemovalReason)] {
        events.compactMap {
            if case .nodeRemoved(let node, let reason) = $0 { return (node, reason) }
            return nil
        }
    }

    /// Hole punches this node forwarded as a referrer.
    var forwards: [(from: PeerAddress, to: PeerAddress)] {
        events.compactMap {
            if case .holepunchForwarded(let from, let to, _) = $0 { return (from, to) }
            return nil
        }
    }

    /// Hole-punch forwards this node refused as a referrer, and why.
    var refusedForwards: [(from: PeerAddress, to: PeerAddress, reason: ForwardRefusal)] {
        events.compactMap {
            if case .holepunchForwardRefused(let from, let to, let reason) = $0 { return (from, to, reason) }
            return nil
        }
    }

    /// Forwarded pings that reached this node.
    var holepunchesReceived: [(requester: PeerAddress, referrer: PeerAddress)] {
        events.compactMap {
            if case .holepunchReceived(let requester, let referrer, _) = $0 { return (requester, referrer) }
            return nil
        }
    }

    /// Hole punches this node asked for, with the peer that answered.
    var holepunchesAnswered: [(peer: PeerAddress, referrer: PeerAddress, from: PeerAddress)] {
        events.compactMap {
            if case .holepunchAnswered(let peer, let referrer, let from, _) = $0 { return (peer, referrer, from) }
            return nil
        }
    }

    /// The direct pings our punches sent to their peers.
    var directPings: [(peer: PeerAddress, phase: HolepunchDirectPing)] {
        events.compactMap {
            if case .holepunchDirectPing(let peer, _, let phase) = $0 { return (peer, phase) }
            return nil
        }
    }

    /// How many of our punches failed.
    var holepunchesFailed: Int {
        events.filter { if case .holepunchFailed = $0 { return true } else { return false } }.count
    }

    /// Forgets everything recorded so far.
    func clear() { events.removeAll() }
}

/// A value that a callback fills in later, read after the scheduler has run.
final class Outcome<Value> {
    var value: Value?
}

/// A bare udp-request socket on the simulated network (no DHT node behind it), for sending
/// hand-crafted requests and watching what comes back.
final class RawPeer {
    let socket: RequestSocket

    init(network: SimulatedNetwork, host: IPAddress, port: UInt16 = 40000, tidStart: UInt16 = 100) throws {
        let transport = try network.bind(host: host, port: port)
        socket = RequestSocket(transport: transport, scheduler: network.scheduler,
                               tids: TransactionIDGenerator(start: tidStart))
    }

    var address: PeerAddress { socket.localAddress }

    /// Sends `message` once; the outcome is filled in when it is answered or fails.
    @discardableResult
    func request(_ message: DhtRpc_Request, to destination: PeerAddress) -> Outcome<Result<MatchedResponse, RequestSocketError>> {
        let outcome = Outcome<Result<MatchedResponse, RequestSocketError>>()
        socket.request(message, to: destination, options: .once) { outcome.value = $0 }
        return outcome
    }
}

extension DhtRpc_Request {
    /// A request with the given fields set (all others absent).
    static func make(command: String, id: NodeID? = nil, target: NodeID? = nil, forwardRequest: [UInt8]? = nil,
                     forwardResponse: [UInt8]? = nil, roundtripToken: Data? = nil, value: Data? = nil) -> DhtRpc_Request {
        var message = DhtRpc_Request()
        message.command = command
        if let id { message.id = Data(id.bytes) }
        if let target { message.target = Data(target.bytes) }
        if let forwardRequest { message.forwardRequest = Data(forwardRequest) }
        if let forwardResponse { message.forwardResponse = Data(forwardResponse) }
        if let roundtripToken { message.roundtripToken = roundtripToken }
        if let value { message.value = value }
        return message
    }
}

/// The 6-byte ipv4-peers record of `address`.
func ipv4Record(_ address: PeerAddress) -> [UInt8] {
    (try? PeerListCodec.ipv4.encode([address])) ?? []
}

/// A 32-byte id drawn from `generator`.
func randomID(_ generator: inout SeededRandomGenerator) -> NodeID {
    NodeID((0..<DHTNode.idLength).map { _ in UInt8.random(in: 0...255, using: &generator) })
}

/// A 32-byte id whose first byte is `first` and whose other bytes come from `generator`.
func randomID(firstByte first: UInt8, _ generator: inout SeededRandomGenerator) -> NodeID {
    NodeID([first] + (1..<DHTNode.idLength).map { _ in UInt8.random(in: 0...255, using: &generator) })
}

extension DHTNode {
    /// Whether `id` is in this node's routing table.
    func knows(_ id: NodeID) -> Bool {
        snapshot().routingTable.buckets.contains { bucket in bucket.contacts.contains { $0.id == id } }
    }

    /// Every contact in the routing table, bucket by bucket.
    var contacts: [KBucketContact<RoutingContact>] {
        snapshot().routingTable.buckets.flatMap(\.contacts)
    }

    /// Runs a query to completion on virtual time; returns its answers and summary (`nil` if it
    /// did not end within `limit`).
    func runQuery(_ query: DHTQuery, options: QueryOptions = QueryOptions(), on scheduler: VirtualScheduler,
                  limit: Duration = .seconds(60)) -> (results: [QueryResult], summary: QuerySummary?) {
        var results: [QueryResult] = []
        var summary: QuerySummary?
        self.query(query, options: options, onResult: { results.append($0) }) { summary = $0 }
        scheduler.run(until: { summary != nil }, limit: limit)
        return (results, summary)
    }

    /// Pings `address` and returns the outcome, filled in once the scheduler has run.
    func pingOutcome(_ address: PeerAddress) -> Outcome<Result<PingReply, DHTError>> {
        let outcome = Outcome<Result<PingReply, DHTError>>()
        ping(address) { outcome.value = $0 }
        return outcome
    }
}

extension SimulatedNetwork {
    /// A node bound at `host:port` on this network, its id and secrets drawn from `seed`.
    func makeNode(host: IPAddress, port: UInt16 = 49737, seed: UInt64,
                  configure: (inout DHTNodeConfiguration) -> Void = { _ in }) throws -> DHTNode {
        var configuration = DHTNodeConfiguration()
        configure(&configuration)
        return try DHTNode(configuration: configuration, transport: try bind(host: host, port: port),
                           scheduler: scheduler, random: .seeded(seed))
    }
}

extension VirtualScheduler {
    /// Runs in 10 ms steps until `done()` holds or `limit` of virtual time has passed; returns `done()`.
    @discardableResult
    func run(until done: () -> Bool, limit: Duration) -> Bool {
        let deadline = now + limit
        while !done() && now < deadline { run(for: .milliseconds(10)) }
        return done()
    }
}
