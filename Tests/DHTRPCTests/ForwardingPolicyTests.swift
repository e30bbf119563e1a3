import DHTMessages
import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// A referrer is not an open reflector: it forwards a hole-punch `_ping` only to peers it has reason
/// to know, never to unroutable addresses, to private ones only for requesters inside the block, and
/// at a bounded rate per requester; every refusal is counted and reported.
@Suite struct ForwardingPolicyTests {
    /// A referrer on a global address, with every datagram it sends recorded.
    private final class Lab {
        let network = SimulatedNetwork(seed: 77)
        let referrer: DHTNode
        let log: EventLog
        var sentByReferrer: [PeerAddress] = []

        init(configure: (inout DHTNodeConfiguration) -> Void = { _ in }) throws {
            referrer = try network.makeNode(host: IPAddress(198, 51, 100, 1), seed: 1, configure: configure)
            log = EventLog(referrer)
            referrer.start()
            let origin = referrer.localAddress
            network.trace = { [unowned self] event in
                if event.sender == origin { sentByReferrer.append(event.destination) }
            }
        }

        /// Sends `count` forward requests naming `target` from a bare socket at `from`.
        func askToForward(to target: PeerAddress, from requester: RawPeer, count: Int = 1) {
            for _ in 0..<count {
                requester.request(.make(command: "_ping", forwardRequest: ipv4Record(target)), to: referrer.localAddress)
            }
            network.scheduler.run(for: .milliseconds(100))
        }

        /// Forwards to `target`: the events, checked against the datagrams that left the referrer.
        func forwardedTo(_ target: PeerAddress) -> Int {
            let forwards = log.forwards.filter { $0.to == target }.count
            #expect(sentByReferrer.filter { $0 == target }.count >= forwards)
            return forwards
        }
        var refused: Int { referrer.snapshot().counters.holepunchForwardsRefused }
    }

    @Test func aForwardToAnAddressNoNodeHeardOfIsRefusedCountedAndReported() throws {
        // The repro: 200 forwards to a UDP port on a host no node ever heard of.
        let lab = try Lab()
        let requester = try RawPeer(network: lab.network, host: IPAddress(198, 51, 100, 2))
        let stranger = PeerAddress(host: IPAddress(198, 51, 100, 99), port: 7)
        lab.askToForward(to: stranger, from: requester, count: 200)
        #expect(lab.forwardedTo(stranger) == 0)
        #expect(lab.refused == 200)
        #expect(lab.referrer.snapshot().counters.holepunchesForwarded == 0)
        let reasons = Dictionary(grouping: lab.log.refusedForwards, by: \.reason).mapValues(\.count)
        // The first 40 (the per-requester burst) are judged and found unknown; the rest never get that far.
        #expect(reasons == [.unknownTarget: 40, .rateLimited: 160])
        #expect(lab.log.refusedForwards.allSatisfy { $0.from == requester.address && $0.to == stranger })
    }

    @Test func forwardsToRoutingTableContactsRecentSendersAndVouchedPeersOnly() throws {
        let lab = try Lab()
        let requester = try RawPeer(network: lab.network, host: IPAddress(198, 51, 100, 2))
        // A node in the routing table (it bootstrapped through the referrer).
        let contact = try lab.network.makeNode(host: IPAddress(198, 51, 100, 3), seed: 3) {
            $0.bootstrap = [lab.referrer.localAddress]
        }
        contact.start()
        // An ephemeral node that pinged the referrer: a recent sender, never in the table.
        let ephemeral = try lab.network.makeNode(host: IPAddress(198, 51, 100, 4), seed: 4) { $0.ephemeral = true }
        ephemeral.start()
        _ = ephemeral.pingOutcome(lab.referrer.localAddress)
        lab.network.scheduler.run(for: .seconds(2))
        #expect(lab.referrer.knows(contact.id))
        let vouched = PeerAddress(host: IPAddress(198, 51, 100, 5), port: 9000)
        lab.referrer.vouchesForForwardTarget = { $0 == vouched }

        for target in [contact.localAddress, ephemeral.localAddress, vouched] {
            lab.askToForward(to: target, from: requester)
            #expect(lab.forwardedTo(target) == 1, "\(target)")
        }
        #expect(lab.refused == 0)

        // Two minutes of silence later the ephemeral node is no longer a recent sender.
        contact.close()
        ephemeral.close()
        lab.network.scheduler.run(for: .seconds(250))
        lab.askToForward(to: ephemeral.localAddress, from: requester)
        #expect(lab.forwardedTo(ephemeral.localAddress) == 1)
        #expect(lab.log.refusedForwards.last?.reason == .unknownTarget)
    }

    @Test(arguments: [
        PeerAddress(host: IPAddress(0, 0, 0, 0), port: 5), PeerAddress(host: IPAddress(224, 0, 0, 1), port: 5),
        PeerAddress(host: IPAddress(255, 255, 255, 255), port: 5), PeerAddress(host: IPAddress(240, 0, 0, 1), port: 5),
    ])
    func neverToUnroutableTargetsEvenWhenVouchedFor(target: PeerAddress) throws {
        let lab = try Lab()
        lab.referrer.vouchesForForwardTarget = { _ in true }
        let requester = try RawPeer(network: lab.network, host: IPAddress(198, 51, 100, 2))
        lab.askToForward(to: target, from: requester)
        #expect(lab.forwardedTo(target) == 0)
        #expect(lab.sentByReferrer.isEmpty)
        #expect(lab.log.refusedForwards.map(\.reason) == [.unroutableTarget])
    }

    @Test func aForwardToPortZeroIsDroppedAsABadAddress() throws {
        let lab = try Lab()
        lab.referrer.vouchesForForwardTarget = { _ in true }
        let requester = try RawPeer(network: lab.network, host: IPAddress(198, 51, 100, 2))
        lab.askToForward(to: PeerAddress(host: IPAddress(198, 51, 100, 5), port: 0), from: requester)
        #expect(lab.sentByReferrer.isEmpty)
        #expect(lab.log.rejections.map(\.reason) == [.badForwardAddress])
    }

    @Test func privateAndLoopbackTargetsOnlyForRequestersInTheSameBlock() throws {
        let lab = try Lab()
        lab.referrer.vouchesForForwardTarget = { _ in true }
        let outsider = try RawPeer(network: lab.network, host: IPAddress(198, 51, 100, 2))
        let insider = try RawPeer(network: lab.network, host: IPAddress(10, 0, 0, 2))
        let local = try RawPeer(network: lab.network, host: IPAddress(127, 0, 0, 2))
        let lan = PeerAddress(host: IPAddress(10, 9, 9, 9), port: 5)
        let otherLAN = PeerAddress(host: IPAddress(192, 168, 1, 1), port: 5)
        let loopback = PeerAddress(host: .loopbackV4, port: 5)

        for target in [lan, otherLAN, loopback] { lab.askToForward(to: target, from: outsider) }
        #expect(lab.sentByReferrer.isEmpty)
        #expect(lab.log.refusedForwards.map(\.reason) == Array(repeating: .privateTargetFromOutside, count: 3))

        lab.askToForward(to: lan, from: insider)
        lab.askToForward(to: otherLAN, from: insider)
        lab.askToForward(to: loopback, from: local)
        #expect(lab.forwardedTo(lan) == 1)
        #expect(lab.forwardedTo(otherLAN) == 0, "10/8 is not 192.168/16")
        #expect(lab.forwardedTo(loopback) == 1)
    }

    @Test func eachRequesterHasItsOwnForwardBudget() throws {
        let lab = try Lab()
        let target = PeerAddress(host: IPAddress(198, 51, 100, 5), port: 9000)
        lab.referrer.vouchesForForwardTarget = { $0 == target }
        let greedy = try RawPeer(network: lab.network, host: IPAddress(198, 51, 100, 2))
        let modest = try RawPeer(network: lab.network, host: IPAddress(198, 51, 100, 3))
        lab.askToForward(to: target, from: greedy, count: 100)
        #expect(lab.forwardedTo(target) == 40, "the burst")
        #expect(lab.log.refusedForwards.count == 60 && lab.log.refusedForwards.allSatisfy { $0.reason == .rateLimited })
        lab.askToForward(to: target, from: modest, count: 3)
        #expect(lab.forwardedTo(target) == 43)
        // The budget refills at 20 per second: 1.2 s after the burst (two 100 ms steps and a second), 24 more.
        lab.network.scheduler.run(for: .seconds(1))
        lab.askToForward(to: target, from: greedy, count: 30)
        #expect(lab.forwardedTo(target) == 43 + 24)
    }
}
