import DHTRPC
import IPEncoding
import KBucket
import UDPRequest

/// What the follow-up probes of a failed punch need from a node: its clock, pings, punches, and
/// which other nodes to ask where they see us. ``DHTNode`` is one; tests may script another.
public protocol PunchProbing: AnyObject {
    /// The node's clock and timers.
    var scheduler: any Scheduler { get }
    /// Pings `address`; the reply says where it sees us.
    func ping(_ address: PeerAddress, completion: @escaping (Result<PingReply, DHTError>) -> Void)
    /// Punches a hole to `peer` through `referrer`.
    func holepunch(peer: PeerAddress, referrer: PeerAddress, options: HolepunchOptions,
                   completion: @escaping (Result<PingReply, DHTError>) -> Void)
    /// Up to `limit` known nodes other than `excluded`, freshest first, preferring one per host and
    /// hosts other than the excluded addresses' hosts: whom to ask where they see us.
    func probeCandidates(limit: Int, excluding excluded: Set<PeerAddress>) -> [PeerAddress]
    /// When a datagram from `address` last reached us, if the node remembers one.
    func lastHeard(from address: PeerAddress) -> Timestamp?
}

extension DHTNode: PunchProbing {
    /// Routing-table contacts (most recently seen first) and the bootstrap addresses: first one per
    /// host at hosts other than the excluded addresses', then – when there are too few, as on one
    /// machine – other ports of the same hosts (a port-randomising NAT shows there too).
    public func probeCandidates(limit: Int, excluding excluded: Set<PeerAddress>) -> [PeerAddress] {
        let known = snapshot().routingTable.buckets.flatMap(\.contacts).map(\.payload)
            .sorted { $0.lastSeen > $1.lastSeen }.map(\.address) + configuration.bootstrap
        var hosts = Set(excluded.map(\.host))
        var chosen: [PeerAddress] = []
        for address in known where chosen.count < limit && hosts.insert(address.host).inserted {
            chosen.append(address)
        }
        for address in known where chosen.count < limit && !excluded.contains(address) && !chosen.contains(address) {
            chosen.append(address)
        }
        return chosen
    }

    /// When the routing table last heard from a contact at `address`.
    public func lastHeard(from address: PeerAddress) -> Timestamp? {
        snapshot().routingTable.buckets.flatMap(\.contacts).map(\.payload).filter { $0.address == address }
            .map(\.lastSeen).max()
    }
}
