import DHTRPC
import Foundation
import IPEncoding
import NodeMetrics
import NodeRuntime
import Testing
import UDPRequest

/// The metric names and values from a synthetic event stream and snapshots.
@Suite struct NodeMetricsTests {
    static let peer = PeerAddress(host: .loopbackV4, port: 5000)

    static func socket(_ event: RequestSocketEvent) -> NodeEvent { .dht(.socket(event)) }

    @Test func eventsBecomePerCommandCountersAndTheRoundTripHistogram() {
        let metrics = NodeMetrics()
        let peer = Self.peer
        metrics.record([
            Self.socket(.requestSent(tid: 1, command: "_ping", to: peer, bytes: 20)),
            Self.socket(.requestSent(tid: 2, command: "_find_node", to: peer, bytes: 60)),
            Self.socket(.requestSent(tid: 3, command: "_find_node", to: peer, bytes: 60)),
            Self.socket(.responseMatched(tid: 1, command: "_ping", from: peer, roundTripTime: .milliseconds(3))),
            Self.socket(.responseMatched(tid: 3, command: "_find_node", from: peer, roundTripTime: .milliseconds(40))),
            Self.socket(.requestTimedOut(tid: 2, command: "_find_node", to: peer, transmissions: 3)),
            Self.socket(.requestReceived(tid: 9, command: "peers", from: peer, bytes: 90)),
            Self.socket(.requestReceived(tid: 10, command: "made-up\"command\n", from: peer, bytes: 90)),
            Self.socket(.responseSent(tid: 9, to: peer, bytes: 40)),
            .dht(.ready),
        ])
        metrics.recordLost(5)
        let samples = PrometheusSamples(metrics.exposition())
        #expect(samples[#"hyperdht_requests_sent_total{command="_ping"}"#] == 1)
        #expect(samples[#"hyperdht_requests_sent_total{command="_find_node"}"#] == 2)
        #expect(samples[#"hyperdht_requests_sent_total{command="peers"}"#] == 0)
        #expect(samples[#"hyperdht_responses_received_total{command="_ping"}"#] == 1)
        #expect(samples[#"hyperdht_responses_received_total{command="_find_node"}"#] == 1)
        #expect(samples[#"hyperdht_request_timeouts_total{command="_find_node"}"#] == 1)
        #expect(samples[#"hyperdht_requests_received_total{command="peers"}"#] == 1)
        // A command from the network never becomes a label of its own.
        #expect(samples[#"hyperdht_requests_received_total{command="other"}"#] == 1)
        #expect(!samples.values.keys.contains { $0.contains("made-up") })
        #expect(samples["hyperdht_responses_sent_total"] == 1)
        #expect(samples["hyperdht_metrics_events_lost_total"] == 5)
        // 3 ms falls in the 5 ms bucket, not the 1 ms one; 40 ms in the 50 ms one.
        #expect(samples[#"hyperdht_request_rtt_seconds_bucket{command="_ping",le="0.001"}"#] == 0)
        #expect(samples[#"hyperdht_request_rtt_seconds_bucket{command="_ping",le="0.005"}"#] == 1)
        #expect(samples[#"hyperdht_request_rtt_seconds_count{command="_ping"}"#] == 1)
        #expect(samples[#"hyperdht_request_rtt_seconds_bucket{command="_find_node",le="0.025"}"#] == 0)
        #expect(samples[#"hyperdht_request_rtt_seconds_bucket{command="_find_node",le="0.05"}"#] == 1)
        let sum = samples[#"hyperdht_request_rtt_seconds_sum{command="_find_node"}"#] ?? 0
        #expect(abs(sum - 0.040) < 1e-9)
    }

    @Test func snapshotTotalsCountUpAndSizesAreGauges() {
        let metrics = NodeMetrics()
        var statistics = NodeStatistics()
        statistics.socket.datagramsIn = 100
        statistics.socket.datagramsOut = 90
        statistics.socket.malformedDropped = 2
        statistics.socket.rateLimitedDropped = 7
        statistics.dht.holepunchesForwarded = 3
        statistics.dht.holepunchForwardsRefused = 1
        statistics.routingTableNodes = 20
        statistics.storeKeys = 2
        statistics.storeEntries = 5
        statistics.uptime = .milliseconds(1500)
        statistics.isReady = true
        metrics.update(statistics)
        statistics.socket.malformedDropped = 5
        statistics.routingTableNodes = 18
        metrics.update(statistics)
        metrics.update(statistics)  // nothing grew: nothing counted twice

        let samples = PrometheusSamples(metrics.exposition())
        #expect(samples["hyperdht_datagrams_received_total"] == 100)
        #expect(samples["hyperdht_datagrams_sent_total"] == 90)
        #expect(samples["hyperdht_malformed_datagrams_total"] == 5)
        #expect(samples["hyperdht_rate_limited_datagrams_total"] == 7)
        #expect(samples["hyperdht_holepunches_forwarded_total"] == 3)
        #expect(samples["hyperdht_holepunches_refused_total"] == 1)
        #expect(samples["hyperdht_routing_table_nodes"] == 18)
        #expect(samples["hyperdht_store_keys"] == 2)
        #expect(samples["hyperdht_store_entries"] == 5)
        #expect(samples["hyperdht_uptime_seconds"] == 1.5)
        #expect(samples["hyperdht_ready"] == 1)
    }

    /// Every family has help and a type; counters end in `_total`, nothing else does; every name
    /// has the `hyperdht_` prefix; the catalogue and the exposition name the same metrics.
    @Test func namesFollowThePrometheusConventions() {
        let metrics = NodeMetrics()
        let samples = PrometheusSamples(metrics.exposition())
        #expect(Set(samples.types.keys) == Set(MetricCatalog.all.keys))
        for (name, type) in samples.types {
            #expect(name.hasPrefix("hyperdht_"), "\(name)")
            #expect(samples.helped.contains(name), "\(name) has no # HELP")
            #expect((type == "counter") == name.hasSuffix("_total"), "\(name) is a \(type)")
            #expect(name.range(of: "^[a-z_][a-z0-9_]*$", options: .regularExpression) != nil, "\(name)")
        }
        #expect(samples.types["hyperdht_request_rtt_seconds"] == "histogram")
        // Families come sorted, so scrapes read the same each time.
        let text = metrics.exposition()
        let order = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }
        #expect(order == order.sorted())
        let sent = text.split(separator: "\n").filter { $0.hasPrefix("hyperdht_requests_sent_total{") }
        #expect(sent == sent.sorted() && sent.count == 4)
        #expect(text == NodeMetrics().exposition(), "the same for another set of metrics")
    }
}
