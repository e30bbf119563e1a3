import IPEncoding
import NATDiagnosis

/// One report of where a node sees us.
public struct NATSample: Equatable, Sendable {
    /// The address it sees.
    public var address: PeerAddress
    /// The node that reported it.
    public var reporter: PeerAddress
    /// When, on the monitor's clock.
    public var at: Duration
}

/// Observed-address samples, bounded, and the NAT diagnosis they support – computed by
/// ``NATClassifier``, the same code as `hyperdht netcheck`.
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

    /// How old a report may be to count in ``report(for:now:)``: a mapping that changed (the NAT
    /// rebooted, the address moved) must not look like one that varies by destination forever.
    public static let reportWindow: Duration = .seconds(600)

    /// The latest report of each reporter, oldest first (ties by reporter, so the order is stable).
    public var latestReports: [AddressReport] { latestReports(since: nil) }

    /// The latest report of each reporter made at or after `start` (`nil`: all), oldest first.
    public func latestReports(since start: Duration?) -> [AddressReport] {
        // The reporter's text is built once per report, not once per comparison (it was 38% of a monitor frame).
        latestByReporter.values
            .filter { sample in start.map { sample.at >= $0 } ?? true }
            .map { (sample: $0, key: $0.reporter.description) }
            .sorted { ($0.sample.at, $0.key) < ($1.sample.at, $1.key) }
            .map { AddressReport(reporter: $0.sample.reporter, observed: $0.sample.address) }
    }

    /// The address most reporters see us at now (ties: the latest), our "public address".
    public var publicAddress: PeerAddress? { NATClassifier.mostSeen(latestReports) }

    /// The number of distinct reporters.
    public var reporterCount: Int { latestByReporter.count }

    /// The diagnosis for a node bound as `status` says, with its interface addresses and probe results,
    /// from the reports of the last ``reportWindow`` before `now` (`nil`: every report).
    public func report(for status: NodeStatus, now: Duration? = nil) -> NATReport {
        NATClassifier.classify(inputs(for: status, now: now))
    }

    /// What ``report(for:now:)`` classifies: cheap to build and compare, so a caller can keep a report until they change.
    public func inputs(for status: NodeStatus, now: Duration? = nil) -> NATProbeInputs {
        NATProbeInputs(
            boundAddress: status.localAddress, interfaceAddresses: status.interfaceAddresses,
            reports: latestReports(since: now.map { $0 - Self.reportWindow }),
            filtering: status.natProbes.filtering, hairpin: status.natProbes.hairpin)
    }
}
