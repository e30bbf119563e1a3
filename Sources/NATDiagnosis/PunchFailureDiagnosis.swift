import IPEncoding

/// Why a hole punch failed, as far as the follow-up probes can tell. The raw values are the `cause`
/// ids of the command line's JSON contract (`hyperdht holepunch … --json`).
public enum PunchFailureCause: String, Sendable, Codable, CaseIterable {
    /// The referrer does not answer a direct `_ping`: it never forwarded ours.
    case referrerUnreachable = "referrer-unreachable"
    /// The referrer is alive and the peer silent, but the peer is likely alive: its NAT has probably
    /// dropped its idle mapping toward the referrer, so the forwarded ping never reached it.
    case peerMappingExpired = "peer-mapping-expired"
    /// The referrer is alive and the peer silent, and nothing shows the peer is alive: likely gone.
    case peerGone = "peer-gone"
    /// A NAT on the path (ours, or the peer's) gives each destination another port, so the answer
    /// goes to, or comes from, a port the other side's NAT has no mapping for.
    case portRandomisingNAT = "port-randomising-nat"
    /// The peer's public host is our own: it is behind our NAT, which does not hairpin; its LAN
    /// address reaches it.
    case samePublicAddress = "same-public-address"
    /// The probes found nothing that explains the failure.
    case unknown

    /// A few words for a timeline's status column.
    public var label: String {
        switch self {
        case .referrerUnreachable: "referrer unreachable"
        case .peerMappingExpired: "peer's NAT mapping expired"
        case .peerGone: "peer likely gone"
        case .portRandomisingNAT: "port-randomising NAT"
        case .samePublicAddress: "peer behind our NAT"
        case .unknown: "cause unknown"
        }
    }
}

/// One thing a follow-up probe found (or did), with when it happened.
public struct PunchEvidence: Sendable, Equatable {
    /// Time since the punch started (on the node's scheduler clock).
    public var at: Duration
    /// What was done or found, in one line.
    public var text: String
    /// Whether this is a symptom of the failure (rendered as a problem) rather than a plain step.
    public var isProblem: Bool

    /// Creates an evidence line.
    public init(at: Duration, text: String, isProblem: Bool = false) {
        self.at = at
        self.text = text
        self.isProblem = isProblem
    }
}

/// The follow-up's result: the likely cause of a failed punch, one explanation for people, and the
/// evidence behind it in the order it was gathered.
public struct PunchFailureDiagnosis: Sendable, Equatable {
    /// The peer the punch tried to reach.
    public var peer: PeerAddress
    /// The node asked to forward the punch.
    public var referrer: PeerAddress
    /// The likely cause.
    public var cause: PunchFailureCause
    /// One or two sentences: what happened and what to do about it. Says "likely" where it is a guess.
    public var explanation: String
    /// The steps and findings behind ``cause``, oldest first.
    public var evidence: [PunchEvidence]

    /// Creates a diagnosis.
    public init(peer: PeerAddress, referrer: PeerAddress, cause: PunchFailureCause, explanation: String,
                evidence: [PunchEvidence]) {
        self.peer = peer
        self.referrer = referrer
        self.cause = cause
        self.explanation = explanation
        self.evidence = evidence
    }
}
