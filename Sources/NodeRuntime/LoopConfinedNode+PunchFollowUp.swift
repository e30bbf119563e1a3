import DHTRPC
import IPEncoding
import NATDiagnosis
import NIOCore

extension LoopConfinedNode {
    /// Punches a hole to `peer` through `referrer` and, when that fails, runs ``PunchFailureProbe``'s
    /// follow-up on the node's loop. The probe sees the node's events as they happen (`dhtEvent`
    /// picks the DHT ones out of `Event`), and its steps are published to every subscriber as they
    /// happen (`wrap` turns them into `Event`s).
    func explainedHolepunch(
        peer: PeerAddress, referrer: PeerAddress, options: HolepunchOptions, hints: PunchFailureProbe.Hints,
        configuration: PunchFailureProbe.Configuration,
        dhtEvent: @escaping @Sendable (Event) -> DHTEvent?,
        wrap: @escaping @Sendable (PunchFailureProbe.Event) -> Event
    ) async throws -> PunchOutcome {
        let broadcaster = self.broadcaster
        return try await callback { node, done in
            let probe = PunchFailureProbe(node: node.dht, peer: peer, referrer: referrer,
                                          localAddress: node.dht.localAddress, hints: hints, configuration: configuration)
            let observer = broadcaster.value.addObserver { event in
                if let event = dhtEvent(event) { probe.observe(event) }
            }
            probe.onEvent = { broadcaster.value.publish(wrap($0)) }
            probe.run(options: options) { outcome in
                broadcaster.value.removeObserver(observer)
                done(outcome)
            }
        }
    }
}
