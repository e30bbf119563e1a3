/// Every metric a node exports: its Prometheus name and help text, in one place. Names follow the
/// Prometheus conventions – the `hyperdht_` prefix, `_total` on counters, the unit in the name.
public enum MetricCatalog {
    /// One metric: its name and what it counts.
    public struct Metric: Sendable, Hashable {
        /// The Prometheus name.
        public let name: String
        /// The `# HELP` text.
        public let help: String
    }

    // Per command (label `command`: `_ping`, `_find_node`, `peers` or `other`), from the node's events.
    public static let requestsSent = Metric(name: "hyperdht_requests_sent_total", help: "Requests sent (first transmissions), by command.")
    public static let requestsReceived = Metric(name: "hyperdht_requests_received_total", help: "Requests received and handed to the node, by command.")
    public static let responsesReceived = Metric(name: "hyperdht_responses_received_total", help: "Answers to our requests, by command.")
    public static let requestTimeouts = Metric(name: "hyperdht_request_timeouts_total", help: "Requests of ours that got no answer in time, by command.")
    public static let roundTripTime = Metric(name: "hyperdht_request_rtt_seconds", help: "Round-trip time of answered requests, by command.")
    // From the node's events, unlabelled.
    public static let responsesSent = Metric(name: "hyperdht_responses_sent_total", help: "Answers we sent to others' requests.")
    public static let eventsLost = Metric(name: "hyperdht_metrics_events_lost_total", help: "Node events the metrics missed because they fell behind (the per-command counts are short by at most this).")

    // From the node's snapshot, read at each scrape.
    public static let datagramsReceived = Metric(name: "hyperdht_datagrams_received_total", help: "UDP datagrams received (all, the malformed and rate-limited included).")
    public static let datagramsSent = Metric(name: "hyperdht_datagrams_sent_total", help: "UDP datagrams sent (requests, retransmissions, answers, forwards).")
    public static let bytesReceived = Metric(name: "hyperdht_received_bytes_total", help: "Bytes of UDP payload received.")
    public static let bytesSent = Metric(name: "hyperdht_sent_bytes_total", help: "Bytes of UDP payload sent.")
    public static let retransmissions = Metric(name: "hyperdht_retransmissions_total", help: "Requests sent again after a timeout tick.")
    public static let malformedDatagrams = Metric(name: "hyperdht_malformed_datagrams_total", help: "Datagrams dropped because they did not decode.")
    public static let rateLimitedDatagrams = Metric(name: "hyperdht_rate_limited_datagrams_total", help: "Datagrams dropped because their source went over the per-source rate limit.")
    public static let unmatchedResponses = Metric(name: "hyperdht_unmatched_responses_total", help: "Responses matching no request in flight (late, duplicated or unsolicited), dropped.")
    public static let spoofedResponses = Metric(name: "hyperdht_spoofed_responses_total", help: "Responses from an address the request did not go to, dropped.")
    public static let punchesForwarded = Metric(name: "hyperdht_holepunches_forwarded_total", help: "Hole-punch pings forwarded as a referrer.")
    public static let punchesRefused = Metric(name: "hyperdht_holepunches_refused_total", help: "Hole-punch forwards refused by the forwarding policy.")
    public static let nodesAdded = Metric(name: "hyperdht_routing_nodes_added_total", help: "Nodes that entered the routing table.")
    public static let nodesRemoved = Metric(name: "hyperdht_routing_nodes_removed_total", help: "Nodes that left the routing table.")
    public static let routingTableNodes = Metric(name: "hyperdht_routing_table_nodes", help: "Nodes in the routing table.")
    public static let inflightRequests = Metric(name: "hyperdht_inflight_requests", help: "Requests waiting for an answer.")
    public static let queuedRequests = Metric(name: "hyperdht_queued_requests", help: "Requests waiting for a free slot.")
    public static let activeWalks = Metric(name: "hyperdht_active_walks", help: "Walks (queries, updates, bootstraps) running.")
    public static let storeKeys = Metric(name: "hyperdht_store_keys", help: "Keys with live announcements in the peer store.")
    public static let storeEntries = Metric(name: "hyperdht_store_entries", help: "Live announcements in the peer store, over all keys.")
    public static let uptime = Metric(name: "hyperdht_uptime_seconds", help: "Time since the node started.")
    public static let ready = Metric(name: "hyperdht_ready", help: "1 once the first bootstrap finished, else 0.")

    /// Every metric, by name.
    public static let all: [String: Metric] = Dictionary(uniqueKeysWithValues: [
        requestsSent, requestsReceived, responsesReceived, requestTimeouts, roundTripTime, responsesSent, eventsLost,
        datagramsReceived, datagramsSent, bytesReceived, bytesSent, retransmissions, malformedDatagrams,
        rateLimitedDatagrams, unmatchedResponses, spoofedResponses, punchesForwarded, punchesRefused, nodesAdded,
        nodesRemoved, routingTableNodes, inflightRequests, queuedRequests, activeWalks, storeKeys, storeEntries, uptime,
        ready,
    ].map { ($0.name, $0) })

    /// The buckets of the round-trip histogram: loopback and LAN (sub-millisecond) to a slow path (5 s).
    public static let roundTripBuckets: [Duration] = [
        .microseconds(250), .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5),
    ]
}
