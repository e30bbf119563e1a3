import IPEncoding
import UDPRequest

/// An in-memory UDP network on virtual time: endpoints bind addresses on it, and every datagram
/// passes a seeded link model (latency, jitter, loss, duplication, reordering) and a pluggable
/// ``NetworkPathPolicy`` (NAT) before it is delivered as a scheduled event.
///
/// Everything random comes from one ``SeededRandomGenerator``, and time only moves when the
/// ``scheduler`` is run, so the same seed and inputs replay the same run. Endpoints are kept in a
/// dictionary with no per-endpoint timers, so 10,000 of them fit in one process cheaply.
///
/// ```swift
/// let network = SimulatedNetwork(seed: 42)
/// let a = try network.bind(host: IPAddress(10, 0, 0, 1))
/// let b = try network.bind(host: IPAddress(10, 0, 0, 2), port: 49737)
/// b.setReceiver { bytes, source in ... }
/// a.send([1, 2, 3], to: b.localAddress)
/// network.scheduler.runUntilIdle()
/// ```
/// Confine a network, its scheduler and its endpoints to one thread.
public final class SimulatedNetwork {
    /// The virtual clock and run loop every endpoint of this network shares.
    public let scheduler: VirtualScheduler
    /// The link conditions used where no override applies.
    public private(set) var defaultConditions: LinkConditions
    /// How addresses are translated and filtered along each path; ``DirectPathPolicy`` by default.
    public var pathPolicy: any NetworkPathPolicy = DirectPathPolicy()
    /// The largest payload carried; larger datagrams are dropped at the sender, as by the kernel.
    public var maximumDatagramSize = 65_507
    /// Running totals of what happened to datagrams.
    public internal(set) var statistics = SimulationStatistics()
    /// Called for every datagram outcome (delivery, loss, …) in order, if set. For tests and tools.
    public var trace: ((SimulationTraceEvent) -> Void)?

    var random: SeededRandomGenerator
    private(set) var endpoints: [PeerAddress: SimulatedTransport] = [:]
    private var nextEphemeralPort: [IPAddress: UInt16] = [:]
    private(set) var pairConditions: [HostPair: LinkConditions] = [:]
    private(set) var endpointConditions: [PeerAddress: LinkConditions] = [:]

    /// The first port handed out for `port: 0`, as on Linux and in IANA's ephemeral range.
    public static let ephemeralPorts: ClosedRange<UInt16> = 49152...65535

    /// Creates a network with perfect 1 ms links, drawing randomness from `seed`. Pass a
    /// `scheduler` to share one virtual clock with other simulated components.
    public init(seed: UInt64, scheduler: VirtualScheduler = VirtualScheduler()) {
        self.scheduler = scheduler
        self.random = SeededRandomGenerator(seed: seed)
        self.defaultConditions = .perfect
    }

    /// Creates a network whose links default to `conditions`; throws if they are out of range.
    public convenience init(
        seed: UInt64, scheduler: VirtualScheduler = VirtualScheduler(), conditions: LinkConditions
    ) throws(SimulationError) {
        try conditions.validate()
        self.init(seed: seed, scheduler: scheduler)
        self.defaultConditions = conditions
    }

    /// The number of endpoints currently bound.
    public var endpointCount: Int { endpoints.count }

    /// Binds a new endpoint at `host:port`. Port 0 picks the next free ephemeral port on that host,
    /// deterministically (49152 upwards, wrapping).
    public func bind(host: IPAddress, port: UInt16 = 0) throws(SimulationError) -> SimulatedTransport {
        guard !host.isUnspecified else { throw .unspecifiedHost(host) }
        let chosen = port == 0 ? try freeEphemeralPort(on: host) : port
        let address = PeerAddress(host: host, port: chosen)
        guard endpoints[address] == nil else { throw .addressInUse(address) }
        let transport = SimulatedTransport(localAddress: address, network: self)
        endpoints[address] = transport
        return transport
    }

    /// The open endpoint bound at `address`, if any.
    public func endpoint(at address: PeerAddress) -> SimulatedTransport? {
        endpoints[address]
    }

    /// Sets the conditions for links without an override.
    public func setDefaultConditions(_ conditions: LinkConditions) throws(SimulationError) {
        try conditions.validate()
        defaultConditions = conditions
    }

    /// Overrides the conditions for datagrams from host `source` to host `destination` (one
    /// direction); `nil` removes the override. Host-pair overrides win over endpoint overrides.
    public func setConditions(_ conditions: LinkConditions?, from source: IPAddress, to destination: IPAddress) throws(SimulationError) {
        try conditions?.validate()
        pairConditions[HostPair(source: source, destination: destination)] = conditions
    }

    /// Overrides the conditions in both directions between two hosts; `nil` removes both.
    public func setConditions(_ conditions: LinkConditions?, between first: IPAddress, and second: IPAddress) throws(SimulationError) {
        try setConditions(conditions, from: first, to: second)
        try setConditions(conditions, from: second, to: first)
    }

    /// Overrides the conditions for every datagram sent from or addressed to `endpoint` (e.g. a
    /// node on a bad mobile link); `nil` removes it. The sender's override wins over the receiver's.
    public func setConditions(_ conditions: LinkConditions?, for endpoint: PeerAddress) throws(SimulationError) {
        try conditions?.validate()
        endpointConditions[endpoint] = conditions
    }

    /// The conditions that apply to a datagram from `sender` addressed to `destination`.
    public func conditions(from sender: PeerAddress, to destination: PeerAddress) -> LinkConditions {
        if !pairConditions.isEmpty,
           let pair = pairConditions[HostPair(source: sender.host, destination: destination.host)] {
            return pair
        }
        if !endpointConditions.isEmpty {
            if let own = endpointConditions[sender] { return own }
            if let theirs = endpointConditions[destination] { return theirs }
        }
        return defaultConditions
    }

    func unbind(_ transport: SimulatedTransport) {
        if endpoints[transport.localAddress] === transport {
            endpoints[transport.localAddress] = nil
        }
    }

    private func freeEphemeralPort(on host: IPAddress) throws(SimulationError) -> UInt16 {
        let range = Self.ephemeralPorts
        var candidate = nextEphemeralPort[host] ?? range.lowerBound
        for _ in 0..<range.count {
            let next = candidate == range.upperBound ? range.lowerBound : candidate + 1
            if endpoints[PeerAddress(host: host, port: candidate)] == nil {
                nextEphemeralPort[host] = next
                return candidate
            }
            candidate = next
        }
        throw .noFreePort(host)
    }
}

/// A directed pair of hosts, the key of per-link overrides.
struct HostPair: Hashable {
    var source: IPAddress
    var destination: IPAddress
}
