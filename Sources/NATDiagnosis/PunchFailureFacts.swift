import IPEncoding

/// What the follow-up probes of a failed punch found: the input of ``PunchFailureClassifier``.
/// `nil` means "not probed" – the classifier never reads a missing probe as an answer either way.
public struct PunchFailureFacts: Sendable, Equatable {
    /// Where one node sees us (its `_ping` answer): the same record netcheck's classifier reads.
    public typealias Observation = AddressReport

    /// Where a node that returned the peer in a lookup sees it (each storing node records the
    /// address the peer's announce came from).
    public struct PeerSighting: Sendable, Equatable, Hashable {
        /// The node that returned the peer.
        public var reportedBy: PeerAddress
        /// The peer's address as that node has it.
        public var address: PeerAddress

        /// Creates a sighting.
        public init(reportedBy: PeerAddress, address: PeerAddress) {
            self.reportedBy = reportedBy
            self.address = address
        }
    }

    /// A punch to the same peer through another node that returned it.
    public struct AlternatePunch: Sendable, Equatable {
        /// The other referrer.
        public var referrer: PeerAddress
        /// Whether the peer answered.
        public var answered: Bool

        /// Creates a record of one alternate punch.
        public init(referrer: PeerAddress, answered: Bool) {
            self.referrer = referrer
            self.answered = answered
        }
    }

    /// The punched peer.
    public var peer: PeerAddress
    /// The referrer asked to forward.
    public var referrer: PeerAddress
    /// Whether the referrer answered a direct `_ping`.
    public var referrerAnswered: Bool?
    /// How many nodes other than the referrer were pinged to learn where they see us.
    public var otherNodesAsked = 0
    /// Where the nodes that answered (the referrer included) see us.
    public var observations: [Observation] = []
    /// Our own hosts (the bound address and the interface addresses): when nodes see us at one of
    /// them we are not behind a NAT. Empty: not known.
    public var localHosts: Set<IPAddress> = []
    /// Answers that came from the peer's host but another port than the one we punched (our socket
    /// drops them): the peer's NAT used a new port toward us.
    public var unexpectedAnswers: [PeerAddress] = []
    /// Where other nodes that returned the peer see it (from the lookup that found it), if known.
    public var peerSightings: [PeerSighting] = []
    /// Whether the punch sent direct `_ping`s to the peer (``HolepunchOptions/opensOwnMapping``), so
    /// our NAT held a mapping toward the peer when its answer came.
    public var punchOpenedOwnMapping = true
    /// Whether the peer answered a direct `_ping` sent after the punch failed (our NAT has a
    /// mapping toward it by then).
    public var peerAnsweredDirectPing: Bool?
    /// Punches through other nodes that returned the peer, and whether the peer answered them.
    public var alternatePunches: [AlternatePunch] = []
    /// How long before the failure we last heard from the peer's address, if ever.
    public var lastHeardFromPeer: Duration?

    /// Creates facts about a punch to `peer` through `referrer`; fill in what the probes found.
    public init(peer: PeerAddress, referrer: PeerAddress) {
        self.peer = peer
        self.referrer = referrer
    }
}

extension PunchFailureFacts {
    /// The distinct addresses the nodes that answered see us at, in the order first reported.
    public var observedAddresses: [PeerAddress] {
        var seen: Set<PeerAddress> = []
        return observations.map(\.observed).filter { seen.insert($0).inserted }
    }

    /// Whether we are behind a NAT: `true` when a node sees us at a host that is not ours, `false`
    /// when every node sees one of our hosts, `nil` when no node answered or our hosts are unknown.
    public var behindNAT: Bool? {
        guard !observations.isEmpty, !localHosts.isEmpty else { return nil }
        return observations.contains { !localHosts.contains($0.observed.host) }
    }

    /// Whether our NAT gives different destinations different public addresses: `nil` with fewer
    /// than two reporters (nothing to compare).
    public var ourMappingVariesByDestination: Bool? {
        guard Set(observations.map(\.reporter)).count >= 2 else { return nil }
        return observedAddresses.count > 1
    }

    /// Ports of the peer's host that the nodes storing its announcement disagree on: more distinct
    /// ports than any one node reports means each node saw the peer at another port (two consistent
    /// peers behind one NAT give every node the same two ports, which does not count).
    public var peerPortsVaryingByDestination: [UInt16] {
        let sightings = peerSightings.filter { $0.address.host == peer.host }
        let ports = Set(sightings.map(\.address.port))
        let perReporter = Dictionary(grouping: sightings, by: \.reportedBy).values.map { Set($0.map(\.address.port)).count }
        guard ports.count > (perReporter.max() ?? 0) else { return [] }
        return ports.sorted()
    }

    /// Answers from the peer's host at a port other than the one punched.
    public var answersFromAnotherPeerPort: [PeerAddress] {
        unexpectedAnswers.filter { $0.host == peer.host && $0.port != peer.port }
    }
}
