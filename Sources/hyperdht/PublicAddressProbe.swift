import DHTRPC
import IPEncoding
import NATDiagnosis
import NodeRuntime

/// How the monitor learns where the network sees its node and what its NAT does. Only `_ping` answers
/// carry the address a peer sees us at, so once the node is ready – and then every `interval` – it pings
/// a few contacts of its routing table; their answers feed the header's public address and the NAT
/// panel's mapping. Each round then runs netcheck's probes (``NATProbeDriver``) from a fresh ephemeral
/// socket on the same host, through two table contacts: the monitored node has talked to too many nodes
/// to test filtering itself, and the NAT treats a fresh socket the same way. About 20 datagrams a round.
enum PublicAddressProbe {
    /// Contacts pinged per round.
    static let contactsPerRound = 4
    /// The side probe's bounds.
    static let sideProbe = NATProbeConfiguration(filteringCandidates: 4, reporterPings: 4, deadline: .seconds(15))

    /// Probes until the task is cancelled.
    static func run(_ node: HyperDHTHandle, log: NATProbeLog, interval: Duration = .seconds(120)) async {
        guard (try? await node.ready()) != nil else { return }
        var round = 0
        while !Task.isCancelled {
            let contacts = await probeOnce(node)
            await probeNAT(node, through: contacts, round: round, log: log)
            round += 1
            try? await Task.sleep(for: interval)
        }
    }

    /// Pings up to ``contactsPerRound`` contacts, spread over the table's buckets, and waits for them;
    /// returns the contacts pinged.
    @discardableResult
    static func probeOnce(_ node: HyperDHTHandle) async -> [PeerAddress] {
        guard let snapshot = try? await node.snapshot() else { return [] }
        let buckets = snapshot.dht.routingTable.buckets.filter { !$0.contacts.isEmpty }
        var targets: [PeerAddress] = []
        var round = 0
        while targets.count < contactsPerRound && buckets.contains(where: { $0.contacts.count > round }) {
            for bucket in buckets where bucket.contacts.count > round && targets.count < contactsPerRound {
                targets.append(bucket.contacts[bucket.contacts.count - 1 - round].payload.address)
            }
            round += 1
        }
        await withTaskGroup(of: Void.self) { group in
            for target in targets { group.addTask { _ = try? await node.ping(target) } }
        }
        return targets
    }

    /// Runs the filtering and hairpin probes from a fresh ephemeral socket through two of `contacts`
    /// (rotating with `round`) and records the outcome.
    static func probeNAT(_ node: HyperDHTHandle, through contacts: [PeerAddress], round: Int, log: NATProbeLog) async {
        guard !contacts.isEmpty else { return }
        let referrers = (0..<min(2, contacts.count)).map { contacts[(round + $0) % contacts.count] }
        guard let side = try? await DHTNodeHandle.start(configuration: DHTNodeConfiguration(ephemeral: true),
                                                        host: node.localAddress.host, port: 0, on: node.eventLoop) else { return }
        let interfaces = InterfaceAddresses.current()
        if let run = try? await NetcheckCommand.probe(side, bootstrap: referrers, interfaces: interfaces, configuration: sideProbe,
                                                      ignoring: [node.id]) {
            await log.record(run, interfaces: interfaces)
        }
        await side.close()
    }
}
