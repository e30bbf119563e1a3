/// Draws a list pane: frame, title (with filter), fixed lines, column header, and the rows scrolled
/// so the selection is visible, the selection highlighted when the pane has the focus.
public enum PaneFrame {
    /// Draws `content` of `pane` in `rect`.
    public static func draw(_ content: PaneContent, pane: PaneID, context: RenderContext, focused: Bool,
                            into screen: inout ScreenBuffer, in rect: Rect) {
        guard rect.width >= 4, rect.height >= 3 else { return }
        var title = "\(pane.number) \(pane.title)"
        if let filter = context.view.filters[pane], !filter.isEmpty { title += " /\(filter)" }
        screen.box(rect, title: title, role: focused ? .borderFocused : .border, titleRole: focused ? .borderFocused : .title)
        let inner = rect.inset(by: 1)
        var y = inner.y
        for line in content.fixedLines where y < inner.maxY {
            drawSegments(line, into: &screen, x: inner.x, y: y, clip: inner)
            y += 1
        }
        if let columns = content.columns, y < inner.maxY {
            drawSegments(columns, into: &screen, x: inner.x, y: y, clip: inner)
            y += 1
        }
        let listHeight = inner.maxY - y
        guard listHeight > 0 else { return }
        if content.rows.isEmpty {
            screen.put(content.emptyText, x: inner.x, y: y, role: .dim, clip: inner)
            return
        }
        // A windowed pane has scrolled already: its rows start at `firstRow` of the whole list.
        let selectedIndex: Int?
        let offset: Int
        let totalRows: Int
        let shown: ArraySlice<PaneRow>
        if let window = content.window {
            selectedIndex = focused ? window.selectedRow : nil
            offset = window.firstRow
            totalRows = window.totalRows
            shown = content.rows[...]
        } else {
            selectedIndex = focused ? selectionIndex(in: content.rows, key: context.view.selection[pane]) : nil
            offset = max(0, (selectedIndex ?? 0) - (listHeight - 1))
            totalRows = content.rows.count
            shown = content.rows[offset...]
        }
        for (row, index) in zip(shown, offset...) where y < inner.maxY {
            let line = Rect(x: inner.x, y: y, width: inner.width, height: 1)
            drawSegments(row.segments, into: &screen, x: inner.x, y: y, clip: inner)
            if index == selectedIndex {
                screen.restyle(line, role: .selection)
            } else if row.flashes {
                screen.restyle(line, role: .flash)
            }
            y += 1
        }
        if offset + listHeight < totalRows {
            let more = " ↓\(totalRows - offset - listHeight) more "
            screen.put(more, x: rect.maxX - 2 - DisplayWidth.of(more), y: rect.maxY - 1, role: .dim, clip: rect)
        }
    }

    /// The index of the selected row: the row with `key`, else the first selectable row.
    public static func selectionIndex(in rows: [PaneRow], key: RowKey?) -> Int? {
        if let key, let index = rows.firstIndex(where: { $0.key == key }) { return index }
        return rows.firstIndex { $0.key != nil }
    }

    /// Draws segments left to right from `x`, clipped.
    public static func drawSegments(_ segments: [Segment], into screen: inout ScreenBuffer, x: Int, y: Int, clip: Rect) {
        var column = x
        for segment in segments {
            column = screen.put(segment.text, x: column, y: y, role: segment.role, clip: clip)
        }
    }
}
