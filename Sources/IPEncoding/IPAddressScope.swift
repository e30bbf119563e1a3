/// The kind of network an IP address belongs to, as far as the address alone tells: used to decide
/// where a node may send datagrams on someone else's behalf (a hole-punch forward must never reach a
/// service on the node's own loopback or LAN for a requester from outside it).
public enum IPAddressScope: Hashable, Sendable {
    /// 0.0.0.0/8 or `::` – never a destination.
    case unspecified
    /// 127.0.0.0/8 or `::1`.
    case loopback
    /// 224.0.0.0/4 or ff00::/8.
    case multicast
    /// 255.255.255.255, the limited broadcast address.
    case broadcast
    /// 240.0.0.0/4 (reserved, never routed) other than the broadcast address.
    case reserved
    /// A private or link-local block: reachable only from inside it.
    case privateBlock(PrivateAddressBlock)
    /// Anything else: a globally routed address.
    case global

    /// Whether a datagram may never be sent to such an address on a peer's behalf, whoever asks.
    public var isNeverForwardable: Bool {
        switch self {
        case .unspecified, .multicast, .broadcast, .reserved: return true
        case .loopback, .privateBlock, .global: return false
        }
    }
}

/// The private and link-local address blocks that ``IPAddressScope/privateBlock(_:)`` names.
public enum PrivateAddressBlock: String, Hashable, Sendable, CaseIterable {
    /// 10.0.0.0/8 (RFC 1918).
    case ten = "10.0.0.0/8"
    /// 172.16.0.0/12 (RFC 1918).
    case oneSevenTwo = "172.16.0.0/12"
    /// 192.168.0.0/16 (RFC 1918).
    case oneNineTwo = "192.168.0.0/16"
    /// 100.64.0.0/10, carrier-grade NAT's shared space (RFC 6598).
    case sharedCGNAT = "100.64.0.0/10"
    /// 169.254.0.0/16, IPv4 link-local (RFC 3927).
    case linkLocalV4 = "169.254.0.0/16"
    /// fc00::/7, IPv6 unique local addresses (RFC 4193).
    case uniqueLocalV6 = "fc00::/7"
    /// fe80::/10, IPv6 link-local.
    case linkLocalV6 = "fe80::/10"
}

extension IPAddress {
    /// The scope of this address (IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry).
    public var scope: IPAddressScope {
        if let v4 = unmappedIPv4, case .v4(let value) = v4 {
            let a = value >> 24, b = (value >> 16) & 0xFF
            switch a {
            case 0: return .unspecified
            case 127: return .loopback
            case 10: return .privateBlock(.ten)
            case 172 where b & 0xF0 == 16: return .privateBlock(.oneSevenTwo)
            case 192 where b == 168: return .privateBlock(.oneNineTwo)
            case 100 where b & 0xC0 == 64: return .privateBlock(.sharedCGNAT)
            case 169 where b == 254: return .privateBlock(.linkLocalV4)
            case 224...239: return .multicast
            case 240...255: return value == 0xFFFF_FFFF ? .broadcast : .reserved
            default: return .global
            }
        }
        guard case .v6(let high, let low) = self else { return .global }
        if high == 0 && low == 0 { return .unspecified }
        if high == 0 && low == 1 { return .loopback }
        let top = high >> 56
        if top == 0xFF { return .multicast }
        if top & 0xFE == 0xFC { return .privateBlock(.uniqueLocalV6) }
        if high >> 54 == 0x3FA { return .privateBlock(.linkLocalV6) }  // fe80::/10
        return .global
    }
}
