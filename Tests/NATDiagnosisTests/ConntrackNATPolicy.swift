import IPEncoding
import NetworkSimulation
import UDPRequest

/// A NAT model shaped like Linux conntrack + MASQUERADE, for these tests only (the simulator's own
/// models are growing on another branch): one mapping per (internal endpoint, destination) that
/// expires when idle, a public port that is the internal port when free (port-preserving) or a new
/// one per destination (`--random-fully`), and inbound datagrams admitted only from the exact
/// destination of a live mapping (address-and-port-dependent filtering) – or, for a full-cone NAT,
/// from anyone to a mapped port. No hairpinning; internal hosts of one NAT reach each other directly.
final class ConntrackNATPolicy: NetworkPathPolicy {
    enum Mapping { case portPreserving, portRandomising }
    enum Filtering { case addressAndPortDependent, endpointIndependent }

    private struct Key: Hashable {
        let internalEndpoint: PeerAddress
        let remote: PeerAddress
    }

    private final class Entry {
        let key: Key
        let publicPort: UInt16
        var lastUsed: Timestamp
        init(key: Key, publicPort: UInt16, lastUsed: Timestamp) {
            self.key = key
            self.publicPort = publicPort
            self.lastUsed = lastUsed
        }
    }

    private final class Device {
        let publicHost: IPAddress
        let internalHosts: Set<IPAddress>
        let mapping: Mapping
        let filtering: Filtering
        let timeout: Duration
        var entries: [Key: Entry] = [:]
        var nextRandomPort: UInt16 = 20011

        init(publicHost: IPAddress, internalHosts: Set<IPAddress>, mapping: Mapping, filtering: Filtering, timeout: Duration) {
            self.publicHost = publicHost
            self.internalHosts = internalHosts
            self.mapping = mapping
            self.filtering = filtering
            self.timeout = timeout
        }

        func live(_ entry: Entry, at time: Timestamp) -> Bool { time - entry.lastUsed < timeout }

        func portTaken(_ port: UInt16, byOtherThan endpoint: PeerAddress, at time: Timestamp) -> Bool {
            entries.values.contains { $0.publicPort == port && $0.key.internalEndpoint != endpoint && live($0, at: time) }
        }

        func newPort(for endpoint: PeerAddress, at time: Timestamp) -> UInt16 {
            if mapping == .portPreserving {
                if let existing = entries.values.first(where: { $0.key.internalEndpoint == endpoint && live($0, at: time) }) {
                    return existing.publicPort
                }
                if !portTaken(endpoint.port, byOtherThan: endpoint, at: time) { return endpoint.port }
            }
            repeat {
                nextRandomPort = UInt16((Int(nextRandomPort) - 20000 + 7919) % 40000 + 20000)
            } while portTaken(nextRandomPort, byOtherThan: endpoint, at: time)
            return nextRandomPort
        }
    }

    private var byPublicHost: [IPAddress: Device] = [:]
    private var byInternalHost: [IPAddress: Device] = [:]

    /// Puts `internalHosts` behind a NAT at `publicHost`.
    func addNAT(publicHost: IPAddress, internalHosts: [IPAddress], mapping: Mapping = .portPreserving,
                filtering: Filtering = .addressAndPortDependent, timeout: Duration = .seconds(30)) {
        let device = Device(publicHost: publicHost, internalHosts: Set(internalHosts), mapping: mapping,
                            filtering: filtering, timeout: timeout)
        byPublicHost[publicHost] = device
        for host in internalHosts { byInternalHost[host] = device }
    }

    func translateOutbound(from sender: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress? {
        guard let device = byInternalHost[sender.host] else { return sender }
        if device.internalHosts.contains(destination.host) { return sender }
        if destination.host == device.publicHost { return nil }  // no hairpinning
        let key = Key(internalEndpoint: sender, remote: destination)
        if let entry = device.entries[key], device.live(entry, at: time) {
            entry.lastUsed = time
            return PeerAddress(host: device.publicHost, port: entry.publicPort)
        }
        let entry = Entry(key: key, publicPort: device.newPort(for: sender, at: time), lastUsed: time)
        device.entries[key] = entry
        return PeerAddress(host: device.publicHost, port: entry.publicPort)
    }

    func translateInbound(from source: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress? {
        if let device = byPublicHost[destination.host] {
            let matches = device.entries.values.filter { $0.publicPort == destination.port && device.live($0, at: time) }
            let entry = device.filtering == .endpointIndependent ? matches.first : matches.first { $0.key.remote == source }
            guard let entry else { return nil }
            entry.lastUsed = time
            return entry.key.internalEndpoint
        }
        if let device = byInternalHost[destination.host], !device.internalHosts.contains(source.host) { return nil }
        return destination
    }
}
