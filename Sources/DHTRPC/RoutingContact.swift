import Foundation
import IPEncoding
import KBucket
import UDPRequest

/// What a ``DHTNode`` keeps about each contact in its routing table (the k-bucket payload).
public struct RoutingContact: Sendable, Equatable {
    /// Where the node was last heard from.
    public var address: PeerAddress
    /// The upkeep tick at which it was last heard from (dht-rpc's `node.tick`).
    public var lastSeenTick: Int
    /// When it was last heard from.
    public var lastSeen: Timestamp
    /// When it was first added.
    public var firstSeen: Timestamp
    /// The round-trip time of the last request it answered, if any.
    public var roundTripTime: Duration?
    /// Orders contacts last seen in the same tick: higher is more recent.
    public var sequence: UInt64
    /// Requests it failed to answer since it was last heard from (BEP 5's "bad" count). Any datagram
    /// from it resets this to 0; at ``DHTNodeConfiguration/maxContactFailures`` it is removed.
    public var failures: Int

    /// Creates a contact record.
    public init(address: PeerAddress, lastSeenTick: Int, lastSeen: Timestamp, firstSeen: Timestamp,
                roundTripTime: Duration? = nil, sequence: UInt64, failures: Int = 0) {
        self.address = address
        self.lastSeenTick = lastSeenTick
        self.lastSeen = lastSeen
        self.firstSeen = firstSeen
        self.roundTripTime = roundTripTime
        self.sequence = sequence
        self.failures = failures
    }

    /// Failed requests in a row that make a contact stale. One lost datagram (or two, on a lossy link)
    /// is common; the first failure only makes the contact questionable: it is pinged in the background
    /// (with retransmissions) and stale if that fails too.
    public static let staleAfterFailures = 2

    /// A contact that failed to answer (and to a background ping) and has not been heard from since:
    /// it is not handed out in `nodes` answers nor asked by walks until it answers again.
    public var isStale: Bool { failures >= Self.staleAfterFailures }

    /// A contact that failed to answer at least once since it was last heard from.
    public var isQuestionable: Bool { failures > 0 }
}

/// A node as queries and events report it: an id when it sent one, and its address.
public struct NodeReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The node's 32-byte id; `nil` for an ephemeral node or a bootstrap address.
    public var id: NodeID?
    /// Its UDP address.
    public var address: PeerAddress

    /// Creates a reference.
    public init(id: NodeID?, address: PeerAddress) {
        self.id = id
        self.address = address
    }

    public var description: String {
        if let id { return "\(id.hexString.prefix(8))@\(address)" }
        return "\(address)"
    }
}
