import IPEncoding
import KBucket
import Monitor
import Testing

/// The store pane shows what a kept announcement's keep-alive pings found; the header shows the LAN
/// address we share (instead of 0.0.0.0), and privacy mode masks it.
@Suite struct KeepAliveAndLANAddressTests {
    private let key = NodeID([UInt8](repeating: 0xAB, count: 32))
    private let lan = PeerAddress(host: IPAddress(10, 1, 0, 11), port: 45057)

    private func context(masking: Bool = false) -> RenderContext {
        var model = Fixture.model()
        var status = Fixture.status
        status.lanAddress = lan
        model.apply(status: status, at: .seconds(4))
        model.apply(store: StoreSnapshot(keys: [], recentLookups: [], kept: [
            KeptKey(key: key, lastRound: KeepAliveRound(storingNodes: 20, answered: 19, behindNAT: true,
                                                        age: .seconds(3), interval: .seconds(25))),
            KeptKey(key: NodeID([UInt8](repeating: 0xCD, count: 32))),
        ]))
        var view = ViewState()
        view.focus = .store
        view.masking.isEnabled = masking
        return RenderContext(model: model, view: view, now: .seconds(4))
    }

    @Test func theStorePaneShowsEachKeptKeysLastKeepAliveRound() {
        let text = MonitorRenderer.render(context(), width: 120, height: 30).text
        #expect(text.contains("announced by us, kept"))
        #expect(text.contains("keep-alive every 25.0s: 19/20 storing nodes answered 3.0s ago (behind NAT)"), "\(text)")
        #expect(text.contains("keep-alive: first round pending"))
    }

    @Test func theHeaderShowsTheSharedLANAddressAndPrivacyModeMasksIt() {
        let plain = MonitorRenderer.render(context(), width: 120, height: 30)
        #expect(plain.line(1).contains("LAN \(lan)"), "\(plain.line(1))")
        let masked = MonitorRenderer.render(context(masking: true), width: 120, height: 30)
        #expect(!masked.text.contains("10.1.0.11"))
        #expect(masked.line(1).contains("LAN "))
    }
}
