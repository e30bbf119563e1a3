import IPEncoding

/// A request the controller hands to the backend (the controller itself never waits for the node).
public enum BackendRequest: Equatable, Sendable {
    /// Ping an address.
    case ping(PeerAddress)
    /// Punch a hole to `peer` through `referrer`.
    case holepunch(peer: PeerAddress, referrer: PeerAddress)
    /// Re-run the bootstrap walk.
    case bootstrap
    /// Look a key or topic up.
    case lookup(LookupTarget)
    /// Announce under a key or topic.
    case announce(LookupTarget)
    /// Withdraw an announcement.
    case unannounce(LookupTarget)

    /// Runs the request on `backend` and describes the result for the message line.
    public func perform(on backend: any MonitorBackend, mask: AddressMasking) async -> (text: String, isError: Bool) {
        do {
            switch self {
            case .ping(let address):
                let reply = try await backend.ping(address)
                return ("ping \(mask.text(address)): RTT \(Formatting.duration(reply.roundTripTime))"
                        + (reply.responderID.map { ", id \($0.hexString.prefix(8))" } ?? "")
                        + ", sees us at \(mask.text(reply.observedAddress))", false)
            case .holepunch(let peer, let referrer):
                let reply = try await backend.holepunch(peer: peer, referrer: referrer)
                return ("punch \(mask.text(peer)) via \(mask.text(referrer)): answered from \(mask.text(reply.responder)), RTT \(Formatting.duration(reply.roundTripTime))", false)
            case .bootstrap:
                let responses = try await backend.bootstrap()
                return ("bootstrap finished: \(Formatting.counted(responses, "node")) answered", false)
            case .lookup(let target):
                let outcome = try await backend.lookup(target)
                let peers = outcome.peers.prefix(3).map { mask.text($0.publicAddress) }.joined(separator: ", ")
                return ("lookup \(target): \(Formatting.counted(outcome.peers.count, "peer"))\(peers.isEmpty ? "" : " – \(peers)"), \(Formatting.counted(outcome.closest.count, "node")) answered in \(Formatting.duration(outcome.duration))", false)
            case .announce(let target):
                let outcome = try await backend.announce(target)
                return ("announced under \(target) on \(Formatting.counted(outcome.closest.count, "node"))", false)
            case .unannounce(let target):
                let outcome = try await backend.unannounce(target)
                // A node acknowledges an unannounce whether or not it stored the announcement.
                return ("unannounce \(target): \(Formatting.counted(outcome.closest.count, "node")) acknowledged the removal", false)
            }
        } catch {
            return (mask.text(masking: "\(label) failed: \(error)"), true)  // error texts name addresses too
        }
    }

    /// What the message line says while the request runs.
    public func pendingText(mask: AddressMasking) -> String {
        switch self {
        case .ping(let address): "pinging \(mask.text(address))…"
        case .holepunch(let peer, let referrer): "punching \(mask.text(peer)) via \(mask.text(referrer))…"
        case .bootstrap: "bootstrapping…"
        case .lookup(let target): "looking up \(target)…"
        case .announce(let target): "announcing under \(target)…"
        case .unannounce(let target): "unannouncing \(target)…"
        }
    }

    private var label: String {
        switch self {
        case .ping(let address): "ping \(address)"
        case .holepunch: "hole punch"
        case .bootstrap: "bootstrap"
        case .lookup: "lookup"
        case .announce: "announce"
        case .unannounce: "unannounce"
        }
    }
}
