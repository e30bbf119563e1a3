import IPEncoding

/// Everything that can go wrong when binding a ``UDPDatagramTransport``. (Once bound, nothing
/// throws: failed sends are counted in ``UDPTransportStatistics``.)
public enum UDPTransportError: Error, Hashable, Sendable {
    /// The socket could not be bound (address in use, address not on this machine, no permission, …);
    /// `reason` is the system's description.
    case bindFailed(address: PeerAddress, reason: String)
    /// The socket bound, but reported a local address that is not IPv4 or IPv6.
    case unsupportedLocalAddress(String)
}
