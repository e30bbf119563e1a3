/// Running totals kept by a ``RequestSocket``; cheap to copy for a monitor's header.
public struct RequestSocketCounters: Sendable, Equatable, Codable {
    /// Datagrams received (all, including the malformed).
    public var datagramsIn = 0
    /// Datagrams sent (requests, retransmissions, responses, forwards).
    public var datagramsOut = 0
    /// Bytes received.
    public var bytesIn = 0
    /// Bytes sent.
    public var bytesOut = 0
    /// Requests received and handed up.
    public var requestsIn = 0
    /// Requests sent (first transmissions only).
    public var requestsOut = 0
    /// Responses matched to a request of ours.
    public var responsesMatched = 0
    /// Retransmissions.
    public var retransmissions = 0
    /// Requests failed with ``RequestSocketError/timedOut``.
    public var timeouts = 0
    /// Datagrams dropped because they did not decode (too short, garbage, missing required field).
    public var malformedDropped = 0
    /// Responses whose tid matched nothing in flight (late, duplicated or unsolicited).
    public var unmatchedResponses = 0
    /// Responses whose tid matched but whose source was not where the request went: dropped.
    public var spoofedResponses = 0
    /// Datagrams dropped because their source was over its ``SourceRateLimit``.
    public var rateLimitedDropped = 0

    /// Creates zeroed counters.
    public init() {}
}
