import IPEncoding

/// The one-line answer to "can other nodes reach us?" (raw values are the `netcheck --json` contract).
public enum NATVerdict: String, Sendable, Codable, CaseIterable {
    /// Not behind a NAT (or behind one that lets anyone in): peers reach us without punching.
    case reachableDirectly = "reachable-directly"
    /// A NAT with one public address for every destination: punching works with peers whose NAT is
    /// consistent too.
    case punchingWorksWithConsistentPeers = "punching-works-with-consistent-peers"
    /// The NAT gives each destination another port: a peer cannot know where to answer.
    case punchingUnlikelyPortRandomising = "punching-unlikely-port-randomising"
    /// Not enough evidence yet.
    case unknown
}

/// Which line of the report a piece of evidence supports.
public enum NATReportLine: String, Sendable, Codable, CaseIterable {
    /// Where we are bound and which interface addresses we have.
    case localAddresses = "local-addresses"
    /// Which node saw us at which address.
    case publicAddress = "public-address"
    /// How the reports compare (the mapping behaviour).
    case mapping
    /// Whether the NAT kept our port.
    case portPreserving = "port-preserving"
    /// What the filtering probe got.
    case filtering
    /// What the hairpin probe got.
    case hairpinning
}

/// One fact behind a line of the report, in words.
public struct NATEvidence: Sendable, Hashable, Codable {
    /// The line it supports.
    public var line: NATReportLine
    /// The fact (`1.2.3.4:49737 sees us at 5.6.7.8:4000`).
    public var text: String

    /// Creates a piece of evidence.
    public init(_ line: NATReportLine, _ text: String) {
        self.line = line
        self.text = text
    }
}

/// What the classifier concluded from one set of ``NATProbeInputs``: each line of a NAT diagnosis and
/// the evidence behind it. Encodes to the `netcheck --json` contract (absent values as `null`).
public struct NATReport: Sendable, Hashable {
    /// The endpoints our datagrams leave from before any NAT.
    public var localAddresses: [PeerAddress]
    /// The address most nodes see us at (`nil`: nobody reported yet).
    public var publicAddress: PeerAddress?
    /// How many nodes reported where they see us.
    public var reporters: Int
    /// How the NAT maps our endpoint.
    public var mapping: MappingBehaviour
    /// Whether the NAT kept our bound port (`nil`: no NAT, or not known).
    public var portPreserving: Bool?
    /// Which unsolicited datagrams get in.
    public var filtering: FilteringBehaviour
    /// Whether a datagram to our own public address comes back (`nil`: not tested, or no NAT).
    public var hairpinning: Bool?
    /// The overall answer.
    public var verdict: NATVerdict
    /// The overall answer as a sentence for people.
    public var verdictText: String
    /// The facts behind every line, in report order.
    public var evidence: [NATEvidence]

    /// Creates a report.
    public init(localAddresses: [PeerAddress], publicAddress: PeerAddress?, reporters: Int, mapping: MappingBehaviour,
                portPreserving: Bool?, filtering: FilteringBehaviour, hairpinning: Bool?, verdict: NATVerdict,
                verdictText: String, evidence: [NATEvidence]) {
        self.localAddresses = localAddresses
        self.publicAddress = publicAddress
        self.reporters = reporters
        self.mapping = mapping
        self.portPreserving = portPreserving
        self.filtering = filtering
        self.hairpinning = hairpinning
        self.verdict = verdict
        self.verdictText = verdictText
        self.evidence = evidence
    }

    /// The evidence for one line.
    public func evidence(for line: NATReportLine) -> [NATEvidence] {
        evidence.filter { $0.line == line }
    }
}

extension NATReport: Codable {
    private enum CodingKeys: String, CodingKey {
        case type, localAddresses, publicAddress, reporters, mapping, portPreserving, filtering, hairpinning
        case verdict, verdictText, evidence
    }

    /// The JSON form of an address: `{"host":"1.2.3.4","port":5}`.
    private struct Endpoint: Codable {
        var host: String
        var port: UInt16

        init(_ address: PeerAddress) {
            host = "\(address.host)"
            port = address.port
        }

        func address(codingPath: [any CodingKey]) throws -> PeerAddress {
            guard let ip = IPAddress(host) else {
                throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "not an IP address: \(host)"))
            }
            return PeerAddress(host: ip, port: port)
        }
    }

    /// Writes the contract's object: `type` is `"netcheck"`, absent values are `null`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("netcheck", forKey: .type)
        try container.encode(localAddresses.map(Endpoint.init), forKey: .localAddresses)
        if let publicAddress { try container.encode(Endpoint(publicAddress), forKey: .publicAddress) } else {
            try container.encodeNil(forKey: .publicAddress)
        }
        try container.encode(reporters, forKey: .reporters)
        try container.encode(mapping, forKey: .mapping)
        if let portPreserving { try container.encode(portPreserving, forKey: .portPreserving) } else {
            try container.encodeNil(forKey: .portPreserving)
        }
        try container.encode(filtering, forKey: .filtering)
        if let hairpinning { try container.encode(hairpinning, forKey: .hairpinning) } else {
            try container.encodeNil(forKey: .hairpinning)
        }
        try container.encode(verdict, forKey: .verdict)
        try container.encode(verdictText, forKey: .verdictText)
        try container.encode(evidence, forKey: .evidence)
    }

    /// Reads the contract's object back (for tests and tools that consume `netcheck --json`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let path = container.codingPath
        localAddresses = try container.decode([Endpoint].self, forKey: .localAddresses).map { try $0.address(codingPath: path) }
        publicAddress = try container.decodeIfPresent(Endpoint.self, forKey: .publicAddress)?.address(codingPath: path)
        reporters = try container.decode(Int.self, forKey: .reporters)
        mapping = try container.decode(MappingBehaviour.self, forKey: .mapping)
        portPreserving = try container.decodeIfPresent(Bool.self, forKey: .portPreserving)
        filtering = try container.decode(FilteringBehaviour.self, forKey: .filtering)
        hairpinning = try container.decodeIfPresent(Bool.self, forKey: .hairpinning)
        verdict = try container.decode(NATVerdict.self, forKey: .verdict)
        verdictText = try container.decode(String.self, forKey: .verdictText)
        evidence = try container.decode([NATEvidence].self, forKey: .evidence)
    }
}
