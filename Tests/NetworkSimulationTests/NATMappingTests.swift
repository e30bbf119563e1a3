import IPEncoding
import NetworkSimulation
import Testing
import UDPRequest

/// Which public port an internal endpoint's datagrams leave from: one port for every destination
/// (preserved when free), or a new seeded random port per destination.
@Suite struct NATMappingTests {
    @Test func anEndpointIndependentMappingKeepsTheInternalPortAndReusesItForEveryDestination() throws {
        let lab = try NATFixture(.portPreservingRouter)
        let sources = lab.recordSources()
        lab.at(0) { for server in lab.servers { lab.inside.send([1], to: server.localAddress) } }
        lab.at(5) { lab.inside.send([2], to: lab.servers[0].localAddress) }
        #expect(sources.flatMap { $0.datagrams.map(\.source) } == Array(repeating: lab.mapped, count: 4))
        #expect(lab.nat.publicAddress(of: lab.inside.localAddress) == lab.mapped)
        #expect(lab.nat.liveSessions(of: lab.inside.localAddress, at: time(5)).count == 3)
    }

    @Test func aSecondEndpointOnATakenPortGetsOneRandomPortForEveryDestination() throws {
        let lab = try NATFixture(.portPreservingRouter)
        let second = try lab.network.bind(host: NATFixture.lan2IP, port: 5000)
        let sources = lab.recordSources()
        lab.at(0) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        lab.at(1) { for server in lab.servers { second.send([2], to: server.localAddress) } }
        let seen = sources.flatMap { $0.datagrams.filter { $0.bytes == [2] }.map(\.source) }
        #expect(seen.count == 3)
        #expect(Set(seen).count == 1, "one port for every destination: \(seen)")
        #expect(seen.first?.port != 5000)
        #expect(seen.first?.host == NATFixture.publicIP)
    }

    @Test func aPortRandomisingNATGivesEachDestinationItsOwnPortAndKeepsItWhileTheSessionLives() throws {
        let lab = try NATFixture(.portRandomisingRouter)
        let sources = lab.recordSources()
        lab.at(0) { for server in lab.servers { lab.inside.send([1], to: server.localAddress) } }
        lab.at(10) { for server in lab.servers { lab.inside.send([2], to: server.localAddress) } }
        let first = sources.map { $0.datagrams[0].source }
        let second = sources.map { $0.datagrams[1].source }
        #expect(Set(first).count == 3, "two ports of one host count as two destinations: \(first)")
        #expect(second == first)
        #expect(first.allSatisfy { $0.host == NATFixture.publicIP && $0 != lab.mapped })
        #expect(lab.nat.publicAddress(of: lab.inside.localAddress) == nil, "no single public address")
        #expect(lab.nat.publicAddress(of: lab.inside.localAddress, toward: lab.servers[1].localAddress, at: time(10)) == first[1])
    }

    @Test func aPortRandomisingNATDrawsAgainOnceTheSessionHasExpired() throws {
        let lab = try NATFixture(.portRandomisingRouter)
        let sources = lab.recordSources()
        lab.at(0) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        lab.at(31) { lab.inside.send([2], to: lab.servers[0].localAddress) }
        let seen = sources[0].datagrams.map(\.source)
        #expect(seen.count == 2)
        #expect(seen[0] != seen[1])
    }

    @Test func randomPortsReplayFromTheSeedAndDifferWithAnother() throws {
        func ports(seed: UInt64) throws -> [PeerAddress] {
            let lab = try NATFixture(.portRandomisingRouter, seed: seed)
            let sources = lab.recordSources()
            lab.at(0) { for server in lab.servers { lab.inside.send([1], to: server.localAddress) } }
            return sources.map { $0.datagrams[0].source }
        }
        #expect(try ports(seed: 7) == ports(seed: 7))
        #expect(try ports(seed: 7) != ports(seed: 8))
    }
}
