import IPEncoding

/// One node's answer to "where do you see us?": the address in its `_ping` reply.
public struct AddressReport: Sendable, Hashable {
    /// The node that answered.
    public var reporter: PeerAddress
    /// The address it saw our datagram come from.
    public var observed: PeerAddress

    /// Creates a report.
    public init(reporter: PeerAddress, observed: PeerAddress) {
        self.reporter = reporter
        self.observed = observed
    }
}

/// One run of the filtering probe: we asked `referrer` to forward a `_ping` to `peer`, a node we had
/// not sent anything to, so the peer's answer reaches our NAT from an address it has no mapping toward.
public struct FilteringAttempt: Sendable, Hashable, Codable {
    /// The node asked to forward (one we had sent to, so its datagrams pass our NAT).
    public var referrer: PeerAddress
    /// The node the ping was forwarded to.
    public var peer: PeerAddress
    /// Whether we had sent anything to the peer's host (on another port) before the probe: then an
    /// answer that gets in shows only that the NAT does not filter by port.
    public var peerHostContacted: Bool
    /// Whether the peer's answer to the forwarded ping reached us.
    public var forwardedAnswerArrived: Bool
    /// Round-trip time of that answer, when it arrived.
    public var forwardedRoundTripTime: Duration?
    /// Whether the peer answered a direct `_ping` sent after the forwarded one got no answer (`nil`:
    /// not tried). An answer proves the peer was alive, so its silence was our NAT's filtering.
    public var directAnswer: Bool?

    /// Creates a record.
    public init(referrer: PeerAddress, peer: PeerAddress, peerHostContacted: Bool, forwardedAnswerArrived: Bool,
                forwardedRoundTripTime: Duration? = nil, directAnswer: Bool? = nil) {
        self.referrer = referrer
        self.peer = peer
        self.peerHostContacted = peerHostContacted
        self.forwardedAnswerArrived = forwardedAnswerArrived
        self.forwardedRoundTripTime = forwardedRoundTripTime
        self.directAnswer = directAnswer
    }
}

/// The hairpin probe: a `_ping` to our own public address, which only comes back if the NAT turns
/// datagrams for its public address around ("hairpinning").
public struct HairpinAttempt: Sendable, Hashable, Codable {
    /// Where the ping went (our public address).
    public var target: PeerAddress
    /// Whether it came back answered.
    public var answered: Bool
    /// The round-trip time, when answered.
    public var roundTripTime: Duration?

    /// Creates a record.
    public init(target: PeerAddress, answered: Bool, roundTripTime: Duration? = nil) {
        self.target = target
        self.answered = answered
        self.roundTripTime = roundTripTime
    }
}

/// Everything the classifier looks at: where we are bound, the interface addresses the operating
/// system lists, the reports of where nodes see us, and the probes' outcomes.
public struct NATProbeInputs: Sendable, Hashable {
    /// The address our socket is bound to (its host may be unspecified, `0.0.0.0`).
    public var boundAddress: PeerAddress
    /// The host addresses of our network interfaces (loopback included), as the OS lists them.
    public var interfaceAddresses: [IPAddress]
    /// One report per node (the latest, when a node reported more than once).
    public var reports: [AddressReport]
    /// Filtering probe runs, in the order they ran (empty: not run).
    public var filtering: [FilteringAttempt]
    /// The hairpin probe (`nil`: not run).
    public var hairpin: HairpinAttempt?

    /// Creates inputs.
    public init(boundAddress: PeerAddress, interfaceAddresses: [IPAddress], reports: [AddressReport],
                filtering: [FilteringAttempt] = [], hairpin: HairpinAttempt? = nil) {
        self.boundAddress = boundAddress
        self.interfaceAddresses = interfaceAddresses
        self.reports = reports
        self.filtering = filtering
        self.hairpin = hairpin
    }

    /// The endpoints a datagram of ours leaves from before any NAT: the bound address itself when
    /// bound to one host, otherwise every interface address of the bound family with the bound port. An
    /// unspecified host never counts as an address other nodes could see.
    public var localAddresses: [PeerAddress] {
        if !boundAddress.host.isUnspecified { return [boundAddress] }
        var seen = Set<IPAddress>()
        return interfaceAddresses.filter { !$0.isUnspecified && $0.isIPv4 == boundAddress.host.isIPv4 && seen.insert($0).inserted }
            .map { PeerAddress(host: $0, port: boundAddress.port) }
    }
}

/// The latest filtering and hairpin probe outcomes of a long-running node (the monitor's probe
/// records them; ``NATProbeInputs`` takes them with the address reports).
public struct NATProbeResults: Sendable, Hashable, Codable {
    /// The latest filtering probe round (empty: none ran yet).
    public var filtering: [FilteringAttempt]
    /// The latest hairpin probe (`nil`: none ran yet).
    public var hairpin: HairpinAttempt?
    /// The socket the probes ran from, when it was not the node's own (the monitor probes from a fresh
    /// one): its public address as the nodes saw it.
    public var probeSocket: PeerAddress?

    /// Creates results.
    public init(filtering: [FilteringAttempt] = [], hairpin: HairpinAttempt? = nil, probeSocket: PeerAddress? = nil) {
        self.filtering = filtering
        self.hairpin = hairpin
        self.probeSocket = probeSocket
    }
}
