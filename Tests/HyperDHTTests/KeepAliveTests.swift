import DHTMessages
import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import NetworkSimulation
import Testing
import UDPRequest

/// A kept announcement pings the nodes storing it between re-announces, so a NAT in front of the
/// announcer keeps the mappings their forwarded punches come in through – and stops when the answers
/// show no NAT, or when told not to.
@Suite struct KeepAliveTests {
    private static let natPublic = IPAddress(203, 0, 113, 5)
    private let topic = key(0x4B)

    /// A 30-node swarm whose node 5 sits behind a port-preserving, port-dependent-filtering NAT.
    private func swarm(seed: UInt64) throws -> (HyperSwarm, ConeNATPolicy) {
        let swarm = try HyperSwarm(size: 30, seed: seed)
        let nat = ConeNATPolicy()
        try nat.addNAT(publicHost: Self.natPublic, internalHosts: [swarm.nodes[5].dht.localAddress.host],
                       filtering: .addressAndPortDependent)
        swarm.network.pathPolicy = nat
        swarm.bootstrapAll()
        return (swarm, nat)
    }

    /// Plain `_ping`s (not punches) delivered from `host` to each destination, with their times.
    private final class PingLog {
        var pings: [(to: PeerAddress, at: Timestamp)] = []
        init(_ network: SimulatedNetwork, from host: IPAddress) {
            network.trace = { [self] event in
                guard event.outcome == .delivered, event.source.host == host,
                      case .request(_, let message)? = try? DatagramFrame.decode(event.payload),
                      message.command == "_ping", !message.hasForwardRequest else { return }
                pings.append((event.destination, event.time))
            }
        }
    }

    private func keepAliveEvents(_ events: [HyperDHTEvent]) -> [(storing: Int, answered: Int, behindNAT: Bool?, next: Duration?)] {
        events.compactMap {
            if case .keepAlivePinged(_, let storing, let answered, let behindNAT, let next) = $0 {
                return (storing, answered, behindNAT, next)
            }
            return nil
        }
    }

    @Test func aNATedAnnouncerPingsEveryStoringNodeEvery25Seconds() throws {
        let (swarm, nat) = try swarm(seed: 61)
        let announcer = swarm.nodes[5]
        let publicAddress = try #require(nat.publicAddress(of: announcer.dht.localAddress))
        let log = PingLog(swarm.network, from: Self.natPublic)
        let handle = announcer.keepAnnounced(key: topic)
        swarm.run(for: .seconds(2))
        let storing = Set(swarm.nodes.filter { $0 !== announcer && $0.store.contains(key: topic) }.map(\.dht.localAddress))
        #expect(storing.count >= 10, "the announcement reached too few nodes: \(storing.count)")
        #expect(swarm.nodes.allSatisfy { !$0.store.contains(key: topic) || $0.store.allEntries(now: swarm.scheduler.now)
            .first { $0.key == topic }?.peers.contains { $0.address == publicAddress } == true })

        log.pings.removeAll()
        swarm.run(for: .seconds(101))  // four rounds, at 25, 50, 75 and 100 s after the announce
        let rounds = keepAliveEvents(swarm.served[5])
        #expect(rounds.count == 4)
        #expect(rounds.allSatisfy { $0.storing == storing.count && $0.answered == storing.count })
        #expect(rounds.allSatisfy { $0.behindNAT == true && $0.next == .seconds(25) })
        // Every storing node, and only those, got a ping each round.
        let pinged = Dictionary(grouping: log.pings, by: \.to).mapValues(\.count)
        for node in storing { #expect(pinged[node] ?? 0 >= 4, "\(node) pinged \(pinged[node] ?? 0) times") }
        let gaps = Dictionary(grouping: log.pings.filter { storing.contains($0.to) }, by: \.to).values.compactMap { pings -> Duration? in
            guard pings.count >= 2 else { return nil }
            return zip(pings.dropFirst(), pings).map { $0.at - $1.at }.max()
        }
        #expect(gaps.allSatisfy { $0 <= .seconds(26) }, "a storing node went \(gaps) without a ping")

        handle.cancel()
        log.pings.removeAll()
        swarm.run(for: .seconds(300))
        #expect(keepAliveEvents(swarm.served[5]).count == 4, "keep-alive rounds went on after cancel")
        // What remains is the routing table's own upkeep: at most 3 pings every 40 s.
        #expect(log.pings.count <= 3 * (300 / 40 + 1), "\(log.pings.count) pings in 300 s after cancel")
    }

    @Test func aPublicAnnouncerPausesAfterOneRoundUntilTheNextReannounce() throws {
        let (swarm, _) = try swarm(seed: 62)
        let announcer = swarm.nodes[9]
        let handle = announcer.keepAnnounced(key: topic, interval: .seconds(240))
        swarm.run(for: .seconds(200))
        let first = keepAliveEvents(swarm.served[9])
        #expect(first.count == 1)
        #expect(first.first?.behindNAT == false)
        #expect(first.first?.next == nil)
        swarm.run(for: .seconds(80))  // re-announced at 240 s, one more round at 265 s
        #expect(keepAliveEvents(swarm.served[9]).count == 2)
        handle.cancel()
    }

    @Test func keepAliveOffSendsNoPings() throws {
        let (swarm, _) = try swarm(seed: 63)
        let announcer = swarm.nodes[5]
        let handle = announcer.keepAnnounced(key: topic, keepAlive: .off)
        swarm.run(for: .seconds(120))
        #expect(keepAliveEvents(swarm.served[5]).isEmpty)
        handle.cancel()
    }
}
