import DHTRPC
import IPEncoding
import KBucket
import NATDiagnosis
import UDPRequest

/// What the monitor knows about the node at one moment: a value copied from the node's snapshot
/// (``init(snapshot:now:)``), or built directly by tests and other backends.
public struct NodeStatus: Sendable, Equatable, Codable {
    /// The node's id.
    public var id: NodeID
    /// The bound address.
    public var localAddress: PeerAddress
    /// Whether the first bootstrap finished.
    public var isReady: Bool
    /// Whether the node sends no id.
    public var ephemeral: Bool
    /// Time since the node started.
    public var uptime: Duration
    /// The node's clock when the status was taken (contacts' last-seen times are on this clock).
    public var now: Timestamp
    /// Buckets of the routing table, in the table's order (by bit prefix).
    public var buckets: [BucketStatus]
    /// Requests waiting for an answer.
    public var inflight: [InflightStatus]
    /// Requests waiting for a free slot.
    public var queuedRequests: Int
    /// Walks running.
    public var activeQueries: Int
    /// Datagram-level totals.
    public var socketCounters: RequestSocketCounters
    /// DHT-level totals.
    public var counters: DHTCounters
    /// The host's interface addresses (what the NAT panel compares observed addresses with when the
    /// node is bound to an unspecified address); empty when the backend does not know them.
    public var interfaceAddresses: [IPAddress]
    /// The latest filtering and hairpin probe outcomes, when the backend runs those probes.
    public var natProbes: NATProbeResults
    /// Our LAN address when bound to an unspecified host (shared in announces and lookups as
    /// hyperdht's `localAddress`); `nil` when unknown or not shared.
    public var lanAddress: PeerAddress?

    /// Creates a status.
    public init(id: NodeID, localAddress: PeerAddress, isReady: Bool, ephemeral: Bool = false, uptime: Duration,
                now: Timestamp, buckets: [BucketStatus], inflight: [InflightStatus] = [], queuedRequests: Int = 0,
                activeQueries: Int = 0, socketCounters: RequestSocketCounters = RequestSocketCounters(),
                counters: DHTCounters = DHTCounters(), interfaceAddresses: [IPAddress] = [],
                natProbes: NATProbeResults = NATProbeResults()) {
        self.id = id
        self.localAddress = localAddress
        self.isReady = isReady
        self.ephemeral = ephemeral
        self.uptime = uptime
        self.now = now
        self.buckets = buckets
        self.inflight = inflight
        self.queuedRequests = queuedRequests
        self.activeQueries = activeQueries
        self.socketCounters = socketCounters
        self.counters = counters
        self.interfaceAddresses = interfaceAddresses
        self.natProbes = natProbes
    }

    /// Copies a node snapshot taken at `now` on the node's clock, with what the backend knows of the
    /// host's interfaces and the NAT probes.
    public init(snapshot: DHTNodeSnapshot, now: Timestamp, interfaceAddresses: [IPAddress] = [],
                natProbes: NATProbeResults = NATProbeResults()) {
        self.init(
            id: snapshot.id, localAddress: snapshot.localAddress, isReady: snapshot.isReady,
            ephemeral: snapshot.ephemeral, uptime: snapshot.uptime, now: now,
            buckets: snapshot.routingTable.buckets.map { bucket in
                BucketStatus(
                    prefix: bucket.prefix.description, containsLocalID: bucket.containsLocalID,
                    capacity: bucket.capacity,
                    contacts: bucket.contacts.map {
                        ContactStatus(id: $0.id, address: $0.payload.address, lastSeen: $0.payload.lastSeen,
                                      roundTripTime: $0.payload.roundTripTime)
                    })
            },
            inflight: snapshot.inflight.map {
                InflightStatus(tid: $0.tid, command: $0.command, destination: $0.destination, firstSentAt: $0.firstSentAt,
                               transmissions: $0.transmissions, holepunchTarget: $0.holepunchTarget)
            },
            queuedRequests: snapshot.queuedRequests, activeQueries: snapshot.activeQueries,
            socketCounters: snapshot.socketCounters, counters: snapshot.counters,
            interfaceAddresses: interfaceAddresses, natProbes: natProbes)
    }

    /// Contacts in all buckets.
    public var contactCount: Int { buckets.reduce(0) { $0 + $1.contacts.count } }
}

/// One k-bucket as the tree pane draws it.
public struct BucketStatus: Sendable, Equatable, Codable {
    /// The bucket's bit prefix as `0`/`1` characters (its length is the bucket's depth).
    public var prefix: String
    /// Whether the local id's path ends in this bucket.
    public var containsLocalID: Bool
    /// k.
    public var capacity: Int
    /// Contacts, least recently seen first.
    public var contacts: [ContactStatus]

    /// Creates a bucket status.
    public init(prefix: String, containsLocalID: Bool, capacity: Int, contacts: [ContactStatus]) {
        self.prefix = prefix
        self.containsLocalID = containsLocalID
        self.capacity = capacity
        self.contacts = contacts
    }

    /// The depth in the tree.
    public var depth: Int { prefix.utf8.count }  // ASCII; counting Characters showed in frame profiles
}

/// One routing-table contact.
public struct ContactStatus: Sendable, Equatable, Codable {
    /// Its id.
    public var id: NodeID
    /// Where it was last heard from.
    public var address: PeerAddress
    /// When it was last heard from, on the node's clock.
    public var lastSeen: Timestamp
    /// The round-trip time of its last answer.
    public var roundTripTime: Duration?

    /// Creates a contact status.
    public init(id: NodeID, address: PeerAddress, lastSeen: Timestamp, roundTripTime: Duration? = nil) {
        self.id = id
        self.address = address
        self.lastSeen = lastSeen
        self.roundTripTime = roundTripTime
    }
}

/// One request in flight.
public struct InflightStatus: Sendable, Equatable, Codable {
    /// Transaction id.
    public var tid: UInt16
    /// Command.
    public var command: String
    /// Where it went.
    public var destination: PeerAddress
    /// When it was first sent, on the node's clock.
    public var firstSentAt: Timestamp
    /// Transmissions so far.
    public var transmissions: Int
    /// The punched peer for a hole-punch `_ping`.
    public var holepunchTarget: PeerAddress?

    /// Creates an in-flight status.
    public init(tid: UInt16, command: String, destination: PeerAddress, firstSentAt: Timestamp, transmissions: Int = 1,
                holepunchTarget: PeerAddress? = nil) {
        self.tid = tid
        self.command = command
        self.destination = destination
        self.firstSentAt = firstSentAt
        self.transmissions = transmissions
        self.holepunchTarget = holepunchTarget
    }
}
