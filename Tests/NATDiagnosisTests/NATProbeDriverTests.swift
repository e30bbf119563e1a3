import DHTRPC
import IPEncoding
import KBucket
import NATDiagnosis
import NetworkSimulation
import Testing
import UDPRequest

/// The probe driver on a simulated network: public nodes around one bootstrap node, and a prober
/// either public or behind a NAT of a known kind; netcheck must classify each kind correctly.
@Suite struct NATProbeDriverTests {
    // Global addresses (TEST-NET-2): a referrer forwards to a private block only for requesters inside it.
    static let bootstrapHost = IPAddress(198, 51, 100, 1)
    static let natPublic = IPAddress(203, 0, 113, 7)
    static let natInternal = IPAddress(192, 168, 1, 2)
    static let proberPort: UInt16 = 4000

    /// A bootstrap node and `plainNodes` public nodes, joined.
    final class Network {
        let simulation: SimulatedNetwork
        var nodes: [DHTNode] = []

        init(seed: UInt64, plainNodes: Int = 6, policy: any NetworkPathPolicy) throws {
            simulation = try SimulatedNetwork(seed: seed, conditions: LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(2)))
            simulation.pathPolicy = policy
            for index in 0...plainNodes {
                var configuration = DHTNodeConfiguration()
                if index > 0 { configuration.bootstrap = [PeerAddress(host: NATProbeDriverTests.bootstrapHost, port: 49737)] }
                let node = try DHTNode(configuration: configuration,
                                       transport: try simulation.bind(host: IPAddress(198, 51, 100, UInt8(index + 1)), port: 49737),
                                       scheduler: simulation.scheduler, random: .seeded(seed &+ UInt64(index)))
                nodes.append(node)
                node.start()
                _ = simulation.scheduler.run(for: .milliseconds(50))
            }
            _ = simulation.scheduler.run(for: .seconds(5))
        }

        var bootstrap: PeerAddress { nodes[0].localAddress }

        /// Runs netcheck from a fresh ephemeral node bound at `host` (interfaces: loopback and `host`).
        func netcheck(from host: IPAddress, bootstrap: [PeerAddress]? = nil, ignoring: Set<NodeID> = [],
                      previouslyContacted: Set<PeerAddress> = []) throws -> NATProbeRun {
            let transport = try simulation.bind(host: host, port: NATProbeDriverTests.proberPort)
            let prober = try DHTNode(configuration: DHTNodeConfiguration(ephemeral: true), transport: transport,
                                     scheduler: simulation.scheduler, random: .seeded(99))
            prober.start()
            let driver = NATProbeDriver(node: prober, boundAddress: prober.localAddress,
                                        interfaceAddresses: [.loopbackV4, host])
            var result: NATProbeRun?
            driver.run(bootstrap: bootstrap ?? [self.bootstrap], previouslyContacted: previouslyContacted,
                       ignoring: ignoring) { result = $0 }
            let deadline = simulation.scheduler.now + .seconds(30)
            while result == nil && simulation.scheduler.now < deadline { _ = simulation.scheduler.run(for: .milliseconds(10)) }
            prober.close()
            guard let result else { throw ProbeDidNotFinish() }
            return result
        }
    }

    struct ProbeDidNotFinish: Error {}

    static func coneNAT(_ filtering: ConeNATPolicy.Filtering) throws -> ConeNATPolicy {
        let nat = ConeNATPolicy()
        try nat.addNAT(publicHost: natPublic, internalHosts: [natInternal, IPAddress(192, 168, 1, 3)], filtering: filtering)
        return nat
    }

    @Test func aPublicNodeIsReachableDirectlyWithOpenFiltering() throws {
        let network = try Network(seed: 1, policy: DirectPathPolicy())
        let run = try network.netcheck(from: IPAddress(198, 51, 100, 50))
        let report = run.report
        #expect(run.bootstrapAnswered == [network.bootstrap])
        #expect(report.mapping == .none)
        #expect(report.filtering == .open)
        #expect(report.hairpinning == nil)
        #expect(report.verdict == .reachableDirectly)
        #expect(report.reporters >= 4)
        #expect(report.publicAddress == PeerAddress(host: IPAddress(198, 51, 100, 50), port: Self.proberPort))
        #expect(!run.hitDeadline)
    }

    @Test(arguments: [ConeNATPolicy.Filtering.addressDependent, .addressAndPortDependent])
    func aHomeRouterNATIsConsistentAndFiltersStrangers(filtering: ConeNATPolicy.Filtering) throws {
        let network = try Network(seed: 2, policy: try Self.coneNAT(filtering))
        let run = try network.netcheck(from: Self.natInternal)
        let report = run.report
        #expect(report.mapping == .endpointIndependent)
        #expect(report.portPreserving == true)
        #expect(report.publicAddress == PeerAddress(host: Self.natPublic, port: Self.proberPort))
        #expect(report.filtering == .addressDependent)
        #expect(report.hairpinning == false)  // the simulated NAT does not hairpin
        #expect(report.verdict == .punchingWorksWithConsistentPeers)
        #expect(report.reporters >= 4)
        // Every filtering probe went to a node on a host we had not sent to.
        #expect(!run.inputs.filtering.isEmpty)
        #expect(run.inputs.filtering.allSatisfy { !$0.peerHostContacted && !$0.forwardedAnswerArrived })
    }

    @Test func aFullConeNATLetsTheUnsolicitedAnswerIn() throws {
        let network = try Network(seed: 3, policy: try Self.coneNAT(.endpointIndependent))
        let report = try network.netcheck(from: Self.natInternal).report
        #expect(report.mapping == .endpointIndependent)
        #expect(report.filtering == .endpointIndependent)
        #expect(report.verdict == .reachableDirectly)
    }

    @Test func aSymmetricNATIsPortRandomising() throws {
        let network = try Network(seed: 4, policy: SymmetricNATPolicy(publicHost: Self.natPublic, internalHost: Self.natInternal))
        let report = try network.netcheck(from: Self.natInternal).report
        #expect(report.mapping == .portRandomising)
        #expect(report.portPreserving == false)
        #expect(report.filtering == .addressDependent)
        #expect(report.verdict == .punchingUnlikelyPortRandomising)
    }

    @Test func deadContactsLeaveFilteringUnknownAndTheMappingNeedsReporters() throws {
        let network = try Network(seed: 5, plainNodes: 3, policy: try Self.coneNAT(.addressDependent))
        for node in network.nodes.dropFirst() { node.close() }
        let run = try network.netcheck(from: Self.natInternal)
        let report = run.report
        #expect(run.contactsListed == 3)
        #expect(report.reporters == 1)
        #expect(report.mapping == .unknown)
        #expect(report.filtering == .unknown)
        #expect(report.verdict == .unknown)
        #expect(run.inputs.filtering.allSatisfy { $0.directAnswer == false })
    }

    @Test func noBootstrapAnswerEndsWithNoReports() throws {
        let network = try Network(seed: 6, plainNodes: 1, policy: DirectPathPolicy())
        let run = try network.netcheck(from: IPAddress(198, 51, 100, 50), bootstrap: [PeerAddress(host: IPAddress(10, 0, 9, 9), port: 1)])
        #expect(run.bootstrapAnswered.isEmpty)
        #expect(run.inputs.reports.isEmpty)
        #expect(run.report.verdict == .unknown)
    }

    @Test func ignoredNodesAreNotProbedAndContactedOnesAreNoFilteringCandidates() throws {
        let network = try Network(seed: 8, plainNodes: 4, policy: try Self.coneNAT(.addressDependent))
        let plain = network.nodes.dropFirst()
        let ignored = try network.netcheck(from: Self.natInternal, ignoring: Set(plain.prefix(2).map(\.id)))
        #expect(!ignored.inputs.reports.contains { $0.reporter == plain.first?.localAddress })
        #expect(ignored.inputs.filtering.count == 2)

        let contacted = Set(plain.prefix(3).map(\.localAddress))
        let run = try network.netcheck(from: IPAddress(192, 168, 1, 3), previouslyContacted: contacted)
        #expect(run.inputs.filtering.map(\.peer) == [plain.last?.localAddress])
        #expect(run.inputs.reports.count == 5)
    }

    @Test func theProbeSendsABoundedNumberOfDatagrams() throws {
        let network = try Network(seed: 7, plainNodes: 30, policy: try Self.coneNAT(.addressDependent))
        var sentByProber = 0
        network.simulation.trace = { event in if event.sender.host == Self.natInternal { sentByProber += 1 } }
        let run = try network.netcheck(from: Self.natInternal)
        // find_node + ping to the bootstrap, ≤ 8 forwards, ≤ 8 pings, 1 hairpin ping.
        #expect(sentByProber <= 2 + 8 + 8 + 1)
        #expect(run.report.reporters == 9)
    }
}

/// A NAT that gives every destination its own public port (an address-and-port-dependent mapping, as
/// `MASQUERADE --random-fully` does) and admits only answers from endpoints the mapping sent to.
final class SymmetricNATPolicy: NetworkPathPolicy {
    let publicHost: IPAddress
    let internalHost: IPAddress
    private var portByFlow: [PeerAddress: [PeerAddress: UInt16]] = [:]
    private var flowByPort: [UInt16: (internal: PeerAddress, remote: PeerAddress)] = [:]
    private var nextPort: UInt16 = 20_011

    init(publicHost: IPAddress, internalHost: IPAddress) {
        self.publicHost = publicHost
        self.internalHost = internalHost
    }

    func translateOutbound(from sender: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress? {
        guard sender.host == internalHost else { return sender }
        if destination.host == publicHost { return nil }
        if let port = portByFlow[sender]?[destination] { return PeerAddress(host: publicHost, port: port) }
        let port = nextPort
        nextPort &+= 7919 % 1000 + 13  // scattered, deterministic
        if nextPort < 1024 { nextPort &+= 1024 }
        portByFlow[sender, default: [:]][destination] = port
        flowByPort[port] = (sender, destination)
        return PeerAddress(host: publicHost, port: port)
    }

    func translateInbound(from source: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress? {
        if destination.host == publicHost {
            guard let flow = flowByPort[destination.port], flow.remote == source else { return nil }
            return flow.internal
        }
        if destination.host == internalHost { return nil }
        return destination
    }
}
