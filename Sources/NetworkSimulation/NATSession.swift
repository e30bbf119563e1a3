import IPEncoding
import UDPRequest

/// One internal endpoint's exchange with one remote endpoint through a NAT: a Linux conntrack
/// entry. Every datagram it passes, either way, pushes its expiry out (``NATSessionTimeouts``).
struct NATSession {
    let createdAt: Timestamp
    /// Whether the first datagram came from inside (an outbound session) or was let in.
    let openedFromInside: Bool
    /// Whether a datagram in the direction opposite to the first one has passed.
    private(set) var seenReply = false
    private(set) var expiresAt: Timestamp

    /// A session opened by a datagram passing at `now`.
    init(openedFromInside: Bool, at now: Timestamp, timeouts: NATSessionTimeouts?) {
        createdAt = now
        self.openedFromInside = openedFromInside
        expiresAt = timeouts?.expiry(createdAt: now, seenReply: false, now: now) ?? Timestamp(nanoseconds: .max)
    }

    /// Whether it still exists at `now`.
    func isAlive(at now: Timestamp) -> Bool { now < expiresAt }

    /// Records a datagram passing at `now`, outbound (from inside) or inbound.
    mutating func pass(outbound: Bool, at now: Timestamp, timeouts: NATSessionTimeouts?) {
        if let timeouts {
            expiresAt = max(expiresAt, timeouts.expiry(createdAt: createdAt, seenReply: seenReply, now: now))
        }
        if outbound != openedFromInside { seenReply = true }
    }
}

/// An internal endpoint's public port and the sessions that keep it: it lives while any of them does.
final class NATMapping {
    let internalEndpoint: PeerAddress
    let publicPort: UInt16
    private(set) var sessions: [PeerAddress: NATSession] = [:]
    /// The latest expiry of any session (expiries only grow), so liveness is one comparison.
    private(set) var expiresAt = Timestamp(nanoseconds: .min)
    /// The latest expiry of a session per remote host, for address-dependent filtering.
    private var expiryByHost: [IPAddress: Timestamp] = [:]
    private var pruneThreshold = 64

    init(internalEndpoint: PeerAddress, publicPort: UInt16) {
        self.internalEndpoint = internalEndpoint
        self.publicPort = publicPort
    }

    /// Whether any session lives at `now`.
    func isAlive(at now: Timestamp) -> Bool { now < expiresAt }

    /// Whether the session with `remote` lives at `now`.
    func hasLiveSession(with remote: PeerAddress, at now: Timestamp) -> Bool {
        sessions[remote]?.isAlive(at: now) ?? false
    }

    /// Whether a session with any port of `host` lives at `now`.
    func hasLiveSession(withHost host: IPAddress, at now: Timestamp) -> Bool {
        guard let expiry = expiryByHost[host] else { return false }
        return now < expiry
    }

    /// Records a datagram to or from `remote` at `now`, opening the session if it has none (or only
    /// a dead one).
    func pass(remote: PeerAddress, outbound: Bool, at now: Timestamp, timeouts: NATSessionTimeouts?) {
        var session: NATSession
        if let existing = sessions[remote], existing.isAlive(at: now) {
            session = existing
            session.pass(outbound: outbound, at: now, timeouts: timeouts)
        } else {
            session = NATSession(openedFromInside: outbound, at: now, timeouts: timeouts)
        }
        sessions[remote] = session
        expiresAt = max(expiresAt, session.expiresAt)
        expiryByHost[remote.host] = max(expiryByHost[remote.host] ?? session.expiresAt, session.expiresAt)
        if sessions.count > pruneThreshold { prune(at: now) }
    }

    /// The remote endpoints with a live session at `now`.
    func liveRemotes(at now: Timestamp) -> [PeerAddress] {
        sessions.filter { $0.value.isAlive(at: now) }.map(\.key)
    }

    /// Forgets dead sessions, so a busy mapping's table stays as large as its live sessions.
    private func prune(at now: Timestamp) {
        sessions = sessions.filter { $0.value.isAlive(at: now) }
        expiryByHost = expiryByHost.filter { now < $0.value }
        pruneThreshold = max(64, sessions.count * 2)
    }
}
