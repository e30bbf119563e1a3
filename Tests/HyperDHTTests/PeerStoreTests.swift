import HyperDHT
import IPEncoding
import KBucket
import Testing
import UDPRequest

@Suite struct PeerStoreTests {
    static func address(_ n: Int) -> PeerAddress {
        PeerAddress(host: .v4(0x0B00_0000 | UInt32(n >> 15)), port: UInt16(truncatingIfNeeded: n & 0x7FFF) + 1)
    }
    static let t0 = Timestamp.zero

    @Test func containsPeerFollowsPutsRemovalsEvictionsAndExpiry() {
        var store = PeerStore(configuration: PeerStoreConfiguration(maxAge: .seconds(60), maxKeys: 10, maxPeersPerKey: 2, maxEntries: 100))
        let (a, b, c) = (Self.address(1), Self.address(2), Self.address(3))
        let (one, two) = (NodeID([UInt8](repeating: 1, count: 32)), NodeID([UInt8](repeating: 2, count: 32)))
        store.put(key: one, address: a, localAddress: nil, now: Self.t0)
        store.put(key: two, address: a, localAddress: nil, now: Self.t0)
        #expect(store.containsPeer(at: a) && !store.containsPeer(at: b))
        store.remove(key: one, address: a)
        #expect(store.containsPeer(at: a), "still announced under the other key")
        store.remove(key: two, address: a)
        #expect(!store.containsPeer(at: a))
        // Evicted when a key is full (2 peers per key): the oldest goes.
        store.put(key: one, address: a, localAddress: nil, now: Self.t0 + .seconds(1))
        store.put(key: one, address: b, localAddress: nil, now: Self.t0 + .seconds(2))
        store.put(key: one, address: c, localAddress: nil, now: Self.t0 + .seconds(3))
        #expect(!store.containsPeer(at: a) && store.containsPeer(at: b) && store.containsPeer(at: c))
        store.removeExpired(now: Self.t0 + .seconds(120))
        #expect(!store.containsPeer(at: b) && !store.containsPeer(at: c))
    }

    @Test func aMillionAnnouncementsFromDistinctAddressesStayWithinTheCaps() {
        var store = PeerStore(configuration: PeerStoreConfiguration(maxKeys: 1_000, maxPeersPerKey: 100, maxEntries: 20_000))
        var generator = SeededRandomGenerator(seed: 5)
        // 10,500 distinct keys (n mod 1,500 and n mod 7), built once.
        let keys = (0..<10_500).map { m in
            NodeID([UInt8](repeating: UInt8(truncatingIfNeeded: m % 1_500), count: 31) + [UInt8(truncatingIfNeeded: m % 7)])
        }
        for n in 0..<1_000_000 {
            store.put(key: keys[n % 10_500], address: Self.address(n), localAddress: nil,
                      now: Timestamp(nanoseconds: Int64(n) * 1_000))
            if n % 50_000 == 0 {
                #expect(store.count <= 20_000)
                #expect(store.keyCount <= 1_000)
            }
        }
        #expect(store.count <= 20_000)
        #expect(store.keyCount <= 1_000)
        // The newest announcements survived; the oldest went first.
        let newestKey = NodeID([UInt8](repeating: UInt8(truncatingIfNeeded: 999_999 % 1_500), count: 31) + [UInt8(999_999 % 7)])
        let live = store.peers(for: newestKey, now: Self.t0 + .seconds(2), using: &generator).map(\.address)
        #expect(live.contains(Self.address(999_999)))
    }

    @Test func aFloodOnOneKeyEvictsThatKeysOldestPeer() {
        var store = PeerStore(configuration: PeerStoreConfiguration(maxPeersPerKey: 3))
        let key = NodeID([UInt8](repeating: 1, count: 32))
        for n in 0..<5 { store.put(key: key, address: Self.address(n), localAddress: nil, now: Self.t0 + .seconds(n)) }
        var generator = SeededRandomGenerator(seed: 1)
        let live = Set(store.peers(for: key, now: Self.t0 + .seconds(5), using: &generator).map(\.address))
        #expect(live == [Self.address(2), Self.address(3), Self.address(4)])
    }

    @Test func expiryIsScheduledAndRefreshRestartsTheClock() {
        var store = PeerStore(configuration: PeerStoreConfiguration(maxAge: .seconds(60)))
        let key = NodeID([UInt8](repeating: 2, count: 32))
        store.put(key: key, address: Self.address(1), localAddress: nil, now: Self.t0)
        store.put(key: key, address: Self.address(2), localAddress: nil, now: Self.t0)
        #expect(store.nextExpiry == Self.t0 + .seconds(60))
        #expect(store.put(key: key, address: Self.address(2), localAddress: nil, now: Self.t0 + .seconds(30)) == .refreshed)
        #expect(store.removeExpired(now: Self.t0 + .seconds(61)) == 1)
        #expect(store.count == 1)
        #expect(store.nextExpiry == Self.t0 + .seconds(90))
        #expect(store.removeExpired(now: Self.t0 + .seconds(91)) == 1)
        #expect(store.count == 0 && store.keyCount == 0)
    }

    @Test func manyRefreshesOfOneEntryKeepTheExpiryQueueBounded() {
        var store = PeerStore()
        let key = NodeID([UInt8](repeating: 3, count: 32))
        for n in 0..<200_000 {
            store.put(key: key, address: Self.address(1), localAddress: nil, now: Self.t0 + .milliseconds(n))
        }
        #expect(store.count == 1)
        #expect(store.nextExpiry == Self.t0 + .milliseconds(199_999) + .seconds(720))
    }
}
