/// Which kind of address a compact record holds: it fixes the record's size.
public enum AddressFamily: Hashable, Sendable {
    /// 4 address octets; a peer record is 6 bytes (ipv4-peers, the only family the reference speaks).
    case ipv4
    /// 16 address octets; a peer record is 18 bytes.
    case ipv6

    /// The number of address octets: 4 or 16.
    @inlinable
    public var addressLength: Int {
        switch self {
        case .ipv4: return 4
        case .ipv6: return 16
        }
    }

    /// The size of one compact peer record (address octets plus a 2-byte big-endian port): 6 or 18.
    @inlinable
    public var peerRecordLength: Int { addressLength + 2 }

    /// Whether `address` can be written in this family's records. IPv4 records also take IPv4-mapped
    /// IPv6 addresses (`::ffff:a.b.c.d`), which a dual-stack socket reports for IPv4 peers.
    @inlinable
    public func canEncode(_ address: IPAddress) -> Bool {
        switch (self, address) {
        case (.ipv4, .v4), (.ipv6, .v6): return true
        case (.ipv4, .v6): return address.unmappedIPv4 != nil
        case (.ipv6, .v4): return false
        }
    }
}
