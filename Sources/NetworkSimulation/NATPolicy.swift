import IPEncoding
import UDPRequest

/// A ``NetworkPathPolicy`` modelling NATs as the lab builds them with Linux: each NAT hides a set
/// of internal hosts behind one public host and maps, filters and forgets per its
/// ``NATBehaviour`` – endpoint-independent or port-randomising mapping; endpoint-independent,
/// address-dependent or address-and-port-dependent filtering; sessions that expire on the virtual
/// clock (``NATSessionTimeouts``); unsolicited inbound dropped (or DNAT'd to one host); hairpinning
/// off unless asked for. Hosts in no NAT are public and reached directly.
///
/// Internal hosts of one NAT reach each other directly, as on a LAN; nobody outside reaches an
/// internal address. Port draws come from a seeded generator, so runs replay. Time is only ever
/// the `at:` passed in. Confined to the network's run loop, like everything in the simulation.
public final class NATPolicy: NetworkPathPolicy {
    /// The filtering kinds (kept under this name for the cone-NAT tests written before timeouts).
    public typealias Filtering = NATBehaviour.Filtering

    private var deviceByPublicHost: [IPAddress: NATDevice] = [:]
    private var deviceByInternalHost: [IPAddress: NATDevice] = [:]
    private var random: SeededRandomGenerator
    /// The latest time any datagram passed: what the inspection methods without `at:` use.
    public private(set) var latestTime = Timestamp.zero
    /// Datagrams dropped, by reason.
    public private(set) var drops: [NATDropReason: Int] = [:]

    /// Creates a policy with no NATs (it behaves like ``DirectPathPolicy`` until
    /// ``addNAT(publicHost:internalHosts:behaviour:)``), drawing random ports from `seed`.
    public init(seed: UInt64 = 0) {
        random = SeededRandomGenerator(seed: seed)
    }

    /// Puts `internalHosts` behind a NAT reachable at `publicHost` that behaves as `behaviour`.
    /// Bind the internal endpoints at their internal addresses; others see and reach them at
    /// `publicHost`. Throws if a host is already part of a NAT.
    public func addNAT(publicHost: IPAddress, internalHosts: some Sequence<IPAddress>, behaviour: NATBehaviour) throws(SimulationError) {
        let hosts = Set(internalHosts)
        for host in hosts.union([publicHost]) where deviceByPublicHost[host] != nil || deviceByInternalHost[host] != nil {
            throw .hostAlreadyInNAT(host)
        }
        let device = NATDevice(publicHost: publicHost, internalHosts: hosts, behaviour: behaviour)
        deviceByPublicHost[publicHost] = device
        for host in hosts { deviceByInternalHost[host] = device }
    }

    /// A cone NAT as modelled before mapping timeouts: endpoint-independent mapping, the given
    /// filtering, and mappings that never expire.
    public func addNAT(publicHost: IPAddress, internalHosts: some Sequence<IPAddress>, filtering: Filtering) throws(SimulationError) {
        try addNAT(publicHost: publicHost, internalHosts: internalHosts,
                   behaviour: NATBehaviour(filtering: filtering, timeouts: nil))
    }

    /// The behaviour of the NAT `host` is behind (or is the public address of); `nil` for public hosts.
    public func behaviour(of host: IPAddress) -> NATBehaviour? {
        (deviceByInternalHost[host] ?? deviceByPublicHost[host])?.behaviour
    }

    /// The public host of the NAT `host` is behind, if any.
    public func publicHost(of host: IPAddress) -> IPAddress? {
        deviceByInternalHost[host]?.publicHost
    }

    /// The public address an internal endpoint appears at toward every destination, while its
    /// endpoint-independent mapping lives at ``latestTime`` (`nil` otherwise, and for
    /// port-randomising NATs: ask ``publicAddress(of:toward:at:)``).
    public func publicAddress(of internalEndpoint: PeerAddress) -> PeerAddress? {
        guard let device = deviceByInternalHost[internalEndpoint.host], device.behaviour.mapping == .endpointIndependent,
              let mapping = device.liveMapping(from: internalEndpoint, to: internalEndpoint, at: latestTime) else { return nil }
        return PeerAddress(host: device.publicHost, port: mapping.publicPort)
    }

    /// The public address `internalEndpoint` uses toward `remote` through a live mapping at `time`.
    public func publicAddress(of internalEndpoint: PeerAddress, toward remote: PeerAddress, at time: Timestamp) -> PeerAddress? {
        guard let device = deviceByInternalHost[internalEndpoint.host],
              let mapping = device.liveMapping(from: internalEndpoint, to: remote, at: time) else { return nil }
        return PeerAddress(host: device.publicHost, port: mapping.publicPort)
    }

    /// The remote endpoints the NAT of `internalEndpoint` holds a live session with at `time`
    /// (through any of its mappings), sorted.
    public func liveSessions(of internalEndpoint: PeerAddress, at time: Timestamp) -> [PeerAddress] {
        guard let device = deviceByInternalHost[internalEndpoint.host] else { return [] }
        return device.liveMappings(at: time).filter { $0.internalEndpoint == internalEndpoint }
            .flatMap(\.remotes).sorted { $0.description < $1.description }
    }

    /// Whether a datagram the endpoint bound at `sender` sent to `destination` at `time` would be
    /// delivered, judged without changing any state (links aside). A port-randomising sender
    /// without a live session toward `destination` would leave from a port nobody can predict: only
    /// filtering that ignores the port can admit it.
    public func wouldDeliver(from sender: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> Bool {
        var source: PeerAddress? = sender
        var sourceHost = sender.host
        let senderDevice = deviceByInternalHost[sender.host]
        if let device = senderDevice, !device.internalHosts.contains(destination.host) {
            if destination.host == device.publicHost && !device.behaviour.hairpinning { return false }
            source = device.predictedSource(from: sender, to: destination, at: time)
            sourceHost = device.publicHost
        }
        if let device = deviceByPublicHost[destination.host] {
            // Hairpinned from the mapping it reaches: the datagram's own outbound session admits it.
            if let source, source == destination, senderDevice === device { return true }
            switch device.admission(from: source, sourceHost: sourceHost, to: destination.port, at: time) {
            case .mapped, .forwarded: return true
            case .dropped: return false
            }
        }
        if let device = deviceByInternalHost[destination.host], !device.internalHosts.contains(sender.host) { return false }
        return true
    }

    // MARK: - NetworkPathPolicy

    /// Maps an internal sender to its public source toward `destination` (opening or refreshing
    /// the session); passes LAN and public traffic unchanged.
    public func translateOutbound(from sender: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress? {
        latestTime = max(latestTime, time)
        guard let device = deviceByInternalHost[sender.host] else { return sender }
        if device.internalHosts.contains(destination.host) { return sender }
        if destination.host == device.publicHost && !device.behaviour.hairpinning { return dropped(.hairpinningDisabled) }
        switch device.translateOutbound(from: sender, to: destination, at: time, random: &random) {
        case .pass(let source): return source
        case .drop(let reason): return dropped(reason)
        }
    }

    /// Admits a datagram to a NAT's public address per its sessions and filtering, refuses
    /// outsiders sending to internal addresses, and passes everything else through.
    public func translateInbound(from source: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress? {
        latestTime = max(latestTime, time)
        if let device = deviceByPublicHost[destination.host] {
            switch device.translateInbound(from: source, to: destination.port, at: time) {
            case .pass(let target): return target
            case .drop(let reason): return dropped(reason)
            }
        }
        if let device = deviceByInternalHost[destination.host], !device.internalHosts.contains(source.host) {
            return dropped(.privateAddressFromOutside)
        }
        return destination
    }

    private func dropped(_ reason: NATDropReason) -> PeerAddress? {
        drops[reason, default: 0] += 1
        return nil
    }
}

/// The earlier name of ``NATPolicy``, from when it modelled only cone NATs whose mappings never
/// expired; `addNAT(publicHost:internalHosts:filtering:)` still builds exactly those.
public typealias ConeNATPolicy = NATPolicy

/// Why a ``NATPolicy`` dropped a datagram.
public enum NATDropReason: Hashable, Sendable, CaseIterable {
    /// Inbound to a public port with no live mapping (never opened, or every session expired):
    /// the lab's NEW-drop rule.
    case noMapping
    /// Inbound to a mapped port from an endpoint the filtering does not admit.
    case filtered
    /// From an internal host to its own NAT's public address, with hairpinning off.
    case hairpinningDisabled
    /// From outside a NAT to one of its internal addresses.
    case privateAddressFromOutside
    /// Every public port of the NAT is in use.
    case portsExhausted
}
