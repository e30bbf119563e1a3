import IPEncoding
import NetworkSimulation
import Testing
import UDPRequest

/// Which inbound datagrams each filtering kind admits, through the cone-NAT API that predates
/// timeouts (`addNAT(publicHost:internalHosts:filtering:)`, mappings that never expire), plus the
/// rules every NAT shares: unsolicited inbound is dropped without leaving state, private addresses
/// are unreachable from outside, hosts of one LAN talk directly.
@Suite struct NATFilteringTests {
    let publicIP = IPAddress(203, 0, 113, 1)
    let lanIP = IPAddress(192, 168, 1, 10)

    /// A network with one NAT hiding `lanIP` behind `publicIP`, an internal node, and two public
    /// servers on one host plus a third on another host.
    func makeNetwork(filtering: ConeNATPolicy.Filtering) throws -> (SimulatedNetwork, ConeNATPolicy, SimulatedTransport, [SimulatedTransport]) {
        let network = SimulatedNetwork(seed: 1)
        let nat = ConeNATPolicy()
        try nat.addNAT(publicHost: publicIP, internalHosts: [lanIP], filtering: filtering)
        network.pathPolicy = nat
        let inside = try network.bind(host: lanIP, port: 5000)
        let servers = [
            try network.bind(host: host(1), port: 1),
            try network.bind(host: host(1), port: 2),
            try network.bind(host: host(2), port: 1),
        ]
        return (network, nat, inside, servers)
    }

    @Test func outboundTrafficAppearsFromTheMappedPublicAddressAndRepliesGetBack() throws {
        let (network, nat, inside, servers) = try makeNetwork(filtering: .addressAndPortDependent)
        let insideInbox = Inbox(inside)
        var observed: PeerAddress?
        servers[0].setReceiver { bytes, source in
            observed = source
            servers[0].send(bytes + [0xFF], to: source)
        }
        inside.send([1], to: servers[0].localAddress)
        network.scheduler.runUntilIdle()
        #expect(observed == PeerAddress(host: publicIP, port: 5000), "port preserved when free")
        #expect(nat.publicAddress(of: inside.localAddress) == observed)
        #expect(insideInbox.payloads == [[1, 0xFF]])
        #expect(insideInbox.datagrams.first?.source == servers[0].localAddress)
    }

    @Test func portRestrictedNATDropsUnsolicitedAndOtherPorts() throws {
        let (network, _, inside, servers) = try makeNetwork(filtering: .addressAndPortDependent)
        let insideInbox = Inbox(inside)
        let mapped = PeerAddress(host: publicIP, port: 5000)
        servers[0].send([0], to: mapped)  // before any mapping exists
        network.scheduler.runUntilIdle()
        inside.send([1], to: servers[0].localAddress)
        network.scheduler.runUntilIdle()
        servers[1].send([2], to: mapped)  // same host, other port
        servers[2].send([3], to: mapped)  // other host
        servers[0].send([4], to: mapped)  // the contacted endpoint
        servers[0].send([5], to: PeerAddress(host: lanIP, port: 5000))  // private address from outside
        network.scheduler.runUntilIdle()
        #expect(insideInbox.payloads == [[4]])
        #expect(network.statistics.datagramsFiltered == 4)
    }

    @Test func restrictedConeAdmitsAnyPortOfAContactedHost() throws {
        let (network, _, inside, servers) = try makeNetwork(filtering: .addressDependent)
        let insideInbox = Inbox(inside)
        inside.send([1], to: servers[0].localAddress)
        network.scheduler.runUntilIdle()
        let mapped = PeerAddress(host: publicIP, port: 5000)
        servers[1].send([2], to: mapped)
        servers[2].send([3], to: mapped)
        network.scheduler.runUntilIdle()
        #expect(insideInbox.payloads == [[2]])
    }

    @Test func fullConeAdmitsAnyoneOnceMapped() throws {
        let (network, _, inside, servers) = try makeNetwork(filtering: .endpointIndependent)
        let insideInbox = Inbox(inside)
        let mapped = PeerAddress(host: publicIP, port: 5000)
        servers[2].send([0], to: mapped)
        network.scheduler.runUntilIdle()
        inside.send([1], to: servers[0].localAddress)
        network.scheduler.runUntilIdle()
        servers[2].send([3], to: mapped)
        network.scheduler.runUntilIdle()
        #expect(insideInbox.payloads == [[3]])
    }

    @Test func hostsBehindTheSameNATTalkDirectly() throws {
        let network = SimulatedNetwork(seed: 1)
        let nat = ConeNATPolicy()
        let lan2 = IPAddress(192, 168, 1, 11)
        try nat.addNAT(publicHost: publicIP, internalHosts: [lanIP, lan2], filtering: .addressAndPortDependent)
        network.pathPolicy = nat
        let a = try network.bind(host: lanIP)
        let b = try network.bind(host: lan2)
        let inbox = Inbox(b)
        a.send([7], to: b.localAddress)
        network.scheduler.runUntilIdle()
        #expect(inbox.datagrams.first?.source == a.localAddress)
    }

    @Test func aHostCannotJoinTwoNATs() throws {
        let nat = ConeNATPolicy()
        try nat.addNAT(publicHost: publicIP, internalHosts: [lanIP], filtering: .endpointIndependent)
        #expect(throws: SimulationError.hostAlreadyInNAT(lanIP)) {
            try nat.addNAT(publicHost: IPAddress(203, 0, 113, 2), internalHosts: [lanIP], filtering: .endpointIndependent)
        }
    }

    @Test func anUnsolicitedDatagramIsDroppedWithoutStateSoTheLaterMappingKeepsItsPort() throws {
        let lab = try NATFixture(.portPreservingRouter)
        let sources = lab.recordSources()
        lab.at(0) { lab.servers[0].send([0], to: lab.mapped) }  // the punch that arrives first
        lab.at(1) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        #expect(lab.nat.drops[.noMapping] == 1)
        #expect(lab.inbox.payloads.isEmpty)
        #expect(sources[0].datagrams.map(\.source) == [lab.mapped], "the NEW-drop rule keeps the port")
    }

    @Test func theLabsFullConeEmulationForwardsEveryPortToItsHostAndAnswersFromThatPort() throws {
        let lab = try NATFixture(.forwardingEverything(to: NATFixture.lanIP))
        let sources = lab.recordSources()
        lab.inside.setReceiver { bytes, source in lab.inside.send(bytes + [0xFF], to: source) }
        lab.at(0) { lab.servers[2].send([7], to: lab.mapped) }  // nothing sent out before
        lab.at(1) { lab.servers[1].send([8], to: PeerAddress(host: NATFixture.publicIP, port: 6000)) }  // nobody there
        #expect(sources[2].datagrams.map(\.source) == [lab.mapped])
        #expect(sources[2].payloads == [[7, 0xFF]])
        #expect(lab.network.statistics.datagramsUndeliverable == 1, "forwarded to 192.168.1.10:6000, where nothing listens")
        #expect(lab.nat.drops.isEmpty)
    }

    @Test func anInternalAddressIsUnreachableFromOutsideEvenWhileMapped() throws {
        let lab = try NATFixture(.fullCone)
        lab.at(0) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        lab.at(1) { lab.servers[0].send([2], to: lab.inside.localAddress) }
        #expect(lab.inbox.payloads.isEmpty)
        #expect(lab.nat.drops[.privateAddressFromOutside] == 1)
    }
}
