import DHTRPC
import IPEncoding
import KBucket
import Monitor
import Testing
import UDPRequest

/// The bucket tree draws only the rows in view (issue 11): for every selection and expansion, a frame built from the
/// window is cell for cell the frame built from every row, and it formats no more rows than the pane shows.
@Suite struct BucketTreeWindowTests {
    /// 40 buckets along a path (prefixes "1", "01", "001", …), bucket `b` holding `b % 7` contacts (some empty), the
    /// last one holding the local id.
    static var status: NodeStatus {
        let now = Timestamp(nanoseconds: 65_000_000_000)
        var buckets: [BucketStatus] = []
        for depth in 1...40 {
            let prefix = String(repeating: "0", count: depth - 1) + (depth == 40 ? "0" : "1")
            let contacts = (0..<(depth % 7)).map { index in
                ContactStatus(id: Fixture.id(UInt8(depth), UInt8(index)), address: Fixture.address(40_000 + UInt16(depth * 10 + index)),
                              lastSeen: Timestamp(nanoseconds: now.nanoseconds - Int64(index) * 1_000_000_000),
                              roundTripTime: index.isMultiple(of: 2) ? .milliseconds(Int64(index + 1)) : nil)
            }
            buckets.append(BucketStatus(prefix: prefix, containsLocalID: depth == 40, capacity: 20, contacts: contacts))
        }
        // Out of display order on purpose: the pane sorts.
        return NodeStatus(id: Fixture.localID, localAddress: Fixture.local, isReady: true, uptime: .seconds(60), now: now,
                          buckets: buckets.reversed(), inflight: [], activeQueries: 0, socketCounters: RequestSocketCounters())
    }

    static func frames(selection: RowKey?, expanded: Set<String>, focused: Bool) -> (full: ScreenBuffer, windowed: ScreenBuffer, content: PaneContent) {
        var model = MonitorModel()
        model.apply(status: status, at: .seconds(4))
        var view = ViewState()
        view.focus = focused ? .buckets : .inflight
        view.expandedBuckets = expanded
        view.selection[.buckets] = selection
        let context = RenderContext(model: model, view: view, now: .seconds(4))
        let rect = Rect(x: 0, y: 0, width: 70, height: 14)
        let full = BucketTreePane.content(context, width: rect.width - 2)
        let windowed = BucketTreePane.visibleContent(context, width: rect.width - 2, innerHeight: rect.height - 2, focused: focused)
        var fullScreen = ScreenBuffer(width: 70, height: 14)
        var windowScreen = ScreenBuffer(width: 70, height: 14)
        PaneFrame.draw(full, pane: .buckets, context: context, focused: focused, into: &fullScreen, in: rect)
        PaneFrame.draw(windowed, pane: .buckets, context: context, focused: focused, into: &windowScreen, in: rect)
        return (fullScreen, windowScreen, windowed)
    }

    @Test func everySelectionDrawsTheSameFrameFromTheWindowAsFromEveryRow() {
        let all = Set(Self.status.buckets.map(\.prefix))
        let some: Set<String> = ["1", "001", "0000001", "0000000000000000000000000000000000000000"]
        for expanded in [Set<String>(), some, all] {
            var model = MonitorModel()
            model.apply(status: Self.status, at: .seconds(4))
            var view = ViewState()
            view.expandedBuckets = expanded
            let rows = BucketTreePane.content(RenderContext(model: model, view: view, now: .seconds(4)), width: 68).rows
            // Every row's key, a key that is not there, a contact of a collapsed bucket, and no selection.
            let keys: [RowKey?] = rows.map(\.key) + [.bucket("nope"), .contact(Fixture.id(1, 0).hexString), .contact("zz"), nil]
            for key in keys {
                for focused in [true, false] {
                    let frames = Self.frames(selection: key, expanded: expanded, focused: focused)
                    #expect(frames.full == frames.windowed, "selection \(String(describing: key)), \(expanded.count) expanded, focused \(focused)")
                    #expect(frames.content.rows.count <= 14 - 2 - 1)
                    #expect(frames.content.window?.totalRows == rows.count)
                }
            }
        }
    }

    @Test func aFilterStillSearchesEveryRow() {
        var model = MonitorModel()
        model.apply(status: Self.status, at: .seconds(4))
        var view = ViewState()
        view.expandedBuckets = Set(Self.status.buckets.map(\.prefix))
        view.filters[.buckets] = "40345"  // one contact's port, deep in the list
        let context = RenderContext(model: model, view: view, now: .seconds(4))
        let content = BucketTreePane.visibleContent(context, width: 68, innerHeight: 12, focused: true)
        #expect(content.window == nil)
        // The matching contact with its bucket above it, nothing else (not the "(empty)" rows of other buckets).
        #expect(content.rows.count == 2, "\(content.rows.map(\.text))")
        guard content.rows.count == 2 else { return }
        if case .bucket = content.rows[0].key {} else { Issue.record("the contact's bucket comes first: \(content.rows[0].text)") }
        #expect(content.rows[1].text.contains("40345"))
    }
}

/// The other long lists – walks with their results, requests, the store – are windowed the same way.
@Suite struct PaneWindowTests {
    static func model() -> MonitorModel {
        var model = Fixture.model()
        var keys: [AnnouncedKey] = []
        for index in 0..<12 {
            var peers: [AnnouncedPeer] = []
            for slot in 0..<(index % 3) {
                let port = UInt16(50_000 + index * 10 + slot)
                peers.append(AnnouncedPeer(publicAddress: Fixture.address(port), age: .seconds(Int64(slot)),
                                           expiresIn: .seconds(Int64(30 + 20 * slot))))
            }
            keys.append(AnnouncedKey(key: Fixture.id(UInt8(0x40 + index)), peers: peers))
        }
        var lookups: [RecentLookup] = []
        for index in 0..<4 {
            lookups.append(RecentLookup(key: Fixture.id(UInt8(0x70 + index)), from: Fixture.address(UInt16(51_000 + index)),
                                        age: .seconds(Int64(index))))
        }
        model.apply(store: StoreSnapshot(keys: keys, recentLookups: lookups, kept: [KeptKey(key: Fixture.id(0x33))]))
        // Punch steps that wrap, squeeze spaces or fit exactly: the hole-punch pane counts their lines without wrapping.
        let peer = Fixture.address(46100, 8), referrer = Fixture.address(41005)
        let texts = [" a step  with  doubled spaces and a leading one ", String(repeating: "x", count: 53),
                     String(repeating: "long-word-", count: 12), "short", "peer 127.0.0.8:46100 did not answer " +
                     "a direct _ping within 800 ms, nor a second one sent 400 ms later from the same socket"]
        model.apply([TimedEvent(at: .milliseconds(3600), event: .holepunchAsked(peer: peer, referrer: referrer, tid: 30)),
                     TimedEvent(at: .milliseconds(3700), event: .holepunchFailed(peer: peer, referrer: referrer, reason: "timed out"))]
                    + texts.enumerated().map { index, text in
                        TimedEvent(at: .milliseconds(3710 + Int64(index)), event: .holepunchProbeStep(
                            peer: peer, referrer: referrer, text: text, isProblem: index % 2 == 0))
                    }, now: .seconds(4))
        return model
    }

    @Test(arguments: [PaneID.inflight, .queries, .store, .holepunch])
    func everySelectionDrawsTheSameFrameFromTheWindowAsFromEveryRow(pane: PaneID) {
        let model = Self.model()
        let renderer = MonitorRenderer.listPane(pane)
        for expandedQueries in [Set<UInt64>(), [7], [7, 8]] {
            var view = ViewState()
            view.expandedQueries = expandedQueries
            let rows = renderer.content(RenderContext(model: model, view: view, now: .seconds(4)), width: 68).rows
            #expect(!rows.isEmpty)
            for key in rows.map(\.key) + [.index(999), nil] {
                for focused in [true, false] {
                    view.focus = focused ? pane : .buckets
                    view.selection[pane] = key
                    let context = RenderContext(model: model, view: view, now: .seconds(4))
                    let rect = Rect(x: 0, y: 0, width: 70, height: 7)
                    let full = renderer.content(context, width: 68)
                    let windowed = renderer.visibleContent(context, width: 68, innerHeight: 5, focused: focused)
                    var fullScreen = ScreenBuffer(width: 70, height: 7)
                    var windowScreen = ScreenBuffer(width: 70, height: 7)
                    PaneFrame.draw(full, pane: pane, context: context, focused: focused, into: &fullScreen, in: rect)
                    PaneFrame.draw(windowed, pane: pane, context: context, focused: focused, into: &windowScreen, in: rect)
                    #expect(fullScreen == windowScreen, "\(pane) selection \(String(describing: key)), focused \(focused)")
                    #expect(windowed.rows.count <= 5)
                    #expect(windowed.window?.totalRows == rows.count)
                }
            }
        }
    }

    /// The hole-punch pane lists one row per attempt and, under it, one per line of each step's wrapped text: the
    /// line counts it takes without wrapping (short texts) agree with wrapping every text.
    @Test func holepunchStepsWrapAsEveryTextWrapped() {
        let model = Self.model()
        let context = RenderContext(model: model, view: ViewState(), now: .seconds(4))
        for width in [20, 53, 54, 68, 69, 140] {
            let rows = HolepunchPane.content(context, width: width).rows
            var expected: [String] = []
            for attempt in model.holepunches.attempts.newestFirst {
                expected.append("attempt")
                for step in attempt.steps {
                    expected += Formatting.wrap(step.text, width - 15)  // the step indent
                }
            }
            #expect(rows.count == expected.count, "width \(width)")
            for (row, text) in zip(rows, expected) where text != "attempt" || row.key == nil {
                #expect(row.key == nil && row.segments.last?.text == text, "width \(width)")
            }
        }
    }
}
