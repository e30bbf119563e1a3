import IPEncoding
import UDPRequest

/// What a NAT does with one datagram.
enum NATDecision {
    /// Lets it through with this address (the public source outbound, the internal endpoint inbound).
    case pass(PeerAddress)
    /// Drops it.
    case drop(NATDropReason)
}

/// One simulated NAT box: its public host, the internal hosts behind it, and its mapping table.
/// ``NATPolicy`` routes datagrams to it; the decisions follow its ``NATBehaviour``.
final class NATDevice {
    let publicHost: IPAddress
    let internalHosts: Set<IPAddress>
    let behaviour: NATBehaviour

    private var mappingByPort: [UInt16: NATMapping] = [:]
    /// Endpoint-independent mapping: the port of each internal endpoint.
    private var portByInternal: [PeerAddress: UInt16] = [:]
    /// Port-randomising mapping: the port of each internal endpoint toward each remote endpoint.
    private var portBySession: [SessionKey: UInt16] = [:]
    private var sweepThreshold = 256

    private struct SessionKey: Hashable {
        var internalEndpoint: PeerAddress
        var remote: PeerAddress
    }

    /// The ports a clash or `--random-fully` draws from (Linux: 1024–65535 for ports above 1023).
    static let randomPorts: ClosedRange<UInt16> = 1024...65535
    /// Random draws before a linear search for a free port (Linux gives up after 128 attempts).
    static let randomAttempts = 128

    init(publicHost: IPAddress, internalHosts: Set<IPAddress>, behaviour: NATBehaviour) {
        self.publicHost = publicHost
        self.internalHosts = internalHosts
        self.behaviour = behaviour
    }

    // MARK: - Outbound

    /// The live mapping `sender`'s datagrams to `destination` leave through, if there is one.
    func liveMapping(from sender: PeerAddress, to destination: PeerAddress, at now: Timestamp) -> NATMapping? {
        let port: UInt16?
        switch behaviour.mapping {
        case .endpointIndependent: port = portByInternal[sender]
        case .portRandomising: port = portBySession[SessionKey(internalEndpoint: sender, remote: destination)]
        }
        guard let port, let mapping = mappingByPort[port], mapping.internalEndpoint == sender, mapping.isAlive(at: now) else {
            return nil
        }
        if behaviour.mapping == .portRandomising && !mapping.hasLiveSession(with: destination, at: now) { return nil }
        return mapping
    }

    /// Passes a datagram from the internal endpoint `sender` to `destination` at `now`: returns the
    /// public source it leaves with, opening a mapping if needed, or why it was dropped.
    func translateOutbound(from sender: PeerAddress, to destination: PeerAddress, at now: Timestamp,
                           random: inout SeededRandomGenerator) -> NATDecision {
        let mapping: NATMapping
        if let live = liveMapping(from: sender, to: destination, at: now) {
            mapping = live
        } else {
            let preferred: UInt16? = behaviour.mapping == .endpointIndependent ? sender.port : nil
            guard let port = freePort(preferring: preferred, at: now, random: &random) else { return .drop(.portsExhausted) }
            mapping = open(NATMapping(internalEndpoint: sender, publicPort: port), toward: destination)
        }
        mapping.pass(remote: destination, outbound: true, at: now, timeouts: behaviour.timeouts)
        return .pass(PeerAddress(host: publicHost, port: mapping.publicPort))
    }

    // MARK: - Inbound

    /// What the NAT would do with a datagram from `source` to its public `port` at `now`.
    enum Admission {
        /// Delivered through `mapping` (a live session, or the filtering lets `source` in).
        case mapped(NATMapping)
        /// Forwarded to this internal endpoint by the unsolicited-inbound rule.
        case forwarded(PeerAddress)
        /// Dropped.
        case dropped(NATDropReason)
    }

    /// Decides, without changing anything, what happens to a datagram from `source` (`nil`: from a
    /// port nobody can predict, as a port-randomising NAT's next one) to public `port` at `now`.
    func admission(from source: PeerAddress?, sourceHost: IPAddress, to port: UInt16, at now: Timestamp) -> Admission {
        let mapping = mappingByPort[port].flatMap { $0.isAlive(at: now) ? $0 : nil }
        if let mapping {
            let admitted: Bool
            if let source, mapping.hasLiveSession(with: source, at: now) {
                admitted = true
            } else {
                switch behaviour.filtering {
                case .endpointIndependent: admitted = true
                case .addressDependent: admitted = mapping.hasLiveSession(withHost: sourceHost, at: now)
                case .addressAndPortDependent: admitted = false
                }
            }
            if admitted { return .mapped(mapping) }
        }
        if case .forward(let host) = behaviour.unsolicitedInbound {
            return .forwarded(PeerAddress(host: host, port: port))
        }
        return .dropped(mapping == nil ? .noMapping : .filtered)
    }

    /// Passes a datagram from `source` to public `port` at `now`: returns the internal endpoint it
    /// goes to (refreshing or opening its session), or why it was dropped.
    func translateInbound(from source: PeerAddress, to port: UInt16, at now: Timestamp) -> NATDecision {
        switch admission(from: source, sourceHost: source.host, to: port, at: now) {
        case .mapped(let mapping):
            mapping.pass(remote: source, outbound: false, at: now, timeouts: behaviour.timeouts)
            index(mapping, toward: source)  // replies to `source` leave through this mapping, as in conntrack
            return .pass(mapping.internalEndpoint)
        case .forwarded(let target):
            // A DNAT'd datagram opens a session for `target` on this port, unless the port or the
            // endpoint is taken by another live mapping (then it passes without state).
            let live = mappingByPort[port].flatMap { $0.isAlive(at: now) ? $0 : nil }
            if let live, live.internalEndpoint == target {
                live.pass(remote: source, outbound: false, at: now, timeouts: behaviour.timeouts)
            } else if live == nil, liveMapping(from: target, to: source, at: now) == nil {
                let mapping = open(NATMapping(internalEndpoint: target, publicPort: port), toward: source)
                mapping.pass(remote: source, outbound: false, at: now, timeouts: behaviour.timeouts)
            }
            return .pass(target)
        case .dropped(let reason):
            return .drop(reason)
        }
    }

    // MARK: - Inspection

    /// The public address `sender` appears at for `destination` if it sent to it at `now`: `nil`
    /// when that would draw a random port (port-randomising, or a clash on the preserved port).
    func predictedSource(from sender: PeerAddress, to destination: PeerAddress, at now: Timestamp) -> PeerAddress? {
        if let live = liveMapping(from: sender, to: destination, at: now) {
            return PeerAddress(host: publicHost, port: live.publicPort)
        }
        guard behaviour.mapping == .endpointIndependent, isFree(sender.port, at: now) else { return nil }
        return PeerAddress(host: publicHost, port: sender.port)
    }

    /// The internal endpoints with a live mapping at `now`, with their public port and live remotes.
    func liveMappings(at now: Timestamp) -> [(internalEndpoint: PeerAddress, publicPort: UInt16, remotes: [PeerAddress])] {
        mappingByPort.values.filter { $0.isAlive(at: now) }.sorted { $0.publicPort < $1.publicPort }
            .map { ($0.internalEndpoint, $0.publicPort, $0.liveRemotes(at: now)) }
    }

    /// The live mapping on public `port`, if any.
    func liveMapping(onPort port: UInt16, at now: Timestamp) -> NATMapping? {
        mappingByPort[port].flatMap { $0.isAlive(at: now) ? $0 : nil }
    }

    // MARK: - Ports

    private func open(_ mapping: NATMapping, toward remote: PeerAddress) -> NATMapping {
        mappingByPort[mapping.publicPort] = mapping
        index(mapping, toward: remote)
        return mapping
    }

    private func index(_ mapping: NATMapping, toward remote: PeerAddress) {
        switch behaviour.mapping {
        case .endpointIndependent: portByInternal[mapping.internalEndpoint] = mapping.publicPort
        case .portRandomising: portBySession[SessionKey(internalEndpoint: mapping.internalEndpoint, remote: remote)] = mapping.publicPort
        }
    }

    private func isFree(_ port: UInt16, at now: Timestamp) -> Bool {
        port != 0 && !(mappingByPort[port]?.isAlive(at: now) ?? false)
    }

    /// `preferred` if free, else a random free port (seeded), else the next free one after the
    /// last draw; `nil` when every port is taken. Dead mappings on the chosen port are forgotten.
    private func freePort(preferring preferred: UInt16?, at now: Timestamp, random: inout SeededRandomGenerator) -> UInt16? {
        if mappingByPort.count >= sweepThreshold { sweep(at: now) }
        var chosen: UInt16?
        if let preferred, isFree(preferred, at: now) {
            chosen = preferred
        } else {
            let range = Self.randomPorts
            let size = UInt64(range.count)
            var candidate = range.lowerBound
            for _ in 0..<Self.randomAttempts {
                candidate = range.lowerBound + UInt16(random.next() % size)
                if isFree(candidate, at: now) { chosen = candidate; break }
            }
            if chosen == nil {
                for step in 1...range.count {
                    let port = range.lowerBound + UInt16((Int(candidate - range.lowerBound) + step) % range.count)
                    if isFree(port, at: now) { chosen = port; break }
                }
            }
        }
        if let chosen, let dead = mappingByPort[chosen] { forget(dead) }
        return chosen
    }

    private func forget(_ mapping: NATMapping) {
        mappingByPort[mapping.publicPort] = nil
        if portByInternal[mapping.internalEndpoint] == mapping.publicPort { portByInternal[mapping.internalEndpoint] = nil }
        for remote in mapping.sessions.keys {
            let key = SessionKey(internalEndpoint: mapping.internalEndpoint, remote: remote)
            if portBySession[key] == mapping.publicPort { portBySession[key] = nil }
        }
    }

    /// Forgets every dead mapping, so the table stays as large as the live ones.
    private func sweep(at now: Timestamp) {
        for mapping in mappingByPort.values where !mapping.isAlive(at: now) { forget(mapping) }
        sweepThreshold = max(256, mappingByPort.count * 2)
    }
}
