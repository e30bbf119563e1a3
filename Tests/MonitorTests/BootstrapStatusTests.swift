import Foundation
import Monitor
import Testing

/// The header's ready state: a bootstrap that left the routing table empty is a failure, said in full.
@Suite struct BootstrapStatusTests {
    @Test(arguments: [80, 120, 200])
    func aReadyNodeWithAnEmptyTableShowsTheBootstrapFailed(width: Int) {
        var status = Fixture.status
        status.buckets = []
        var model = MonitorModel()
        model.apply(status: status, at: .seconds(4))
        #expect(model.bootstrapFailed)
        let header = MonitorRenderer.render(RenderContext(model: model, view: ViewState(), now: .seconds(4)), width: width, height: 40).line(0)
        #expect(header.contains("✗ bootstrap failed: no node answered"), "\(header)")
        #expect(!header.contains("ready"), "\(header)")
    }

    @Test func aNodeWithContactsIsReady() {
        let header = MonitorRenderer.render(Fixture.context(), width: 80, height: 24).line(0)
        #expect(header.contains("● ready"), "\(header)")
        #expect(!Fixture.model().bootstrapFailed)
    }
}
