import IPEncoding
import NetworkSimulation
import Testing
import UDPRequest

/// Idle sessions expire on the virtual clock as Linux conntrack's do with the lab's 30/40 s
/// timeouts: every datagram in either direction that passes refreshes its session; 30 s until a
/// reply has been seen, 40 s for traffic both ways after the first 2 s; a dropped datagram
/// refreshes nothing; a mapping lives while any of its sessions does.
@Suite struct NATSessionExpiryTests {
    @Test func outboundDatagramsRefreshAndTheFirstReplyGetsThirtySecondsEvenLate() throws {
        let lab = try NATFixture(.portPreservingRouter)
        lab.at(0) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        lab.at(20) { lab.inside.send([2], to: lab.servers[0].localAddress) }  // unanswered: to 50 s
        lab.at(49.9) { lab.servers[0].send([3], to: lab.mapped) }  // the first reply: 30 s more, not 40
        lab.at(80.5) { lab.servers[0].send([4], to: lab.mapped) }
        #expect(lab.inbox.payloads == [[3]])
        #expect(lab.nat.drops[.noMapping] == 1)
    }

    @Test func withoutTrafficTheMappingExpiresAfterThirtySeconds() throws {
        let lab = try NATFixture(.portPreservingRouter)
        lab.at(0) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        lab.at(29.98) { lab.servers[0].send([2], to: lab.mapped) }
        #expect(lab.inbox.payloads == [[2]])
        let second = try NATFixture(.portPreservingRouter)
        second.at(0) { second.inside.send([1], to: second.servers[0].localAddress) }
        second.at(30.5) { second.servers[0].send([2], to: second.mapped) }
        #expect(second.inbox.payloads.isEmpty)
        #expect(second.nat.publicAddress(of: second.inside.localAddress) == nil)
    }

    @Test func admittedInboundTrafficRefreshesAndAReplyAfterTwoSecondsMakesAFortySecondStream() throws {
        let lab = try NATFixture(.portPreservingRouter)
        lab.at(0) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        lab.at(1) { lab.servers[0].send([2], to: lab.mapped) }  // first reply: 30 s (to 31 s)
        lab.at(20) { lab.servers[0].send([3], to: lab.mapped) }  // replied and older than 2 s: 40 s (to 60 s)
        lab.at(59.9) { lab.servers[0].send([4], to: lab.mapped) }  // inbound only, still refreshing: to 99.9 s
        lab.at(99.8) { lab.servers[0].send([5], to: lab.mapped) }
        lab.at(140) { lab.servers[0].send([6], to: lab.mapped) }
        #expect(lab.inbox.payloads == [[2], [3], [4], [5]])
    }

    @Test func aReplyWithinTwoSecondsKeepsTheThirtySecondTimeout() throws {
        let lab = try NATFixture(.portPreservingRouter)
        lab.at(0) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        lab.at(0.5) { lab.servers[0].send([2], to: lab.mapped) }
        lab.at(1.5) { lab.inside.send([3], to: lab.servers[0].localAddress) }  // replied, but only 1.5 s old: 30 s
        lab.at(32) { lab.servers[0].send([4], to: lab.mapped) }
        #expect(lab.inbox.payloads == [[2]])
    }

    @Test func aFilteredDatagramRefreshesNothing() throws {
        let lab = try NATFixture(.portPreservingRouter)
        lab.at(0) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        lab.at(20) { lab.servers[1].send([2], to: lab.mapped) }  // same host, other port: filtered
        lab.at(31) { lab.servers[0].send([3], to: lab.mapped) }
        #expect(lab.inbox.payloads.isEmpty)
        #expect(lab.nat.drops[.filtered] == 1)
        #expect(lab.nat.drops[.noMapping] == 1)
    }

    @Test func aMappingLivesWhileAnyOfItsSessionsDoesAndEachSessionExpiresOnItsOwn() throws {
        let lab = try NATFixture(.portPreservingRouter)
        lab.at(0) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        lab.at(20) { lab.inside.send([2], to: lab.servers[2].localAddress) }
        lab.at(40) {
            lab.servers[0].send([3], to: lab.mapped)  // its session died at 30 s
            lab.servers[2].send([4], to: lab.mapped)  // alive until 50 s
        }
        #expect(lab.inbox.payloads == [[4]])
        #expect(lab.nat.drops[.filtered] == 1, "the mapping lives, the session toward servers[0] does not")
        #expect(lab.nat.liveSessions(of: lab.inside.localAddress, at: time(40.5)) == [lab.servers[2].localAddress])
    }

    @Test func aFullConeMappingIsKeptAliveByInboundTrafficFromStrangers() throws {
        let lab = try NATFixture(.fullCone)
        lab.at(0) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        lab.at(25) { lab.servers[2].send([2], to: lab.mapped) }  // a stranger: admitted, opens its own session
        lab.at(50) { lab.servers[1].send([3], to: lab.mapped) }  // servers[0]'s session is gone, the stranger's lives
        lab.at(81) { lab.servers[1].send([4], to: lab.mapped) }  // nothing since 50 s
        #expect(lab.inbox.payloads == [[2], [3]])
    }

    @Test func mappingsWithoutTimeoutsNeverExpire() throws {
        let lab = try NATFixture(NATBehaviour(timeouts: nil))
        lab.at(0) { lab.inside.send([1], to: lab.servers[0].localAddress) }
        lab.at(100_000) { lab.servers[0].send([2], to: lab.mapped) }
        #expect(lab.inbox.payloads == [[2]])
    }
}
