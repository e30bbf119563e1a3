import IPEncoding
import KBucket

/// What the stored-announcements pane shows, filled by the HyperDHT layer through
/// ``MonitorBackend/storedAnnouncements()``.
public struct StoreSnapshot: Sendable, Equatable {
    /// Keys this node stores announcements for.
    public var keys: [AnnouncedKey]
    /// What was looked up here recently (newest first).
    public var recentLookups: [RecentLookup]

    /// Creates a snapshot.
    public init(keys: [AnnouncedKey], recentLookups: [RecentLookup]) {
        self.keys = keys
        self.recentLookups = recentLookups
    }
}

/// One stored key and its peers.
public struct AnnouncedKey: Sendable, Equatable {
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
public struct AnnouncedPeer: Sendable, Equatable {
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
public struct RecentLookup: Sendable, Equatable {
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
