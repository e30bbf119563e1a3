import Foundation

/// A pane's list as cheap descriptions of its rows – which record each row shows, and its selection key – from which
/// the text of only the rows a frame shows is built. A pane with long histories (walks with their results, finished
/// requests, stored keys) lists its rows this way so that a frame's cost follows the pane's height, not the history.
struct RowPlan<Item> {
    /// One description per row, in display order.
    var items: [Item]
    /// The selection key of a row (`nil`: not selectable); must be cheap.
    var key: (Item) -> RowKey?
    /// The row itself.
    var build: (Item) -> PaneRow

    /// Every row, built.
    var allRows: [PaneRow] { items.map(build) }

    /// The rows' keys, none of the rows built.
    var rowKeys: RowKeys {
        let items = items, key = key
        return RowKeys(count: items.count, key: { key(items[$0]) }, index: { wanted in items.firstIndex { key($0) == wanted } })
    }

    /// The rows a pane of `listHeight` lines shows, scrolled as `PaneFrame` scrolls a full list (the selected row as
    /// low as needed to be visible), with the window that places them in the whole list.
    func visibleRows(selection: RowKey?, focused: Bool, listHeight: Int) -> (rows: [PaneRow], window: RowWindow) {
        var selected: Int?
        if focused {
            if let selection { selected = items.firstIndex { key($0) == selection } }
            if selected == nil { selected = items.firstIndex { key($0) != nil } }
        }
        let offset = min(max(0, (selected ?? 0) - (listHeight - 1)), items.count)
        let end = min(items.count, offset + max(0, listHeight))
        return (items[offset..<end].map(build), RowWindow(totalRows: items.count, firstRow: offset, selectedRow: selected))
    }
}

extension ListPane {
    /// ``ListPane/rowKeys(_:width:)`` for a pane that lists its rows as a ``RowPlan``: with a filter set, every row is
    /// built and filtered; otherwise no row is built.
    static func plannedRowKeys<Item>(_ plan: @autoclosure () -> RowPlan<Item>, _ context: RenderContext, width: Int) -> RowKeys {
        isFiltered(context) ? RowKeys(rows: filteredContent(context, width: width).rows) : plan().rowKeys
    }

    /// ``ListPane/visibleContent(_:width:innerHeight:focused:)`` for a pane that lists its rows as a ``RowPlan``:
    /// with a filter set, every row is built and filtered; otherwise only the rows in view. `fixedLines` and `columns`
    /// sit above the list, as in ``PaneContent``.
    static func windowedContent<Item>(_ plan: RowPlan<Item>, _ context: RenderContext, fixedLines: [[Segment]] = [],
                                      columns: [Segment]? = nil, emptyText: String, innerHeight: Int,
                                      focused: Bool) -> PaneContent {
        if let filter = context.view.filters[id], !filter.isEmpty {
            let rows = plan.allRows
            return PaneContent(fixedLines: fixedLines, columns: columns, rows: PaneFilter.apply(filter, to: rows),
                               emptyText: rows.isEmpty ? emptyText : PaneFilter.emptyText(filter))
        }
        let listHeight = innerHeight - fixedLines.count - (columns == nil ? 0 : 1)
        let visible = plan.visibleRows(selection: context.view.selection[id], focused: focused, listHeight: listHeight)
        return PaneContent(fixedLines: fixedLines, columns: columns, rows: visible.rows, emptyText: emptyText,
                           window: visible.window)
    }
}
