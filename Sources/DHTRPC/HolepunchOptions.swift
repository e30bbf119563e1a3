import UDPRequest

/// How ``DHTNode/holepunch(peer:referrer:options:completion:)`` goes about a punch.
public struct HolepunchOptions: Sendable, Equatable {
    /// Send a direct `_ping` to the peer just before asking the referrer, and once more
    /// ``followUpDelay`` later. Behind a NAT that filters by destination (every home router), the
    /// peer's answer is dropped unless our NAT already holds a mapping toward the peer: the first
    /// direct ping creates it (the peer's NAT drops that ping, which costs nothing), the second one
    /// gets through once the peer has answered the forward and so opened its own NAT toward us.
    /// Off only for probes that must not open our NAT (netcheck's filtering test).
    public var opensOwnMapping: Bool
    /// How long after the ask the second direct ping goes out (the forward's usual round trip).
    public var followUpDelay: Duration
    /// Retries and timeouts of each request of the punch.
    public var requestOptions: RequestOptions

    /// Creates options; the defaults punch through two port-preserving NATs.
    public init(opensOwnMapping: Bool = true, followUpDelay: Duration = .milliseconds(200),
                requestOptions: RequestOptions = .once) {
        self.opensOwnMapping = opensOwnMapping
        self.followUpDelay = followUpDelay
        self.requestOptions = requestOptions
    }

    /// The reference's punch: only the forwarded `_ping`, nothing sent to the peer directly.
    public static let forwardOnly = HolepunchOptions(opensOwnMapping: false)
}

/// Which of a punch's direct pings to the peer.
public enum HolepunchDirectPing: String, Sendable {
    /// Sent just before the referrer is asked: opens our NAT toward the peer.
    case before
    /// Sent ``HolepunchOptions/followUpDelay`` after the ask: reaches the peer once its NAT is open toward us.
    case after
}
