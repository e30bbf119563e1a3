import IPEncoding
import UDPRequest

/// A ``NetworkPathPolicy`` modelling cone NATs (RFC 4787 terms): each NAT hides a set of internal
/// hosts behind one public host, maps each internal endpoint to one public port for every
/// destination (endpoint-independent mapping), and admits inbound datagrams according to its
/// ``Filtering``. Hosts in no NAT are public and reached directly.
///
/// Mappings keep the internal port when it is free on the public host and otherwise take the next
/// free port from 1024 upwards, so runs are deterministic. Mappings never expire, hairpinning
/// (an internal host sending to its own NAT's public address) is not supported and dropped, and
/// internal hosts of one NAT reach each other directly, as on a LAN.
public final class ConeNATPolicy: NetworkPathPolicy {
    /// Which inbound datagrams a NAT admits to a mapped endpoint.
    public enum Filtering: Hashable, Sendable {
        /// Full cone: anyone may send to a mapped public port.
        case endpointIndependent
        /// Restricted cone: only hosts the internal endpoint has sent to.
        case addressDependent
        /// Port-restricted cone: only host:port pairs the internal endpoint has sent to.
        case addressAndPortDependent
    }

    private final class Mapping {
        let internalEndpoint: PeerAddress
        var contactedHosts: Set<IPAddress> = []
        var contactedEndpoints: Set<PeerAddress> = []
        init(internalEndpoint: PeerAddress) { self.internalEndpoint = internalEndpoint }
    }

    private final class Device {
        let publicHost: IPAddress
        let internalHosts: Set<IPAddress>
        let filtering: Filtering
        var publicPortByInternal: [PeerAddress: UInt16] = [:]
        var mappingByPublicPort: [UInt16: Mapping] = [:]
        var nextPort: UInt16 = 1024

        init(publicHost: IPAddress, internalHosts: Set<IPAddress>, filtering: Filtering) {
            self.publicHost = publicHost
            self.internalHosts = internalHosts
            self.filtering = filtering
        }

        /// The mapping for `endpoint`, created on first use; `nil` if every port is taken.
        func mapping(for endpoint: PeerAddress) -> (port: UInt16, mapping: Mapping)? {
            if let port = publicPortByInternal[endpoint], let mapping = mappingByPublicPort[port] {
                return (port, mapping)
            }
            var port = endpoint.port
            if port == 0 || mappingByPublicPort[port] != nil {
                guard let free = nextFreePort() else { return nil }
                port = free
            }
            let mapping = Mapping(internalEndpoint: endpoint)
            publicPortByInternal[endpoint] = port
            mappingByPublicPort[port] = mapping
            return (port, mapping)
        }

        private func nextFreePort() -> UInt16? {
            for _ in 0..<(65536 - 1024) {
                let candidate = nextPort
                nextPort = nextPort == .max ? 1024 : nextPort + 1
                if mappingByPublicPort[candidate] == nil { return candidate }
            }
            return nil
        }
    }

    private var deviceByPublicHost: [IPAddress: Device] = [:]
    private var deviceByInternalHost: [IPAddress: Device] = [:]

    /// Creates a policy with no NATs: until ``addNAT(publicHost:internalHosts:filtering:)`` is
    /// called it behaves like ``DirectPathPolicy``.
    public init() {}

    /// Puts `internalHosts` behind a NAT reachable at `publicHost`. Bind the internal endpoints on
    /// the network at their internal addresses; others see and reach them at `publicHost`.
    public func addNAT(publicHost: IPAddress, internalHosts: some Sequence<IPAddress>, filtering: Filtering) throws(SimulationError) {
        let hosts = Set(internalHosts)
        for host in hosts.union([publicHost]) where deviceByPublicHost[host] != nil || deviceByInternalHost[host] != nil {
            throw .hostAlreadyInNAT(host)
        }
        let device = Device(publicHost: publicHost, internalHosts: hosts, filtering: filtering)
        deviceByPublicHost[publicHost] = device
        for host in hosts { deviceByInternalHost[host] = device }
    }

    /// The public address an internal endpoint currently appears as, if it has sent anything out.
    public func publicAddress(of internalEndpoint: PeerAddress) -> PeerAddress? {
        guard let device = deviceByInternalHost[internalEndpoint.host],
              let port = device.publicPortByInternal[internalEndpoint] else { return nil }
        return PeerAddress(host: device.publicHost, port: port)
    }

    /// Maps an internal sender to its public address and remembers the destination for filtering.
    public func translateOutbound(from sender: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress? {
        guard let device = deviceByInternalHost[sender.host] else { return sender }
        if device.internalHosts.contains(destination.host) { return sender }
        if destination.host == device.publicHost { return nil }
        guard let (port, mapping) = device.mapping(for: sender) else { return nil }
        mapping.contactedHosts.insert(destination.host)
        mapping.contactedEndpoints.insert(destination)
        return PeerAddress(host: device.publicHost, port: port)
    }

    /// Admits a datagram to a mapped public port per the NAT's filtering, refuses outsiders sending
    /// to internal addresses, and passes everything else through.
    public func translateInbound(from source: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress? {
        if let device = deviceByPublicHost[destination.host] {
            guard let mapping = device.mappingByPublicPort[destination.port] else { return nil }
            switch device.filtering {
            case .endpointIndependent: break
            case .addressDependent: guard mapping.contactedHosts.contains(source.host) else { return nil }
            case .addressAndPortDependent: guard mapping.contactedEndpoints.contains(source) else { return nil }
            }
            return mapping.internalEndpoint
        }
        if let device = deviceByInternalHost[destination.host], !device.internalHosts.contains(source.host) {
            return nil
        }
        return destination
    }
}
