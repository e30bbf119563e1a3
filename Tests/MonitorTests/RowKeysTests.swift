import Monitor
import Testing

/// Moving the selection reads row keys, not rows (issue 11): for every pane, selection and move, ``RowKeys`` lands on
/// the row the old way – every row built, then a step through the selectable ones – lands on.
@Suite struct RowKeysTests {
    /// The move as it was made from built rows.
    static func moveByRows(_ rows: [PaneRow], from key: RowKey?, by delta: Int) -> Int? {
        let selectable = rows.indices.filter { rows[$0].key != nil }
        guard !selectable.isEmpty else { return nil }
        let current = PaneFrame.selectionIndex(in: rows, key: key) ?? selectable[0]
        let position = selectable.firstIndex(of: current) ?? 0
        return selectable[min(selectable.count - 1, max(0, position + delta))]
    }

    static let deltas = [0, 1, -1, 2, -3, 5, -7, 24, -24, 1_000_000_000, -1_000_000_000]

    static func check(_ pane: PaneID, _ context: RenderContext, _ note: String) {
        let rows = MonitorRenderer.rows(of: pane, context, width: 68)
        let keys = MonitorRenderer.rowKeys(of: pane, context, width: 68)
        #expect(keys.count == rows.count, "\(note)")
        guard keys.count == rows.count else { return }
        #expect(rows.indices.allSatisfy { keys.key(at: $0) == rows[$0].key }, "\(note)")
        for key in rows.map(\.key) + [.bucket("nope"), .index(999), .contact("zz"), nil] {
            #expect(keys.selectionIndex(of: key) == PaneFrame.selectionIndex(in: rows, key: key), "\(note) \(String(describing: key))")
            for delta in deltas {
                #expect(keys.movingSelection(of: key, by: delta) == moveByRows(rows, from: key, by: delta),
                        "\(note) from \(String(describing: key)) by \(delta)")
            }
        }
    }

    @Test func bucketTreeKeysMoveAsTheBuiltRowsDo() {
        var model = MonitorModel()
        model.apply(status: BucketTreeWindowTests.status, at: .seconds(4))
        let all = Set(BucketTreeWindowTests.status.buckets.map(\.prefix))
        let some: Set<String> = ["1", "001", "0000001", "0000000000000000000000000000000000000000"]
        for expanded in [Set<String>(), some, all] {
            for filter in [nil, "4034", "nothing matches"] {
                var view = ViewState()
                view.expandedBuckets = expanded
                view.filters[.buckets] = filter
                Self.check(.buckets, RenderContext(model: model, view: view, now: .seconds(4)),
                           "\(expanded.count) expanded, filter \(filter ?? "-")")
            }
        }
    }

    @Test(arguments: [PaneID.inflight, .queries, .store, .holepunch, .nat])
    func otherPanesKeysMoveAsTheBuiltRowsDo(pane: PaneID) {
        let model = PaneWindowTests.model()
        for expandedQueries in [Set<UInt64>(), [7], [7, 8]] {
            for filter in [nil, "5"] {
                var view = ViewState()
                view.expandedQueries = expandedQueries
                view.filters[pane] = filter
                Self.check(pane, RenderContext(model: model, view: view, now: .seconds(4)),
                           "\(pane) \(expandedQueries.count) expanded, filter \(filter ?? "-")")
            }
        }
    }

    @Test func anEmptyPaneHasNoSelectionToMove() {
        let keys = MonitorRenderer.rowKeys(of: .buckets, RenderContext(model: MonitorModel(), view: ViewState(), now: .zero), width: 68)
        #expect(keys.count == 0)
        #expect(keys.selectionIndex(of: nil) == nil)
        #expect(keys.movingSelection(of: .bucket("1"), by: 1) == nil)
    }
}
