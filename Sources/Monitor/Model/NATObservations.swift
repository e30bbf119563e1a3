import IPEncoding

/// What the addresses other nodes see us at say about our NAT.
public enum NATVerdict: Equatable, Sendable, CustomStringConvertible {
    /// No samples yet.
    case unknown
    /// Only one node has reported so far: the mapping cannot be judged yet.
    case needMoreSamples(PeerAddress)
    /// Every node sees our own bound address: no translation, reachable directly.
    case open(PeerAddress)
    /// Nodes see one translated address: a consistent (cone) mapping, hole punching works.
    case consistentMapping(PeerAddress)
    /// Nodes see different ports (or hosts): the NAT picks a port per destination; punching is unlikely.
    case portRandomising(distinct: Int)

    /// A short label.
    public var description: String {
        switch self {
        case .unknown: "unknown (no samples yet)"
        case .needMoreSamples(let address): "need more samples (1 reporter sees \(address))"
        case .open(let address): "open: peers see our own address \(address)"
        case .consistentMapping(let address): "consistent mapping: every peer sees \(address)"
        case .portRandomising(let distinct): "port-randomising: \(distinct) different addresses seen"
        }
    }
}

/// One report of where a node sees us.
public struct NATSample: Equatable, Sendable {
    /// The address it sees.
    public var address: PeerAddress
    /// The node that reported it.
    public var reporter: PeerAddress
    /// When, on the monitor's clock.
    public var at: Duration
}

/// Observed-address samples, bounded, and the verdict they support.
public struct NATObservations: Sendable {
    /// Recent samples, oldest first.
    public private(set) var samples: RingBuffer<NATSample>
    private var latestByReporter: [PeerAddress: NATSample] = [:]
    /// The most reporters remembered.
    public let reporterLimit: Int

    /// Creates an empty record.
    public init(sampleCapacity: Int = 64, reporterLimit: Int = 256) {
        samples = RingBuffer(capacity: sampleCapacity)
        self.reporterLimit = reporterLimit
    }

    /// Records an observed-address event.
    public mutating func apply(_ event: MonitorEvent, at time: Duration) {
        guard case .observedAddress(let address, let reporter) = event else { return }
        let sample = NATSample(address: address, reporter: reporter, at: time)
        samples.append(sample)
        latestByReporter[reporter] = sample
        if latestByReporter.count > reporterLimit,
           let oldest = latestByReporter.values.min(by: { $0.at < $1.at }) {
            latestByReporter[oldest.reporter] = nil
        }
    }

    /// The address most reporters see us at now (ties: the latest), our "public address".
    public var publicAddress: PeerAddress? {
        var votes: [PeerAddress: (count: Int, latest: Duration)] = [:]
        for sample in latestByReporter.values {
            let current = votes[sample.address] ?? (0, sample.at)
            votes[sample.address] = (current.count + 1, max(current.latest, sample.at))
        }
        return votes.max { ($0.value.count, $0.value.latest) < ($1.value.count, $1.value.latest) }?.key
    }

    /// The number of distinct reporters.
    public var reporterCount: Int { latestByReporter.count }

    /// The verdict the latest report of each node supports, given the address we are bound to.
    public func verdict(localAddress: PeerAddress) -> NATVerdict {
        Self.verdict(latest: Array(latestByReporter.values.map(\.address)), localAddress: localAddress)
    }

    /// The verdict for the latest address each reporter saw (one entry per reporter).
    public static func verdict(latest: [PeerAddress], localAddress: PeerAddress) -> NATVerdict {
        guard let first = latest.first else { return .unknown }
        let distinct = Set(latest)
        if distinct.count > 1 { return .portRandomising(distinct: distinct.count) }
        let matchesLocal = first.port == localAddress.port
            && (localAddress.host.isUnspecified || first.host == localAddress.host)
        if matchesLocal { return latest.count > 1 ? .open(first) : .needMoreSamples(first) }
        return latest.count > 1 ? .consistentMapping(first) : .needMoreSamples(first)
    }
}
