import IPEncoding

/// How one simulated NAT maps, filters and forgets (RFC 4787 terms), with presets for the NATs of
/// the lab (`scripts/natlab`: Linux network namespaces doing MASQUERADE).
///
/// A NAT keeps one *session* per internal endpoint and remote endpoint that have exchanged
/// datagrams – Linux's conntrack entry – and a *mapping* from an internal endpoint to a public
/// port that lives as long as any of its sessions does.
public struct NATBehaviour: Hashable, Sendable {
    /// Which public port an internal endpoint's datagrams leave from.
    public enum Mapping: Hashable, Sendable {
        /// One public port per internal endpoint, whatever the destination (RFC 4787
        /// endpoint-independent mapping), kept while any of its sessions lives. A new mapping keeps
        /// the internal port when no live mapping holds it – Linux `MASQUERADE` – and otherwise
        /// takes a random free port, as Linux does on a clash.
        ///
        /// Unlike Linux, which only needs the whole 5-tuple to be unique, a public port belongs to
        /// one internal endpoint at a time: two hosts of one LAN bound to the same port keep
        /// consistent (if different) public ports here, where Linux would move the second one to
        /// a random port only toward remotes the first one already talks to.
        case endpointIndependent
        /// A new random public port for every remote endpoint (RFC 4787 address-and-port-dependent
        /// mapping) – Linux `MASQUERADE --random-fully`. Every remote sees another port, so the port
        /// one node reports for us is useless to any other.
        case portRandomising
    }

    /// Which inbound datagrams reach the internal endpoint behind a mapped public port.
    public enum Filtering: Hashable, Sendable {
        /// Full cone: anyone, as long as the mapping lives.
        case endpointIndependent
        /// Restricted cone: any port of a host the mapping has a live session with.
        case addressDependent
        /// Port-restricted cone: only the exact remote endpoints it has live sessions with – Linux
        /// conntrack, where only the reply direction of an existing entry gets in.
        case addressAndPortDependent
    }

    /// What happens to an inbound datagram that no live session or mapping admits (conntrack
    /// state NEW).
    public enum UnsolicitedInbound: Hashable, Sendable {
        /// Dropped, without creating any state: the lab's
        /// `iptables -A INPUT/FORWARD -i WAN -m conntrack --ctstate NEW -j DROP`. (Without that rule a
        /// Linux NAT would create an entry of its own and move the next outgoing session to another
        /// port; the lab adds it, so this model has no such mode.)
        case drop
        /// Forwarded to `host` at the same port, opening a session there – the lab's full-cone
        /// emulation (`iptables -t nat -A PREROUTING -i WAN -p udp -j DNAT --to-destination HOST`).
        case forward(to: IPAddress)
    }

    /// The mapping behaviour.
    public var mapping: Mapping
    /// The filtering behaviour.
    public var filtering: Filtering
    /// When idle sessions are forgotten; `nil` keeps them forever.
    public var timeouts: NATSessionTimeouts?
    /// Whether a datagram from an internal host to the NAT's own public address loops back in
    /// (through the mapping and the filtering, as if it came from outside). Off by default, as on
    /// most home routers and on a plain Linux MASQUERADE.
    public var hairpinning: Bool
    /// What happens to inbound datagrams nothing admits.
    public var unsolicitedInbound: UnsolicitedInbound

    /// Creates a behaviour; the defaults are the lab's home router (``portPreservingRouter``).
    public init(
        mapping: Mapping = .endpointIndependent,
        filtering: Filtering = .addressAndPortDependent,
        timeouts: NATSessionTimeouts? = .lab,
        hairpinning: Bool = false,
        unsolicitedInbound: UnsolicitedInbound = .drop
    ) {
        self.mapping = mapping
        self.filtering = filtering
        self.timeouts = timeouts
        self.hairpinning = hairpinning
        self.unsolicitedInbound = unsolicitedInbound
    }

    /// The lab's NATs A and D, a typical home router: port-preserving `MASQUERADE`, only replies
    /// from the exact remote endpoint get in, unsolicited inbound is dropped, 30/40 s timeouts.
    public static let portPreservingRouter = NATBehaviour()

    /// The lab's NAT B: `MASQUERADE --random-fully` (a new port per remote endpoint), conntrack
    /// filtering, unsolicited inbound dropped, 30/40 s timeouts.
    public static let portRandomisingRouter = NATBehaviour(mapping: .portRandomising)

    /// A full-cone NAT (RFC 4787 endpoint-independent mapping and filtering): once an internal
    /// endpoint has sent anything, anyone reaches it while the mapping lives; 30/40 s timeouts.
    public static let fullCone = NATBehaviour(filtering: .endpointIndependent)

    /// A restricted-cone NAT: endpoint-independent mapping, any port of a contacted host gets in.
    public static let restrictedCone = NATBehaviour(filtering: .addressDependent)

    /// The lab's NAT C: port-preserving `MASQUERADE` plus a DNAT of every inbound UDP port to
    /// `host`, so anything reaches `host`, mapped or not.
    public static func forwardingEverything(to host: IPAddress) -> NATBehaviour {
        NATBehaviour(filtering: .endpointIndependent, unsolicitedInbound: .forward(to: host))
    }
}
