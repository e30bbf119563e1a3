import IPEncoding

/// Everything that can go wrong when setting up a ``SimulatedNetwork``.
public enum SimulationError: Error, Hashable, Sendable {
    /// Another endpoint is already bound to this address.
    case addressInUse(PeerAddress)
    /// Every ephemeral port (49152–65535) on this host is taken.
    case noFreePort(IPAddress)
    /// A wildcard host (0.0.0.0 or ::) was given where a concrete host is required.
    case unspecifiedHost(IPAddress)
    /// Link conditions were out of range; the text says which value and why.
    case invalidConditions(String)
    /// The host is already part of another NAT (as its public or an internal address).
    case hostAlreadyInNAT(IPAddress)
}
