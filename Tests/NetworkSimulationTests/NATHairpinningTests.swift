import IPEncoding
import NetworkSimulation
import Testing
import UDPRequest

/// Datagrams from an internal host to its own NAT's public address: dropped unless the NAT
/// hairpins, and then mapped and filtered as if they came from outside.
@Suite struct NATHairpinningTests {
    /// The fixture plus a second internal endpoint, 192.168.1.11:6000, that has sent to a server,
    /// so it is mapped at 203.0.113.1:6000.
    private func lab(_ behaviour: NATBehaviour) throws -> (NATFixture, SimulatedTransport, Inbox, PeerAddress) {
        let lab = try NATFixture(behaviour)
        let other = try lab.network.bind(host: NATFixture.lan2IP, port: 6000)
        let inbox = Inbox(other)
        lab.at(0) { other.send([0], to: lab.servers[0].localAddress) }
        return (lab, other, inbox, PeerAddress(host: NATFixture.publicIP, port: 6000))
    }

    @Test func withoutHairpinningADatagramToTheOwnPublicAddressIsDropped() throws {
        let (lab, _, otherInbox, otherPublic) = try lab(.fullCone)
        lab.at(1) {
            lab.inside.send([1], to: otherPublic)
            lab.inside.send([2], to: lab.mapped)
        }
        #expect(otherInbox.payloads.isEmpty)
        #expect(lab.inbox.payloads.isEmpty)
        #expect(lab.nat.drops[.hairpinningDisabled] == 2)
        #expect(!lab.nat.wouldDeliver(from: lab.inside.localAddress, to: otherPublic, at: time(1)))
    }

    @Test func aHairpinningFullConeLoopsTheDatagramBackFromTheSendersPublicAddress() throws {
        var behaviour = NATBehaviour.fullCone
        behaviour.hairpinning = true
        let (lab, _, otherInbox, otherPublic) = try lab(behaviour)
        #expect(lab.nat.wouldDeliver(from: lab.inside.localAddress, to: otherPublic, at: time(1)))
        lab.at(1) { lab.inside.send([1], to: otherPublic) }
        #expect(otherInbox.payloads == [[1]])
        #expect(otherInbox.datagrams.first?.source == lab.mapped)
    }

    @Test func aHairpinningPortRestrictedNATFiltersTheLoopUntilBothSidesHaveSent() throws {
        var behaviour = NATBehaviour.portPreservingRouter
        behaviour.hairpinning = true
        let (lab, other, otherInbox, otherPublic) = try lab(behaviour)
        lab.at(1) { lab.inside.send([1], to: otherPublic) }  // opens inside's session toward otherPublic
        #expect(otherInbox.payloads.isEmpty)
        #expect(lab.nat.drops[.filtered] == 1)
        lab.at(2) { other.send([2], to: lab.mapped) }  // a hairpin punch: admitted by that session
        lab.at(3) { lab.inside.send([3], to: otherPublic) }  // and now the other way too
        #expect(lab.inbox.payloads == [[2]])
        #expect(lab.inbox.datagrams.first?.source == otherPublic)
        #expect(otherInbox.payloads == [[3]])
    }

    @Test func aHairpinningNATAnswersAnEndpointPingingItsOwnPublicAddress() throws {
        var behaviour = NATBehaviour.portPreservingRouter
        behaviour.hairpinning = true
        let lab = try NATFixture(behaviour)
        lab.at(0) { lab.inside.send([0], to: lab.servers[0].localAddress) }
        #expect(lab.nat.wouldDeliver(from: lab.inside.localAddress, to: lab.mapped, at: time(1)))
        lab.at(1) { lab.inside.send([1], to: lab.mapped) }
        #expect(lab.inbox.payloads == [[1]])
        #expect(lab.inbox.datagrams.first?.source == lab.mapped)
    }
}
