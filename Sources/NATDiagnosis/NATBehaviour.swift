/// How a NAT picks the public endpoint for an internal one (RFC 4787 "mapping behaviour"), as far as
/// the addresses other nodes report can tell.
public enum MappingBehaviour: String, Sendable, Codable, CaseIterable {
    /// No translation: nodes see the address we are bound to.
    case none
    /// One public endpoint for every destination (a "cone" NAT): hole punching can work.
    case endpointIndependent = "endpoint-independent"
    /// The public endpoint changes with the destination, but not at random (e.g. per destination host).
    case variesByDestination = "varies-by-destination"
    /// A new, unpredictable public port per destination: a peer cannot guess where to answer.
    case portRandomising = "port-randomising"
    /// Not enough reports to tell.
    case unknown
}

/// Which unsolicited datagrams a NAT lets in to a mapped endpoint (RFC 4787 "filtering behaviour").
public enum FilteringBehaviour: String, Sendable, Codable, CaseIterable {
    /// Not behind a NAT, and datagrams from strangers arrive.
    case open
    /// A datagram from a node we never sent to got in ("full cone").
    case endpointIndependent = "endpoint-independent"
    /// Only nodes we sent to get in (address-dependent or address-and-port-dependent: home routers).
    case addressDependent = "address-dependent"
    /// Not tested or inconclusive.
    case unknown
}
