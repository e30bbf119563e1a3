import CoreMetrics
import DHTRPC
import NIOConcurrencyHelpers
import NodeRuntime
import Prometheus
import UDPRequest

/// A node's metrics (``MetricCatalog``) as swift-metrics counters, gauges and a timer over a
/// Prometheus registry of their own (no global `MetricsSystem` bootstrap, so several nodes in one
/// process keep separate metrics). Fed only through the node's public observation API: its events
/// (``record(_:)``, per-command counts and round-trip times) and its snapshots (``update(_:)``,
/// totals and sizes, read at each scrape). Thread-safe.
public final class NodeMetrics: Sendable {
    /// The per-command metrics of one ``CommandLabel``.
    private struct CommandMetrics: Sendable {
        let sent: CoreMetrics.Counter
        let received: CoreMetrics.Counter
        let answered: CoreMetrics.Counter
        let timedOut: CoreMetrics.Counter
        let roundTrip: CoreMetrics.Timer
    }

    private let registry: PrometheusCollectorRegistry
    /// The metrics of each known command.
    private let commands: [String: CommandMetrics]
    /// The metrics of every other command.
    private let otherCommands: CommandMetrics
    private let responsesSent: CoreMetrics.Counter
    private let eventsLost: CoreMetrics.Counter
    private let totals: [(counter: CoreMetrics.Counter, value: @Sendable (NodeStatistics) -> Int)]
    private let gauges: [(gauge: CoreMetrics.Gauge, value: @Sendable (NodeStatistics) -> Double)]
    /// The statistics of the previous ``update(_:)``: snapshot totals become counter increments.
    private let previous = NIOLockedValueBox(NodeStatistics())

    /// Metrics at zero.
    public init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets[MetricCatalog.roundTripTime.name] = MetricCatalog.roundTripBuckets
        func counter(_ metric: MetricCatalog.Metric, _ dimensions: [(String, String)] = []) -> CoreMetrics.Counter {
            CoreMetrics.Counter(label: metric.name, dimensions: dimensions, factory: factory)
        }
        func commandMetrics(_ label: String) -> CommandMetrics {
            let dimensions = [("command", label)]
            return CommandMetrics(
                sent: counter(MetricCatalog.requestsSent, dimensions),
                received: counter(MetricCatalog.requestsReceived, dimensions),
                answered: counter(MetricCatalog.responsesReceived, dimensions),
                timedOut: counter(MetricCatalog.requestTimeouts, dimensions),
                roundTrip: CoreMetrics.Timer(label: MetricCatalog.roundTripTime.name, dimensions: dimensions, factory: factory))
        }
        commands = Dictionary(uniqueKeysWithValues: CommandLabel.known.map { ($0, commandMetrics($0)) })
        otherCommands = commandMetrics(CommandLabel.other)
        responsesSent = counter(MetricCatalog.responsesSent)
        eventsLost = counter(MetricCatalog.eventsLost)
        func total(_ metric: MetricCatalog.Metric, _ read: @escaping @Sendable (NodeStatistics) -> Int)
            -> (counter: CoreMetrics.Counter, value: @Sendable (NodeStatistics) -> Int) {
            (counter(metric), read)
        }
        totals = [
            total(MetricCatalog.datagramsReceived, { $0.socket.datagramsIn }),
            total(MetricCatalog.datagramsSent, { $0.socket.datagramsOut }),
            total(MetricCatalog.bytesReceived, { $0.socket.bytesIn }),
            total(MetricCatalog.bytesSent, { $0.socket.bytesOut }),
            total(MetricCatalog.retransmissions, { $0.socket.retransmissions }),
            total(MetricCatalog.malformedDatagrams, { $0.socket.malformedDropped }),
            total(MetricCatalog.rateLimitedDatagrams, { $0.socket.rateLimitedDropped }),
            total(MetricCatalog.unmatchedResponses, { $0.socket.unmatchedResponses }),
            total(MetricCatalog.spoofedResponses, { $0.socket.spoofedResponses }),
            total(MetricCatalog.punchesForwarded, { $0.dht.holepunchesForwarded }),
            total(MetricCatalog.punchesRefused, { $0.dht.holepunchForwardsRefused }),
            total(MetricCatalog.nodesAdded, { $0.dht.nodesAdded }),
            total(MetricCatalog.nodesRemoved, { $0.dht.nodesRemoved }),
        ]
        func gauge(_ metric: MetricCatalog.Metric, _ read: @escaping @Sendable (NodeStatistics) -> Double)
            -> (gauge: CoreMetrics.Gauge, value: @Sendable (NodeStatistics) -> Double) {
            (CoreMetrics.Gauge(label: metric.name, factory: factory), read)
        }
        gauges = [
            gauge(MetricCatalog.routingTableNodes, { Double($0.routingTableNodes) }),
            gauge(MetricCatalog.inflightRequests, { Double($0.inflightRequests) }),
            gauge(MetricCatalog.queuedRequests, { Double($0.queuedRequests) }),
            gauge(MetricCatalog.activeWalks, { Double($0.activeWalks) }),
            gauge(MetricCatalog.storeKeys, { Double($0.storeKeys) }),
            gauge(MetricCatalog.storeEntries, { Double($0.storeEntries) }),
            gauge(MetricCatalog.uptime, { Double($0.uptime.components.seconds) + Double($0.uptime.components.attoseconds) / 1e18 }),
            gauge(MetricCatalog.ready, { $0.isReady ? 1 : 0 }),
        ]
        for (gauge, value) in gauges { gauge.record(value(NodeStatistics())) }
    }

    /// Counts what `events` say: requests sent and received, answers and timeouts by command, the
    /// answers' round-trip times, our own answers.
    public func record(_ events: some Sequence<NodeEvent>) {
        for case .dht(.socket(let event)) in events {
            switch event {
            case .requestSent(_, let command, _, _):
                metrics(command).sent.increment()
            case .requestReceived(_, let command, _, _):
                metrics(command).received.increment()
            case .responseMatched(_, let command, _, let roundTripTime):
                let counts = metrics(command)
                counts.answered.increment()
                counts.roundTrip.recordNanoseconds(max(0, roundTripTime.nanosecondsClamped))
            case .requestTimedOut(_, let command, _, _):
                metrics(command).timedOut.increment()
            case .responseSent:
                responsesSent.increment()
            default:
                break
            }
        }
    }

    /// Counts node events that never reached ``record(_:)`` (dropped because the metrics fell behind).
    public func recordLost(_ count: Int) {
        if count > 0 { eventsLost.increment(by: count) }
    }

    /// Takes a snapshot's totals (counted up by what they grew since the previous one) and sizes.
    public func update(_ statistics: NodeStatistics) {
        previous.withLockedValue { previous in
            for (counter, value) in totals {
                let grown = value(statistics) - value(previous)
                if grown > 0 { counter.increment(by: grown) }
            }
            for (gauge, value) in gauges { gauge.record(value(statistics)) }
            previous = statistics
        }
    }

    /// The metrics in the Prometheus text exposition format (version 0.0.4): families sorted by
    /// name, each with its `# HELP` line.
    public func exposition() -> String {
        PrometheusText.withHelp(registry.emitToString(), help: MetricCatalog.all.mapValues(\.help))
    }

    private func metrics(_ command: String) -> CommandMetrics {
        commands[CommandLabel.value(for: command)] ?? otherCommands
    }
}
