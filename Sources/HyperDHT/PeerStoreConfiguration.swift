/// Limits of a ``PeerStore``. Announcements come from the network, so every dimension is capped: a
/// flood of announcements evicts the oldest entries instead of exhausting memory.
public struct PeerStoreConfiguration: Sendable, Equatable {
    /// How long an announcement lives unless refreshed. hyperdht 1.3.1 keeps one for 12 minutes
    /// (1.3.0 for 6·60·1024 ms ≈ 6.1 min, a typo in the reference).
    public var maxAge: Duration
    /// The most keys stored at once.
    public var maxKeys: Int
    /// The most peers stored under one key.
    public var maxPeersPerKey: Int
    /// The most announcements stored in all.
    public var maxEntries: Int

    /// Creates limits; the defaults follow hyperdht 1.3.1 (12 min, 65,536 entries).
    public init(maxAge: Duration = .seconds(12 * 60), maxKeys: Int = 16_384, maxPeersPerKey: Int = 1_024,
                maxEntries: Int = 65_536) {
        self.maxAge = maxAge
        self.maxKeys = maxKeys
        self.maxPeersPerKey = maxPeersPerKey
        self.maxEntries = maxEntries
    }

    /// hyperdht 1.3.0's maximum age: `6 * 60 * 1024` ms.
    public static let hyperdht130MaxAge: Duration = .milliseconds(6 * 60 * 1024)
}
