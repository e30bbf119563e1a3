/// The selection keys of a pane's rows in display order, read one at a time: what moving the selection needs, without
/// formatting the rows. Panes with long lists build it from their cheap row positions (``BucketTreeRows``,
/// ``RowPlan``), so a key press costs what the keys it looks at cost, not the whole list's text.
public struct RowKeys {
    /// The number of rows.
    public let count: Int
    private let keyAt: (Int) -> RowKey?
    private let indexOfKey: (RowKey) -> Int?

    /// Keys read through `key` (for a row index in `0..<count`); `index` finds the first row with a key, if any.
    init(count: Int, key: @escaping (Int) -> RowKey?, index: @escaping (RowKey) -> Int?) {
        self.count = count
        keyAt = key
        indexOfKey = index
    }

    /// The keys of rows already built.
    init(rows: [PaneRow]) {
        self.init(count: rows.count, key: { rows[$0].key }, index: { key in rows.firstIndex { $0.key == key } })
    }

    /// The key of row `index` (`nil`: not selectable).
    public func key(at index: Int) -> RowKey? {
        keyAt(index)
    }

    /// ``PaneFrame/selectionIndex(in:key:)`` over these rows: the row with `key`, else the first selectable row;
    /// `nil` when no row is selectable.
    public func selectionIndex(of key: RowKey?) -> Int? {
        if let key, let index = indexOfKey(key) { return index }
        return nearestSelectable(from: 0, step: 1)
    }

    /// The row a move of the selection (`key`) by `delta` selectable rows lands on, stopping at the first and the last
    /// selectable row; `nil` when no row is selectable.
    public func movingSelection(of key: RowKey?, by delta: Int) -> Int? {
        guard let start = selectionIndex(of: key) else { return nil }
        if delta >= count { return nearestSelectable(from: count - 1, step: -1) }
        if delta <= -count { return nearestSelectable(from: 0, step: 1) }
        let step = delta > 0 ? 1 : -1
        var index = start
        var remaining = abs(delta)
        while remaining > 0, let next = nearestSelectable(from: index + step, step: step) {
            index = next
            remaining -= 1
        }
        return index
    }

    /// The first selectable row from `start` on, in the direction of `step`.
    private func nearestSelectable(from start: Int, step: Int) -> Int? {
        var index = start
        while index >= 0 && index < count {
            if keyAt(index) != nil { return index }
            index += step
        }
        return nil
    }
}
