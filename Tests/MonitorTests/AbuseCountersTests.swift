import DHTRPC
import IPEncoding
import KBucket
import Monitor
import Testing

/// Refused hole-punch forwards and rate-limited datagrams are visible: counters in the header, and
/// each refusal as a row in the Hole punch pane, with its reason.
@Suite struct AbuseCountersTests {
    private let requester = PeerAddress(host: IPAddress(198, 51, 100, 2), port: 40000)
    private let target = PeerAddress(host: IPAddress(198, 51, 100, 99), port: 7)

    private func context(masking: Bool = false) -> RenderContext {
        var model = Fixture.model()
        var status = Fixture.status
        status.socketCounters.rateLimitedDropped = 19_001
        status.counters.holepunchForwardsRefused = 200
        model.apply(status: status, at: .seconds(4))
        model.apply([TimedEvent(at: .seconds(3), event: .holepunchForwardRefused(
            from: requester, to: target, reason: ForwardRefusal.unknownTarget.rawValue))], now: .seconds(4))
        var view = ViewState()
        view.focus = .holepunch
        view.masking.isEnabled = masking
        return RenderContext(model: model, view: view, now: .seconds(4))
    }

    @Test func theHeaderCountsRateLimitedDatagramsAndRefusedForwards() {
        let screen = MonitorRenderer.render(context(), width: 160, height: 40)
        #expect(screen.line(2).contains("rate-limited 19"), "\(screen.line(2))")
        #expect(screen.line(2).contains("fwd refused 200"), "\(screen.line(2))")
    }

    @Test func aRefusedForwardIsARowWithItsReasonAndPrivacyModeMasksIt() {
        let text = MonitorRenderer.render(context(), width: 160, height: 40).text
        #expect(text.contains("refused \(requester) → \(target)"), "\(text)")
        #expect(text.contains("forward to") && text.contains("unknown target"))
        let masked = MonitorRenderer.render(context(masking: true), width: 160, height: 40).text
        #expect(!masked.contains("198.51.100.99") && !masked.contains("198.51.100.2"))
        #expect(masked.contains("unknown target"))
    }

    @Test func aQuietNodeDoesNotShowTheCounters() {
        var model = Fixture.model()
        model.apply(status: Fixture.status, at: .seconds(4))
        let screen = MonitorRenderer.render(RenderContext(model: model, view: ViewState(), now: .seconds(4)), width: 160, height: 40)
        #expect(!screen.line(2).contains("rate-limited") && !screen.line(2).contains("fwd refused"))
    }
}
