/// A UDP endpoint: a host address and a port. The unit every datagram is sent to and received from.
public struct PeerAddress: Hashable, Sendable {
    /// The host part.
    public var host: IPAddress
    /// The UDP port, host byte order.
    public var port: UInt16

    /// Creates an endpoint from a host and a port.
    public init(host: IPAddress, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// The port hyperdht assumes when a bootstrap address names no port.
    public static let defaultBootstrapPort: UInt16 = 49737
}

extension PeerAddress: CustomStringConvertible {
    /// `1.2.3.4:5678` for IPv4, `[::1]:5678` for IPv6 – the form ``init(parsing:defaultPort:allowsPortZero:)`` reads back.
    public var description: String {
        switch host {
        case .v4: return "\(host):\(port)"
        case .v6: return "[\(host)]:\(port)"
        }
    }
}
