import IPEncoding
import KBucket
import UDPRequest

/// One announcement held by a ``PeerStore``.
public struct StoredPeer: Sendable, Equatable {
    /// The announced address: the announcer's UDP source host and the announced (or source) port.
    public var address: PeerAddress
    /// The LAN address it announced (6-byte `localAddress`), if any.
    public var localAddress: PeerAddress?
    /// When it was first announced.
    public var firstAnnounced: Timestamp
    /// When it was last announced (refreshes restart its life).
    public var lastAnnounced: Timestamp
}

/// The announcements a hyperdht node stores for others: key → peers, with the reference's maximum age,
/// hard caps on keys, peers per key and entries (the oldest go first), and expiry that costs O(1)
/// amortised per entry – a queue ordered by announcement time, never a full scan.
///
/// A value type confined to its node's context; time is passed in, never read.
public struct PeerStore: Sendable {
    /// The limits in force.
    public let configuration: PeerStoreConfiguration

    private struct KeyEntry {
        var peers: [StoredPeer] = []
        var index: [PeerAddress: Int] = [:]

        mutating func append(_ peer: StoredPeer) {
            index[peer.address] = peers.count
            peers.append(peer)
        }

        /// Swap-removes the peer at `slot` (whose index entry is already gone).
        mutating func removePeer(at slot: Int) {
            let last = peers.count - 1
            if slot != last {
                peers[slot] = peers[last]
                index[peers[slot].address] = slot
            }
            peers.removeLast()
        }
    }

    /// (key, peer, announcement time) in announcement order; entries whose time no longer matches
    /// the stored one were refreshed or removed and are skipped.
    private struct Expiry {
        var key: NodeID
        var peer: PeerAddress
        var announced: Timestamp
    }

    private var keys: [NodeID: KeyEntry] = [:]
    private var expiries: [Expiry] = []
    private var expiryHead = 0
    /// How many keys each stored address is announced under (for ``containsPeer(at:)``).
    private var addressCounts: [PeerAddress: Int] = [:]
    /// Announcements stored.
    public private(set) var count = 0

    /// Creates an empty store.
    public init(configuration: PeerStoreConfiguration = PeerStoreConfiguration()) {
        self.configuration = configuration
    }

    /// Keys stored.
    public var keyCount: Int { keys.count }

    /// Whether anything is stored under `key`.
    public func contains(key: NodeID) -> Bool { keys[key] != nil }

    /// Whether `address` is announced under any key (expired announcements count until they are
    /// removed, at the next put or ``removeExpired(now:)``). O(1).
    public func containsPeer(at address: PeerAddress) -> Bool { addressCounts[address] != nil }

    /// What happened to a `put`.
    public enum PutOutcome: Sendable, Equatable {
        /// A new announcement; `evicted` older ones made room for it.
        case stored(evicted: Int)
        /// An existing announcement was refreshed.
        case refreshed
    }

    /// Stores or refreshes `address` under `key` at time `now`.
    @discardableResult
    public mutating func put(key: NodeID, address: PeerAddress, localAddress: PeerAddress?, now: Timestamp) -> PutOutcome {
        removeExpired(now: now)
        if let slot = keys[key]?.index[address] {
            keys[key]!.peers[slot].lastAnnounced = now
            keys[key]!.peers[slot].localAddress = localAddress
            appendExpiry(Expiry(key: key, peer: address, announced: now))
            return .refreshed
        }
        var evicted = 0
        if let entry = keys[key], entry.peers.count >= configuration.maxPeersPerKey,
           let oldest = entry.peers.min(by: { $0.lastAnnounced < $1.lastAnnounced }) {
            remove(key: key, address: oldest.address)
            evicted += 1
        }
        while count >= configuration.maxEntries || (keys[key] == nil && keys.count >= configuration.maxKeys) {
            guard evictOldest() else { break }
            evicted += 1
        }
        // Mutated in place: copying the entry out would copy its arrays on every put.
        keys[key, default: KeyEntry()].append(
            StoredPeer(address: address, localAddress: localAddress, firstAnnounced: now, lastAnnounced: now))
        count += 1
        addressCounts[address, default: 0] += 1
        appendExpiry(Expiry(key: key, peer: address, announced: now))
        return .stored(evicted: evicted)
    }

    /// Removes `address` from `key`; returns whether it was stored.
    @discardableResult
    public mutating func remove(key: NodeID, address: PeerAddress) -> Bool {
        guard let slot = keys[key]?.index.removeValue(forKey: address) else { return false }
        keys[key]!.removePeer(at: slot)
        if keys[key]!.peers.isEmpty { keys[key] = nil }
        count -= 1
        if let remaining = addressCounts[address], remaining > 1 {
            addressCounts[address] = remaining - 1
        } else {
            addressCounts[address] = nil
        }
        return true
    }

    /// The live announcements under `key`, in random order, drawn with `generator`; at most `limit`.
    public func peers<G: RandomNumberGenerator>(for key: NodeID, now: Timestamp, limit: Int = .max,
                                                using generator: inout G) -> [StoredPeer] {
        guard let entry = keys[key] else { return [] }
        let oldest = oldestLiveAnnouncement(now: now)
        var live: [StoredPeer] = []
        live.reserveCapacity(entry.peers.count)
        for peer in entry.peers where peer.lastAnnounced.nanoseconds >= oldest { live.append(peer) }
        live.shuffle(using: &generator)
        if live.count > limit { live.removeLast(live.count - Swift.max(0, limit)) }
        return live
    }

    /// Every key with its live peers (for observers; O(entries)).
    public func allEntries(now: Timestamp) -> [(key: NodeID, peers: [StoredPeer])] {
        let oldest = oldestLiveAnnouncement(now: now)
        return keys.map { key, entry in (key, entry.peers.filter { $0.lastAnnounced.nanoseconds >= oldest }) }
            .filter { !$0.peers.isEmpty }
    }

    /// Drops every announcement older than the maximum age; returns how many went.
    @discardableResult
    public mutating func removeExpired(now: Timestamp) -> Int {
        var removed = 0
        while expiryHead < expiries.count {
            let next = expiries[expiryHead]
            guard now - next.announced > configuration.maxAge else { break }
            expiryHead += 1
            if isCurrent(next), remove(key: next.key, address: next.peer) { removed += 1 }
        }
        compactExpiries()
        return removed
    }

    /// When the oldest announcement expires, if any is stored.
    public var nextExpiry: Timestamp? {
        var index = expiryHead
        while index < expiries.count {
            if isCurrent(expiries[index]) { return expiries[index].announced + configuration.maxAge }
            index += 1
        }
        return nil
    }

    // MARK: - Internals

    /// The earliest announcement time, in nanoseconds, of a peer still live at `now` (`now - lastAnnounced <=
    /// maxAge`), compared as plain integers: `Duration` arithmetic per stored peer is 128-bit.
    private func oldestLiveAnnouncement(now: Timestamp) -> Int64 {
        let (oldest, overflow) = now.nanoseconds.subtractingReportingOverflow(configuration.maxAge.nanosecondsClamped)
        return overflow ? Int64.min : oldest
    }

    private func isCurrent(_ expiry: Expiry) -> Bool {
        guard let entry = keys[expiry.key], let slot = entry.index[expiry.peer] else { return false }
        return entry.peers[slot].lastAnnounced == expiry.announced
    }

    private mutating func evictOldest() -> Bool {
        while expiryHead < expiries.count {
            let next = expiries[expiryHead]
            expiryHead += 1
            if isCurrent(next), remove(key: next.key, address: next.peer) { return true }
        }
        return false
    }

    private mutating func appendExpiry(_ expiry: Expiry) {
        expiries.append(expiry)
        compactExpiries()
    }

    /// Keeps the queue within a constant factor of the live entries, however many refreshes arrive.
    private mutating func compactExpiries() {
        let queued = expiries.count - expiryHead
        if expiryHead > 1024 && expiryHead * 2 > expiries.count {
            expiries.removeFirst(expiryHead)
            expiryHead = 0
        }
        if queued > 2 * count + 1024 {
            expiries = expiries[expiryHead...].filter(isCurrent)
            expiryHead = 0
        }
    }
}
