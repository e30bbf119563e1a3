/// An IPv4 or IPv6 host address, stored by value (no allocation) so it can key hot dictionaries.
public enum IPAddress: Hashable, Sendable {
    /// An IPv4 address; `bits` holds the 4 octets big-endian (first octet in the top byte).
    case v4(UInt32)
    /// An IPv6 address; `high` holds octets 0–7 and `low` octets 8–15, each big-endian.
    case v6(high: UInt64, low: UInt64)

    /// The IPv4 loopback address, 127.0.0.1.
    public static let loopbackV4 = IPAddress.v4(0x7F00_0001)
    /// The IPv6 loopback address, ::1.
    public static let loopbackV6 = IPAddress.v6(high: 0, low: 1)
    /// The IPv4 wildcard, 0.0.0.0.
    public static let anyV4 = IPAddress.v4(0)
    /// The IPv6 wildcard, ::.
    public static let anyV6 = IPAddress.v6(high: 0, low: 0)

    /// Builds an address from 4 (IPv4) or 16 (IPv6) network-order octets; `nil` for any other count.
    public init?<Bytes: Collection>(octets: Bytes) where Bytes.Element == UInt8 {
        switch octets.count {
        case 4:
            var v: UInt32 = 0
            for b in octets { v = v << 8 | UInt32(b) }
            self = .v4(v)
        case 16:
            var hi: UInt64 = 0, lo: UInt64 = 0
            for (i, b) in octets.enumerated() {
                if i < 8 { hi = hi << 8 | UInt64(b) } else { lo = lo << 8 | UInt64(b) }
            }
            self = .v6(high: hi, low: lo)
        default:
            return nil
        }
    }

    /// Builds an IPv4 address from its four octets.
    public init(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self = .v4(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d))
    }

    /// The address in network byte order: 4 octets for IPv4, 16 for IPv6.
    public var octets: [UInt8] {
        switch self {
        case .v4(let v):
            return [UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
        case .v6(let hi, let lo):
            var out = [UInt8](repeating: 0, count: 16)
            for i in 0..<8 {
                out[i] = UInt8(truncatingIfNeeded: hi >> (56 - 8 * UInt64(i)))
                out[8 + i] = UInt8(truncatingIfNeeded: lo >> (56 - 8 * UInt64(i)))
            }
            return out
        }
    }

    /// Appends the network-order octets to `buffer` without an intermediate array.
    @inlinable
    public func append(to buffer: inout [UInt8]) {
        switch self {
        case .v4(let v):
            buffer.append(UInt8(v >> 24))
            buffer.append(UInt8(truncatingIfNeeded: v >> 16))
            buffer.append(UInt8(truncatingIfNeeded: v >> 8))
            buffer.append(UInt8(truncatingIfNeeded: v))
        case .v6(let hi, let lo):
            withUnsafeBytes(of: hi.bigEndian) { buffer.append(contentsOf: $0) }
            withUnsafeBytes(of: lo.bigEndian) { buffer.append(contentsOf: $0) }
        }
    }

    /// Whether this is an IPv4 address.
    public var isIPv4: Bool {
        if case .v4 = self { return true }
        return false
    }

    /// For an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) the IPv4 address it carries; for an IPv4 address
    /// itself; `nil` for any other IPv6 address. Use it to compare what a dual-stack socket reports with IPv4.
    @inlinable
    public var unmappedIPv4: IPAddress? {
        switch self {
        case .v4: return self
        case .v6(let hi, let lo):
            guard hi == 0, lo >> 32 == 0xFFFF else { return nil }
            return .v4(UInt32(truncatingIfNeeded: lo))
        }
    }

    /// Whether the address is a loopback address (127.0.0.0/8 or ::1, also IPv4-mapped).
    public var isLoopback: Bool {
        switch unmappedIPv4 {
        case .v4(let v)?: return v >> 24 == 127
        default: return self == .loopbackV6
        }
    }

    /// Whether the address is a wildcard (0.0.0.0 or ::), which can never be a datagram's destination.
    public var isUnspecified: Bool {
        switch self {
        case .v4(let v): return v == 0
        case .v6(let hi, let lo): return hi == 0 && lo == 0
        }
    }
}

extension IPAddress: CustomStringConvertible {
    /// The canonical text form: dotted decimal for IPv4, RFC 5952 (lower case, longest zero run
    /// compressed) for IPv6. This is the form node.js reports as `rinfo.address`, which the
    /// round-trip token hashes, so it must not vary.
    public var description: String {
        switch self {
        case .v4(let v):
            return "\(v >> 24).\((v >> 16) & 0xFF).\((v >> 8) & 0xFF).\(v & 0xFF)"
        case .v6(let hi, let lo):
            var groups = [UInt16](repeating: 0, count: 8)
            for i in 0..<4 {
                groups[i] = UInt16(truncatingIfNeeded: hi >> (48 - 16 * UInt64(i)))
                groups[4 + i] = UInt16(truncatingIfNeeded: lo >> (48 - 16 * UInt64(i)))
            }
            // IPv4-mapped ::ffff:a.b.c.d keeps its dotted tail, as node.js prints it.
            if hi == 0, lo >> 32 == 0xFFFF {
                let v4 = IPAddress.v4(UInt32(truncatingIfNeeded: lo))
                return "::ffff:\(v4)"
            }
            var bestStart = -1, bestLen = 0, i = 0
            while i < 8 {
                if groups[i] == 0 {
                    var j = i
                    while j < 8 && groups[j] == 0 { j += 1 }
                    if j - i > bestLen && j - i >= 2 { bestStart = i; bestLen = j - i }
                    i = j
                } else {
                    i += 1
                }
            }
            func hex(_ range: Range<Int>) -> String {
                range.map { String(groups[$0], radix: 16) }.joined(separator: ":")
            }
            if bestStart < 0 { return hex(0..<8) }
            return hex(0..<bestStart) + "::" + hex((bestStart + bestLen)..<8)
        }
    }
}
