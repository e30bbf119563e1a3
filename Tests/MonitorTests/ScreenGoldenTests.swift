import Monitor
import Testing

/// What the monitor draws for a given model, compared as text with golden files.
@Suite struct ScreenGoldenTests {
    @Test(arguments: PaneID.allCases)
    func compactLayoutShowsTheFocusedPaneAt80x24(pane: PaneID) throws {
        var view = ViewState()
        view.focus = pane
        view.expandedBuckets = ["00"]
        view.expandedQueries = [7]
        let screen = MonitorRenderer.render(Fixture.context(view: view), width: 80, height: 24)
        try Golden.check(screen.text, "compact-80x24-\(pane.rawValue)")
    }

    @Test func gridLayoutShowsEveryPaneOnALargeTerminal() throws {
        let screen = MonitorRenderer.render(Fixture.context(), width: 160, height: 48)
        try Golden.check(screen.text, "grid-160x48")
        for pane in PaneID.allCases { #expect(screen.text.contains("\(pane.number) \(pane.title)")) }
    }

    @Test func helpOverlayListsEveryKeyAt80x24() throws {
        var view = ViewState()
        view.showsHelp = true
        let screen = MonitorRenderer.render(Fixture.context(view: view), width: 80, height: 24)
        try Golden.check(screen.text, "help-80x24")
        for binding in KeyMap.standard.bindings { #expect(screen.text.contains(binding.help), "\(binding.help)") }
    }

    @Test func tooSmallTerminalSaysSo() {
        let screen = MonitorRenderer.render(Fixture.context(), width: 60, height: 20)
        #expect(screen.text.contains("terminal too small: 60x20, the monitor needs 80x24"))
    }

    @Test func privacyModeMasksEveryAddress() {
        var view = ViewState()
        view.masking.isEnabled = true
        view.expandedBuckets = ["00", "01", "1"]
        let screen = MonitorRenderer.render(Fixture.context(view: view), width: 160, height: 48)
        #expect(!screen.text.contains("127.0.0."))
        #expect(screen.text.contains("PRIVACY"))
        #expect(screen.text.contains("host-"))
    }

    @Test func pausedShowsTheMarker() {
        var view = ViewState()
        view.isPaused = true
        let screen = MonitorRenderer.render(Fixture.context(view: view), width: 80, height: 24)
        #expect(screen.line(0).contains("PAUSED"))
        #expect(screen[screen.line(0).distance(to: "PAUSED"), 0].role == .marker)
    }

    @Test func localPathIsHighlightedAndSelectionIsStyled() {
        let screen = MonitorRenderer.render(Fixture.context(), width: 80, height: 24)
        let lines = (0..<24).map { screen.line($0) }
        let localRow = try! #require(lines.firstIndex { $0.contains("◆ us") })
        let column = lines[localRow].distance(to: "└─")
        #expect(screen[column, localRow].role == .localPath)
        // The first bucket row is selected in the focused tree pane.
        let firstBucket = try! #require(lines.firstIndex { $0.contains("├─") })
        #expect(screen[5, firstBucket].role == .selection)
    }

    @Test func storePaneSaysNoStoreUntilOneIsAttached() {
        var view = ViewState()
        view.focus = .store
        var screen = MonitorRenderer.render(Fixture.context(view: view), width: 80, height: 24)
        #expect(screen.text.contains("no HyperDHT store attached"))
        var model = Fixture.model()
        model.apply(store: StoreSnapshot(keys: [AnnouncedKey(key: Fixture.id(0x33), peers: [
            AnnouncedPeer(publicAddress: Fixture.address(5000, 20), localAddress: Fixture.address(5000, 30), age: .seconds(65), expiresIn: .seconds(1135)),
        ])], recentLookups: []))
        screen = MonitorRenderer.render(RenderContext(model: model, view: view, now: .seconds(4)), width: 80, height: 24)
        #expect(screen.text.contains("3311111111111111…  1 peer"))
        #expect(screen.text.contains("127.0.0.20:5000"))
        #expect(screen.text.contains("expires 18m55s"))
    }
}

extension String {
    /// The column where `needle` starts (0 when absent).
    func distance(to needle: String) -> Int {
        guard let range = range(of: needle) else { return 0 }
        return self[..<range.lowerBound].count
    }
}
