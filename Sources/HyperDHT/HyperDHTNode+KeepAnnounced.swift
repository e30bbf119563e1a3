import DHTRPC
import IPEncoding
import KBucket
import UDPRequest

extension HyperDHTNode {
    /// Announces `key` now and again every `interval` until the handle is cancelled, and between
    /// announces pings the nodes storing it per `keepAlive`, so a NAT in front of us keeps the mappings
    /// their forwarded punches come in through. `onResult` gets the peers every round finds,
    /// `onRound` each round's summary.
    public func keepAnnounced(key: NodeID, port: UInt16 = 0, localAddress: PeerAddress? = nil,
                              interval: Duration = HyperDHTNode.reannounceInterval,
                              keepAlive: KeepAliveConfiguration = KeepAliveConfiguration(),
                              onResult: @escaping (PeerResult) -> Void = { _ in },
                              onRound: @escaping (QuerySummary) -> Void = { _ in }) -> any Cancellable {
        let kept = KeptAnnouncementState(key: key, keepAlive: keepAlive)
        func round() {
            guard !kept.cancelled, !dht.isClosed else { return }
            kept.keepAliveTimer?.cancel()
            announce(key: key, port: port, localAddress: localAddress, onResult: onResult) { [weak self] summary, storing in
                onRound(summary)
                guard let self, !kept.cancelled else { return }
                kept.storingNodes = Array(storing.prefix(self.dht.configuration.k))
                kept.reannounceTimer = self.dht.scheduler.schedule(after: interval) { round() }
                self.scheduleKeepAlive(kept)
            }
        }
        round()
        return kept
    }

    private func scheduleKeepAlive(_ kept: KeptAnnouncementState) {
        guard kept.keepAlive.mode != .off, !kept.storingNodes.isEmpty else { return }
        kept.keepAliveTimer = dht.scheduler.schedule(after: kept.keepAlive.interval) { [weak self] in
            guard let self, !kept.cancelled, !self.dht.isClosed else { return }
            self.keepAliveRound(kept)
        }
    }

    /// Pings every storing node once; reports the round, and goes on unless it showed we are public.
    private func keepAliveRound(_ kept: KeptAnnouncementState) {
        let nodes = kept.storingNodes
        var waiting = nodes.count, answered = 0
        var observed: [PeerAddress] = []
        for node in nodes {
            dht.ping(node.address) { [weak self] result in
                if case .success(let reply) = result {
                    answered += 1
                    observed.append(reply.observedAddress)
                }
                waiting -= 1
                guard waiting == 0, let self, !kept.cancelled else { return }
                let translated = self.isTranslated(observed)
                let pausing = kept.keepAlive.mode == .whenBehindNAT && translated == false
                self.onEvent?(.keepAlivePinged(key: kept.key, storingNodes: nodes.count, answered: answered,
                                               behindNAT: translated, next: pausing ? nil : kept.keepAlive.interval))
                if !pausing { self.scheduleKeepAlive(kept) }
            }
        }
    }

    /// Whether the addresses nodes see us at differ from our own: `nil` when nothing says (no answers,
    /// or bound to an unspecified host with no known LAN address).
    private func isTranslated(_ observed: [PeerAddress]) -> Bool? {
        guard !observed.isEmpty else { return nil }
        let bound = dht.localAddress
        let ownHost = bound.host.isUnspecified ? lanAddress?.host : bound.host
        guard let ownHost else { return nil }
        let own = PeerAddress(host: ownHost, port: bound.port)
        return observed.contains { $0 != own }
    }
}

/// The handle of ``HyperDHTNode/keepAnnounced(key:port:localAddress:interval:keepAlive:onResult:onRound:)``
/// and its state between rounds.
final class KeptAnnouncementState: Cancellable {
    let key: NodeID
    let keepAlive: KeepAliveConfiguration
    var storingNodes: [NodeReference] = []
    var reannounceTimer: (any Cancellable)?
    var keepAliveTimer: (any Cancellable)?
    var cancelled = false

    init(key: NodeID, keepAlive: KeepAliveConfiguration) {
        self.key = key
        self.keepAlive = keepAlive
    }

    func cancel() {
        cancelled = true
        reannounceTimer?.cancel()
        keepAliveTimer?.cancel()
    }
}
