import DHTRPC
import IPEncoding
import NodeRuntime

/// How the monitor learns where the network sees its node: only `_ping` answers carry the address a
/// peer sees us at, so once the node is ready – and then every `interval` – it pings a few contacts of
/// its routing table. Their answers feed the header's public address and the NAT panel's verdict
/// (which wants at least two reporters). A few datagrams a round; failures are ignored.
enum PublicAddressProbe {
    /// Contacts pinged per round.
    static let contactsPerRound = 4

    /// Probes until the task is cancelled.
    static func run(_ node: HyperDHTHandle, interval: Duration = .seconds(120)) async {
        guard (try? await node.ready()) != nil else { return }
        while !Task.isCancelled {
            await probeOnce(node)
            try? await Task.sleep(for: interval)
        }
    }

    /// Pings up to ``contactsPerRound`` contacts, spread over the table's buckets, and waits for them.
    static func probeOnce(_ node: HyperDHTHandle) async {
        guard let snapshot = try? await node.snapshot() else { return }
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
    }
}
