import IPEncoding
import NIOCore
import NodeRuntime

/// `--metrics HOST:PORT` of a running node: its ``NodeMetrics`` fed by the node's event batches
/// (a subscription of its own, so it never slows the node: a batch it is too slow for is counted in
/// `hyperdht_metrics_events_lost_total`), a fresh snapshot read at each scrape, served by a
/// ``MetricsServer``. The event-fed counts start with the subscription, a moment after the node
/// started: the first bootstrap's requests are in the snapshot totals but not in the per-command counts.
public final class MetricsEndpoint: Sendable {
    /// The metrics.
    public let metrics: NodeMetrics
    /// The HTTP server.
    public let server: MetricsServer
    private let feed: Task<Void, Never>

    /// How often the node hands its events to the metrics, and how many it keeps per hand-over.
    static let batchInterval: Duration = .milliseconds(100)
    static let batchLimit = 20_000

    /// Serves `node`'s metrics on `host:port` (port 0: any free port); throws ``MetricsServerError``
    /// when it cannot listen.
    public static func start(node: HyperDHTHandle, host: IPAddress, port: UInt16, on group: any EventLoopGroup,
                             limits: MetricsServer.Limits = MetricsServer.Limits()) async throws -> MetricsEndpoint {
        let metrics = NodeMetrics()
        let server = try await MetricsServer.start(host: host, port: port, on: group, limits: limits) {
            if let snapshot = try? await node.snapshot() { metrics.update(NodeStatistics(snapshot)) }
            return metrics.exposition()
        }
        let batches: AsyncStream<EventBatch<NodeEvent>>
        do {
            batches = try await node.eventBatches(every: batchInterval, limit: batchLimit, bufferedBatches: 16)
        } catch {
            await server.close()
            throw error
        }
        let feed = Task {
            for await batch in batches {
                metrics.recordLost(batch.dropped)
                metrics.record(batch.events)
            }
        }
        return MetricsEndpoint(metrics: metrics, server: server, feed: feed)
    }

    private init(metrics: NodeMetrics, server: MetricsServer, feed: Task<Void, Never>) {
        self.metrics = metrics
        self.server = server
        self.feed = feed
    }

    /// Stops serving and feeding.
    public func close() async {
        feed.cancel()
        await server.close()
    }
}
