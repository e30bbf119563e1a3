import IPEncoding

/// Decides the likely cause of a failed punch from what the follow-up probes found. Pure: the same
/// facts always give the same verdict, so every rule is unit-tested on its own.
///
/// The rules, first match wins:
/// 1. The referrer does not answer a direct `_ping` → ``PunchFailureCause/referrerUnreachable``.
///    (By protocol a referrer never answers a forwarded ping, so only a direct ping tells.)
/// 2. The peer answers a direct `_ping` now → ``PunchFailureCause/unknown``: the path works, the
///    failure was transient – or, after a punch without direct pings, our NAT had no mapping toward the peer.
/// 3. We are behind a NAT and the peer's host is our public host → ``PunchFailureCause/samePublicAddress``
///    (most NATs do not hairpin; the peer's LAN address reaches it).
/// 4. Nodes see us at different ports, the peer answered from another port, or the nodes storing
///    the peer's announcement each see it at another port → ``PunchFailureCause/portRandomisingNAT``.
/// 5. The referrer answers, the peer does not. Mapping expired or gone? Nothing we send can tell
///    an alive peer behind a filtering NAT with no mapping toward the referrer from a gone one: its
///    NAT drops our direct pings as it drops the forward. So the classifier looks for proof of life:
///    - a punch through another node that returned the peer worked → ``PunchFailureCause/peerMappingExpired``
///      (alive; its NAT still holds a mapping toward that node but no longer toward this referrer);
///    - we heard from the peer's address within ``recentlyAliveWindow`` → ``PunchFailureCause/peerMappingExpired``, likely;
///    - otherwise → ``PunchFailureCause/peerGone``, likely. Peers of this project keep the mappings
///      toward the nodes storing their announcements open (keep-alive pings), so silence through a
///      storing node that answers us points to a gone peer; a peer that keeps no mapping open (the
///      nodejs reference, `--keepalive 0`) looks the same once idle past its NAT's timeout, which the
///      explanation says.
public struct PunchFailureClassifier: Sendable {
    /// How recently the peer must have been heard from to count as alive.
    public var recentlyAliveWindow: Duration

    /// Creates a classifier; by default a peer heard from within 5 minutes (hyperdht's re-announce
    /// interval) counts as alive.
    public init(recentlyAliveWindow: Duration = .seconds(300)) {
        self.recentlyAliveWindow = recentlyAliveWindow
    }

    /// The likely cause and its explanation.
    public func classify(_ facts: PunchFailureFacts) -> (cause: PunchFailureCause, explanation: String) {
        let peer = facts.peer, referrer = facts.referrer
        if facts.referrerAnswered == false {
            let others = facts.observations.filter { $0.reporter != referrer }.count
            let network = facts.otherNodesAsked == 0 ? ""
                : others == 0 ? " No other node answered either (\(facts.otherNodesAsked) asked): our own connection may be down."
                : " Other nodes answer us (\(others) of \(facts.otherNodesAsked)), so our connection works."
            return (.referrerUnreachable,
                    "referrer \(referrer) does not answer a direct ping: it is down or unreachable from here, so it never forwarded our ping.\(network) Punch through another node that returned the peer.")
        }
        if facts.peerAnsweredDirectPing == true, !facts.punchOpenedOwnMapping {
            return (.unknown,
                    "the peer answers a direct ping now: the forward reached it and its answer opened its NAT toward us, but our NAT dropped that answer – it held no mapping toward the peer, because this punch sent no direct pings (as the nodejs reference punches). A punch with direct pings (the default) works.")
        }
        if facts.peerAnsweredDirectPing == true {
            return (.unknown,
                    "the peer answers direct pings now: the path works and the punch's failure looks transient (lost datagrams?). Try again.")
        }
        if facts.behindNAT == true, !Self.isLoopback(peer.host),
           facts.observations.contains(where: { $0.observed.host == peer.host }) {
            return (.samePublicAddress,
                    "the peer's public host \(peer.host) is our own public host: it is behind our NAT, which (like most) does not hairpin. Use its LAN address (a lookup from this LAN returns it among the local peers).")
        }
        if facts.ourMappingVariesByDestination == true {
            let seen = facts.observations.map { "\($0.reporter) sees \($0.observed)" }.joined(separator: ", ")
            return (.portRandomisingNAT,
                    "our NAT gives each destination another port (\(seen)): the peer answers at the port the referrer saw, which our NAT keeps for the referrer alone. Hole punching works only with peers whose NAT accepts any source (full cone).")
        }
        if let other = facts.answersFromAnotherPeerPort.first {
            return (.portRandomisingNAT,
                    "the peer's NAT gives each destination another port: its answer came from \(other), not from \(peer), the address punched, so it was dropped (a punch's answer is accepted only from the address punched, and a NAT that filters by port drops it too). A peer behind a port-randomising NAT cannot be punched this way.")
        }
        let ports = facts.peerPortsVaryingByDestination
        if !ports.isEmpty {
            return (.portRandomisingNAT,
                    "the peer's NAT gives each destination another port: the nodes storing its announcement see \(peer.host) at \(ports.count) ports (\(Self.list(ports))), so its answer to us comes from a port our NAT has no mapping for.")
        }
        guard facts.referrerAnswered == true else {
            return (.unknown, "the follow-up probes did not finish, so nothing explains the failure.")
        }
        if let alive = facts.alternatePunches.first(where: \.answered) {
            return (.peerMappingExpired,
                    "the peer is alive (a punch through \(alive.referrer) worked) but the forward through \(referrer) never reached it: its NAT has likely dropped its idle mapping toward \(referrer). Punch through \(alive.referrer).")
        }
        let tried = facts.alternatePunches.isEmpty ? "" : ", nor punches through \(facts.alternatePunches.count) other node(s) that returned it"
        if let heard = facts.lastHeardFromPeer, heard <= recentlyAliveWindow {
            return (.peerMappingExpired,
                    "the referrer answers, the peer does not\(tried); we heard from the peer \(Self.format(heard)) ago, so it is likely alive and its NAT has dropped its idle mapping toward \(referrer) (home NATs drop idle UDP mappings after ~30–120 s). Punch through a node it talked to recently, or once it re-announces.")
        }
        return (.peerGone,
                "the referrer answers, the peer does not – neither the forward nor our direct pings\(tried) – and nothing shows it is alive: it has likely gone (its announcement outlives it by up to 12 minutes). An alive peer that keeps no NAT mapping toward \(referrer) open (the nodejs reference, --keepalive 0) looks the same once idle past its NAT's timeout.")
    }

    /// Up to six ports, then how many more.
    static func list(_ ports: [UInt16]) -> String {
        let shown = ports.prefix(6).map(String.init).joined(separator: ", ")
        return ports.count > 6 ? "\(shown) and \(ports.count - 6) more" : shown
    }

    static func isLoopback(_ host: IPAddress) -> Bool {
        host.isIPv4 && host.octets.first == 127 || host == .loopbackV6
    }

    static func format(_ duration: Duration) -> String {
        let seconds = Int(duration.milliseconds / 1000)
        return seconds < 120 ? "\(seconds) s" : "\(seconds / 60) min"
    }
}
