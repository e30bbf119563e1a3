import DHTRPC
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// A punch through a referrer works only while the peer's NAT still holds its session with that
/// referrer. Behind the lab's home-router NAT (30 s after a lone exchange) a peer that joined through
/// the referrer and then fell silent cannot be punched 60 s later; one that pings the referrer every
/// 25 s (what part C's keep-alive automates) can.
@Suite struct NATMappingExpiryHolepunchTests {
    private static let natPublic = IPAddress(203, 0, 113, 9)
    private static let natInternal = IPAddress(192, 168, 7, 2)

    @Test(arguments: [false, true])
    func aPunchSixtySecondsAfterJoiningWorksOnlyIfThePeerKeptItsSessionWithTheReferrerAlive(keepAlive: Bool) throws {
        let network = try SimulatedNetwork(seed: 37, conditions: LinkConditions(latency: .milliseconds(5), jitter: .milliseconds(2)))
        let nat = NATPolicy(seed: 37)
        try nat.addNAT(publicHost: Self.natPublic, internalHosts: [Self.natInternal], behaviour: .portPreservingRouter)
        network.pathPolicy = nat
        // No routine upkeep pings: the only traffic between peer and referrer is the join (and the keep-alive).
        let quiet: (inout DHTNodeConfiguration) -> Void = { $0.pingEveryTicks = 100_000 }
        let referrer = try network.makeNode(host: IPAddress(10, 0, 0, 1), seed: 1, configure: quiet)
        let peer = try network.makeNode(host: Self.natInternal, seed: 2) {
            quiet(&$0)
            $0.bootstrap = [referrer.localAddress]
        }
        let originator = try network.makeNode(host: IPAddress(10, 0, 0, 2), seed: 3, configure: quiet)
        referrer.start()
        peer.start()
        network.scheduler.run(for: .seconds(2))
        let peerPublic = try #require(nat.publicAddress(of: peer.localAddress))
        #expect(referrer.contacts.first { $0.id == peer.id }?.payload.address == peerPublic)
        if keepAlive {
            for second in stride(from: 25, to: 62, by: 25) {
                _ = network.scheduler.schedule(at: Timestamp(nanoseconds: Int64(second) * 1_000_000_000)) {
                    peer.ping(referrer.localAddress) { _ in }
                }
            }
        }
        network.scheduler.run(until: Timestamp(nanoseconds: 62_000_000_000))
        #expect(nat.liveSessions(of: peer.localAddress, at: network.scheduler.now) == (keepAlive ? [referrer.localAddress] : []))

        let droppedBefore = nat.drops[.noMapping, default: 0]
        let punched = Outcome<Result<PingReply, DHTError>>()
        originator.holepunch(peer: peerPublic, referrer: referrer.localAddress) { punched.value = $0 }
        network.scheduler.run(for: .seconds(3))
        let result = try #require(punched.value)
        if keepAlive {
            #expect(try result.get().responderID == peer.id)
        } else {
            #expect(throws: DHTError.request(.timedOut)) { try result.get() }
            #expect(nat.drops[.noMapping, default: 0] > droppedBefore, "the forward met a NAT with no mapping left")
            #expect(referrer.snapshot().counters.holepunchesForwarded == 1, "the referrer forwarded it")
        }
    }
}
