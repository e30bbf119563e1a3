import IPEncoding
import KBucket
import Monitor
import Testing

/// Filters say when nothing matches and keep families together; the store pane scrolls to its last row
/// and fits its columns to its width.
@Suite struct FilterAndScrollTests {
    static func storeSnapshot(keys: Int = 10) -> StoreSnapshot {
        var announced: [AnnouncedKey] = []
        for index in 0..<keys {
            let peers = (0..<3).map { slot in
                AnnouncedPeer(publicAddress: Fixture.address(UInt16(50_000 + index * 10 + slot), 20),
                              localAddress: Fixture.address(5000, 30), age: .seconds(65), expiresIn: .seconds(1135))
            }
            announced.append(AnnouncedKey(key: Fixture.id(UInt8(0x40 + index)), peers: peers))
        }
        var lookups: [RecentLookup] = []
        for index in 0..<4 {
            let port = UInt16(51_000 + index)
            lookups.append(RecentLookup(key: Fixture.id(UInt8(0x70 + index)), from: Fixture.address(port), age: .seconds(Int64(index))))
        }
        return StoreSnapshot(keys: announced, recentLookups: lookups)
    }

    static func controller(store: StoreSnapshot = storeSnapshot()) -> MonitorController {
        var controller = ControllerTests.controller()
        var batch = MonitorInbox.Batch()
        batch.store = .some(store)
        controller.receive(batch, now: .seconds(4))
        return controller
    }

    static func focus(_ pane: PaneID, _ controller: inout MonitorController) {
        while controller.view.focus != pane { _ = controller.handle(.tab) }
    }

    /// j, PgDn (and holding either) reach the last row of a long store: the last key's peers and the
    /// recent lookups below, with nothing left "more" below.
    @Test(arguments: [KeyInput.character("j"), .pageDown, .end])
    func theStorePaneScrollsToItsLastRow(key: KeyInput) {
        var controller = Self.controller()
        Self.focus(.store, &controller)
        for _ in 0..<100 { _ = controller.handle(key) }
        let screen = controller.frame(width: 80, height: 24, now: .seconds(4)).text
        #expect(screen.contains("── looked up here recently"), "\(screen)")
        #expect(screen.contains("127.0.0.1:51003"), "the last lookup: \(screen)")
        #expect(!screen.contains("more "), "\(screen)")
        #expect(screen.contains("127.0.0.20:50092"), "the last key's last peer: \(screen)")
        // Going up again selects the last key's peers one by one (the heading is passed over).
        for _ in 0..<6 { _ = controller.handle(.character("k")) }
        let up = controller.frame(width: 80, height: 24, now: .seconds(4))
        let selectedRow = (5..<22).first { y in (1..<79).contains { up[$0, y].role == .selection } }  // below the tab bar
        #expect(selectedRow.map { up.line($0).contains("127.0.0.20:50090") } == true, "\(up.text)")
    }

    /// Home and End select the first and the last row.
    @Test func homeAndEndSelectTheFirstAndLastRow() {
        var controller = Self.controller()
        Self.focus(.store, &controller)
        _ = controller.handle(.end)
        #expect(controller.view.selection[.store] == .stored("lookup 3"))
        _ = controller.handle(.home)
        #expect(controller.view.selection[.store] == .stored("key \(Fixture.id(0x40).hexString)"))
    }

    /// Every peer row shows its expiry whole, at every width the store pane gets.
    @Test(arguments: [(80, 24), (120, 40), (160, 48), (200, 60), (250, 70)])
    func storeColumnsFitThePane(width: Int, height: Int) {
        var controller = Self.controller(store: Self.storeSnapshot(keys: 2))
        Self.focus(.store, &controller)
        let screen = controller.frame(width: width, height: height, now: .seconds(4))
        let rows = (0..<height).map { screen.line($0) }.filter { $0.contains("127.0.0.20:5000") }
        #expect(!rows.isEmpty, "\(screen.text)")
        for row in rows { #expect(row.contains("18m55s"), "\(width)x\(height): \(row)") }
    }

    /// A filter nothing matches says so in every pane, instead of claiming the pane is empty.
    @Test func aFilterThatMatchesNothingSaysSoInEveryPane() {
        var controller = Self.controller()
        for pane in PaneID.allCases {
            Self.focus(pane, &controller)
            _ = controller.handle(.character("/"))
            _ = ControllerTests.type("zzqq", into: &controller)
            _ = controller.handle(.enter)
        }
        let screen = controller.frame(width: 160, height: 48, now: .seconds(4)).text
        #expect(screen.components(separatedBy: "no rows match 'zzqq'").count - 1 == PaneID.allCases.count, "\(screen)")
        for stale in ["routing table is empty", "no queries yet", "no address reports yet", "no hole punches yet",
                      "no announcements stored", "no requests yet"] {
            #expect(!screen.contains(stale), "\(stale): \(screen)")
        }
    }

    static func rows(_ pane: PaneID, filter: String, controller: MonitorController) -> [String] {
        var view = controller.view
        view.filters[pane] = filter
        return MonitorRenderer.rows(of: pane, RenderContext(model: controller.model, view: view, now: .seconds(4)), width: 118)
            .map(\.text)
    }

    /// Details stay with their row: a punch's steps with the punch, a key's peers with the key; a
    /// matching detail brings its row along, and nothing of another family comes.
    @Test func detailsFollowTheirRows() {
        var controller = Self.controller(store: Self.storeSnapshot(keys: 3))
        let punch = Self.rows(.holepunch, filter: "46000", controller: controller)
        #expect(punch.first?.contains("punch 127.0.0.8:46000") == true, "\(punch)")
        #expect(punch.contains { $0.contains("did not answer a direct _ping") }, "\(punch)")
        let step = Self.rows(.holepunch, filter: "answered a direct", controller: controller)
        #expect(step.count == 2 && step[0].contains("punch 127.0.0.8:46000"), "\(step)")
        #expect(!step.contains { $0.contains("did not answer a direct _ping") }, "only the matching step: \(step)")
        let other = Self.rows(.holepunch, filter: "45000", controller: controller)
        #expect(!other.contains { $0.contains("did not answer") || $0.contains("46000") }, "\(other)")

        let peer = Self.rows(.store, filter: "50021", controller: controller)
        #expect(peer.count == 2, "the key, then the peer: \(peer)")
        #expect(peer.first?.contains("4211111111111111…") == true && peer.last?.contains("127.0.0.20:50021") == true, "\(peer)")
        let key = Self.rows(.store, filter: "4111111111111111", controller: controller)
        #expect(key.filter { $0.contains("127.0.0.20:5001") }.count == 3, "a key brings its peers: \(key)")
        #expect(!key.contains { $0.contains("looked up here") }, "an empty section loses its heading: \(key)")
        _ = controller.handle(.escape)
    }
}
