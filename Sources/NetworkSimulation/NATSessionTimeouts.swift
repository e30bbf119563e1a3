import UDPRequest

/// How long a NAT session (a Linux conntrack entry for UDP) lives after its last datagram.
///
/// Linux (`nf_conntrack_udp_packet`, kernels 5.x–6.x) refreshes an entry on **every** datagram it
/// passes, in either direction. The new lifetime is ``unreplied``
/// (`net.netfilter.nf_conntrack_udp_timeout`, 30 s) until a datagram has been seen in the reply
/// direction; after that it is ``stream`` (`nf_conntrack_udp_timeout_stream`, 120 s by default)
/// for datagrams arriving more than ``streamAfter`` (2 s) after the entry was created, and still
/// ``unreplied`` for those before. The first reply itself is refreshed with ``unreplied``: the
/// kernel marks "seen reply" only after the datagram has been processed.
///
/// So a single request and its answer keep a session for 30 s; traffic both ways that goes on for
/// more than 2 s keeps it for the stream timeout after its last datagram. The lab sets 30/40 s in its
/// NAT namespaces (``lab``) so expiry shows within a minute. Time is the virtual clock's, as
/// passed to the path policy.
public struct NATSessionTimeouts: Hashable, Sendable {
    /// Lifetime after a datagram while no reply has been seen (or within ``streamAfter`` of creation).
    public var unreplied: Duration
    /// Lifetime after a datagram once replies have been seen and the session is older than ``streamAfter``.
    public var stream: Duration
    /// Age after which a replied session counts as a stream (Linux: 2 s).
    public var streamAfter: Duration

    /// Creates timeouts.
    public init(unreplied: Duration, stream: Duration, streamAfter: Duration = .seconds(2)) {
        self.unreplied = unreplied
        self.stream = stream
        self.streamAfter = streamAfter
    }

    /// The lab's NAT namespaces: `nf_conntrack_udp_timeout=30`, `nf_conntrack_udp_timeout_stream=40`.
    public static let lab = NATSessionTimeouts(unreplied: .seconds(30), stream: .seconds(40))

    /// Linux's defaults: 30 s unreplied, 120 s stream.
    public static let linuxDefault = NATSessionTimeouts(unreplied: .seconds(30), stream: .seconds(120))

    /// When a session dies if a datagram passes it at `now`: `seenReply` says whether a datagram in
    /// the reply direction had been seen *before* this one.
    func expiry(createdAt: Timestamp, seenReply: Bool, now: Timestamp) -> Timestamp {
        let isStream = seenReply && now - createdAt > streamAfter
        return now + (isStream ? stream : unreplied)
    }
}
