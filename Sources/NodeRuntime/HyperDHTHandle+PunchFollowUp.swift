import DHTRPC
import IPEncoding
import NATDiagnosis

extension HyperDHTHandle {
    /// Punches a hole to `peer` through `referrer`; when the punch fails, runs the follow-up probes
    /// (``PunchFailureProbe``) and returns their verdict instead of a bare timeout. The follow-up's
    /// steps and verdict are also published as ``NodeEvent/punchFollowUp(_:)`` events as they happen.
    public func holepunchExplained(
        peer: PeerAddress, referrer: PeerAddress, options: HolepunchOptions = HolepunchOptions(),
        hints: PunchFailureProbe.Hints = PunchFailureProbe.Hints(),
        configuration: PunchFailureProbe.Configuration = PunchFailureProbe.Configuration()
    ) async throws -> PunchOutcome {
        try await confined.explainedHolepunch(
            peer: peer, referrer: referrer, options: options, hints: hints, configuration: configuration,
            dhtEvent: { event in
                if case .dht(let event) = event { return event }
                return nil
            },
            wrap: { .punchFollowUp($0) })
    }
}
