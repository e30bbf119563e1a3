import DHTRPC
import KBucket
import Monitor
import Testing

/// Routing-table changes flash in the k-bucket tree for a moment, then stop (no terminal involved).
@Suite struct RoutingFlashTests {
    /// The fixture's buckets: "00" holds 0x12… and 0x2C…, "01" (ours) holds 0x44…, "1" holds 20 contacts.
    static let changedAt = Duration.seconds(4)
    static let size = (width: 160, height: 48)

    /// The grid layout with the tree visible but not focused (a selected row shows the selection, not
    /// the flash), bucket "00" expanded.
    static func render(_ events: [MonitorEvent], now: Duration) -> (rows: [PaneRow], screen: ScreenBuffer, pane: Rect) {
        var model = MonitorModel()
        model.apply(status: Fixture.status, at: changedAt)
        model.apply(events, at: changedAt)
        var view = ViewState()
        view.focus = .inflight
        view.expandedBuckets = ["00"]
        let context = RenderContext(model: model, view: view, now: now)
        let pane = MonitorLayout(width: size.width, height: size.height, focus: view.focus).panes[.buckets]!
        return (MonitorRenderer.rows(of: .buckets, context, width: pane.width - 2),
                MonitorRenderer.render(context, width: size.width, height: size.height), pane)
    }

    /// The roles of the cells inside the tree pane on the screen row whose pane text contains `text`
    /// (empty when no row does).
    static func roles(ofRowContaining text: String, in screen: ScreenBuffer, pane: Rect) -> Set<StyleRole> {
        for y in pane.y..<pane.maxY {
            let inside = String((pane.x..<pane.maxX).map { screen[$0, y].character })
            if inside.contains(text) { return Set((pane.x + 1..<pane.maxX - 1).map { screen[$0, y].role }) }
        }
        return []
    }

    /// Whether the row containing `text` is on screen and not flashing.
    static func isSteady(_ text: String, in rendered: (rows: [PaneRow], screen: ScreenBuffer, pane: Rect)) -> Bool {
        let roles = roles(ofRowContaining: text, in: rendered.screen, pane: rendered.pane)
        return !roles.isEmpty && !roles.contains(.flash)
    }

    static func node(_ byte: UInt8) -> NodeReference { NodeReference(id: Fixture.id(byte), address: Fixture.address(40000 + UInt16(byte))) }

    static func flashing(_ rows: [PaneRow]) -> [RowKey?] { rows.filter(\.flashes).map(\.key) }

    @Test func anAddedContactFlashesItsRowAndItsBucketThenStops() {
        let now = Self.render([.nodeAdded(Self.node(0x12))], now: Self.changedAt + .milliseconds(100))
        #expect(Self.flashing(now.rows) == [.bucket("00"), .contact(Fixture.id(0x12).hexString)])
        #expect(Self.roles(ofRowContaining: " 2/20", in: now.screen, pane: now.pane) == [.flash])
        #expect(Self.roles(ofRowContaining: "12111111", in: now.screen, pane: now.pane) == [.flash])
        #expect(Self.isSteady("2c111111", in: now))
        #expect(Self.isSteady("20/20", in: now))

        let later = Self.render([.nodeAdded(Self.node(0x12))], now: Self.changedAt + .milliseconds(1600))
        #expect(Self.flashing(later.rows).isEmpty)
        #expect(!later.screen.cells.contains { $0.role == .flash })
    }

    @Test func aRefreshedContactFlashesItsOwnRowOnly() {
        let now = Self.render([.nodeRefreshed(Self.node(0x2C))], now: Self.changedAt + .milliseconds(100))
        #expect(Self.flashing(now.rows) == [.contact(Fixture.id(0x2C).hexString)])
        #expect(Self.roles(ofRowContaining: "2c111111", in: now.screen, pane: now.pane) == [.flash])
        #expect(Self.isSteady(" 2/20", in: now))

        let later = Self.render([.nodeRefreshed(Self.node(0x2C))], now: Self.changedAt + .milliseconds(1600))
        #expect(Self.flashing(later.rows).isEmpty)
    }

    @Test func aRemovedContactFlashesTheBucketItLeft() {
        // 0x30… = 0011…: it left bucket "00" (the status no longer lists it).
        let now = Self.render([.nodeRemoved(Self.node(0x30), reason: "timed out")], now: Self.changedAt + .milliseconds(100))
        #expect(Self.flashing(now.rows) == [.bucket("00")])
        #expect(Self.roles(ofRowContaining: " 2/20", in: now.screen, pane: now.pane) == [.flash])

        let later = Self.render([.nodeRemoved(Self.node(0x30), reason: "timed out")], now: Self.changedAt + .milliseconds(1600))
        #expect(Self.flashing(later.rows).isEmpty)
        #expect(Self.isSteady(" 2/20", in: later))
    }

    @Test func theFlashLastsTheWindowOfRoutingChanges() {
        let window = RoutingChanges().window
        let edge = Self.render([.nodeAdded(Self.node(0x12))], now: Self.changedAt + window)
        #expect(!Self.flashing(edge.rows).isEmpty, "still flashing at the end of the window")
        let after = Self.render([.nodeAdded(Self.node(0x12))], now: Self.changedAt + window + .milliseconds(1))
        #expect(Self.flashing(after.rows).isEmpty)
    }
}
