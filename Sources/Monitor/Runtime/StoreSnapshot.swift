import IPEncoding
import KBucket

/// What the stored-announcements pane shows, filled by the HyperDHT layer through
/// ``MonitorBackend/storedAnnouncements()``.
public struct StoreSnapshot: Sendable, Equatable, Codable {
    /// Keys this node stores announcements for.
    public var keys: [AnnouncedKey]
    /// What was looked up here recently (newest first).
    public var recentLookups: [RecentLookup]
    /// Keys this node keeps announced itself (`a`), with their keep-alive state.
    public var kept: [KeptKey]

    /// Creates a snapshot.
    public init(keys: [AnnouncedKey], recentLookups: [RecentLookup], kept: [KeptKey] = []) {
        self.keys = keys
        self.recentLookups = recentLookups
        self.kept = kept
    }
}

/// A key this node keeps announced: re-announced every few minutes, the nodes storing it pinged in
/// between so a NAT in front of us keeps the mappings their forwarded punches come in through.
public struct KeptKey: Sendable, Equatable, Codable {
    /// The 32-byte key.
    public var key: NodeID
    /// The last keep-alive round, if one ran yet.
    public var lastRound: KeepAliveRound?

    /// Creates a record.
    public init(key: NodeID, lastRound: KeepAliveRound? = nil) {
        self.key = key
        self.lastRound = lastRound
    }
}

/// One keep-alive round of a kept announcement.
public struct KeepAliveRound: Sendable, Equatable, Codable {
    /// Storing nodes pinged.
    public var storingNodes: Int
    /// How many answered.
    public var answered: Int
    /// What their answers said: behind a NAT, not, or cannot tell.
    public var behindNAT: Bool?
    /// How long ago it ran.
    public var age: Duration
    /// The time between rounds; `nil` while paused (not behind a NAT) until the next re-announce.
    public var interval: Duration?

    /// Creates a record.
    public init(storingNodes: Int, answered: Int, behindNAT: Bool?, age: Duration, interval: Duration?) {
        self.storingNodes = storingNodes
        self.answered = answered
        self.behindNAT = behindNAT
        self.age = age
        self.interval = interval
    }
}

/// One stored key and its peers.
public struct AnnouncedKey: Sendable, Equatable, Codable {
    /// The 32-byte key.
    public var key: NodeID
    /// Peers announced under it.
    public var peers: [AnnouncedPeer]

    /// Creates a stored key.
    public init(key: NodeID, peers: [AnnouncedPeer]) {
        self.key = key
        self.peers = peers
    }
}

/// One announced peer.
public struct AnnouncedPeer: Sendable, Equatable, Codable {
    /// Its public address.
    public var publicAddress: PeerAddress
    /// Its local (LAN) address, when announced.
    public var localAddress: PeerAddress?
    /// Time since it was stored.
    public var age: Duration
    /// Time left until it expires.
    public var expiresIn: Duration

    /// Creates a stored peer.
    public init(publicAddress: PeerAddress, localAddress: PeerAddress? = nil, age: Duration, expiresIn: Duration) {
        self.publicAddress = publicAddress
        self.localAddress = localAddress
        self.age = age
        self.expiresIn = expiresIn
    }
}

/// A lookup a peer made against this node.
public struct RecentLookup: Sendable, Equatable, Codable {
    /// The key looked up.
    public var key: NodeID
    /// Who asked.
    public var from: PeerAddress
    /// How long ago.
    public var age: Duration

    /// Creates a record.
    public init(key: NodeID, from: PeerAddress, age: Duration) {
        self.key = key
        self.from = from
        self.age = age
    }
}
