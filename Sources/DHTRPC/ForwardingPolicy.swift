import UDPRequest

/// Where a node acting as hole-punch referrer agrees to forward a `_ping` (see
/// ``DHTNode`` "Forwarding"). The reference forwards to any address a request names, which makes
/// every node an open reflector; we forward only to peers we have reason to know:
/// - in the routing table, in an upper layer's store (``DHTNode/vouchesForForwardTarget``), or a
///   recent sender of a valid datagram (the last ``recentSenderWindow``, at most
///   ``recentSenderCapacity`` addresses per half-window);
/// - never to unspecified, multicast, broadcast or reserved addresses, nor to port 0;
/// - to loopback or a private block only for a requester in that same block;
/// - at most ``perSourceLimit`` forwards per requester host.
public struct ForwardingPolicy: Sendable, Equatable {
    /// How long a valid datagram's sender stays a known forward target.
    public var recentSenderWindow: Duration
    /// The most senders remembered per half-window (two halves are kept), so memory is bounded.
    public var recentSenderCapacity: Int
    /// Forwards per requester host. A walk punches at most a few peers through one referrer, and the
    /// monitor's or CLI's punch is one request plus follow-ups; 20 per second with bursts of 40 is far
    /// above that, and caps what one requester can make us send.
    public var perSourceLimit: SourceRateLimit

    /// Creates a policy; the defaults are described on each property.
    public init(recentSenderWindow: Duration = .seconds(120), recentSenderCapacity: Int = 4_096,
                perSourceLimit: SourceRateLimit = SourceRateLimit(ratePerSecond: 20, burst: 40, maxTrackedSources: 4_096)) {
        self.recentSenderWindow = recentSenderWindow
        self.recentSenderCapacity = recentSenderCapacity
        self.perSourceLimit = perSourceLimit
    }
}

/// Why a hole-punch forward was refused (``DHTEvent/holepunchForwardRefused(from:to:reason:)``).
public enum ForwardRefusal: String, Sendable, CaseIterable {
    /// The target is an unspecified, multicast, broadcast or reserved address, or port 0.
    case unroutableTarget = "unroutable target"
    /// The target is on loopback or in a private block the requester is not in.
    case privateTargetFromOutside = "private target, requester outside its network"
    /// The target is not in the routing table, not vouched for by the store, and sent nothing lately.
    case unknownTarget = "unknown target"
    /// The requester went over its per-source forward limit.
    case rateLimited = "rate limited"
}
