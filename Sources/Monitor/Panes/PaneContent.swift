import Foundation

/// A run of text in one role.
public struct Segment: Equatable, Sendable {
    /// The text.
    public var text: String
    /// Its role.
    public var role: StyleRole

    /// Creates a segment.
    public init(_ text: String, _ role: StyleRole = .text) {
        self.text = text
        self.role = role
    }
}

/// One row of a pane's list.
public struct PaneRow: Equatable, Sendable {
    /// The row's identity if it can be selected.
    public var key: RowKey?
    /// What it shows.
    public var segments: [Segment]
    /// Whether it changed a moment ago.
    public var flashes: Bool
    /// Whether it belongs to the row above it that is not a detail (a bucket's contact, a walk's
    /// result, a punch's step, a stored key's peer): a filter keeps or drops it with that row.
    public var isDetail: Bool

    /// Creates a row.
    public init(key: RowKey? = nil, _ segments: [Segment], flashes: Bool = false, isDetail: Bool = false) {
        self.key = key
        self.segments = segments
        self.flashes = flashes
        self.isDetail = isDetail
    }

    /// Whether it is a section heading: neither selectable nor a detail.
    public var isHeading: Bool { key == nil && !isDetail }

    /// The row's text, for filtering.
    public var text: String { segments.map(\.text).joined() }
}

/// What a list pane shows: fixed lines at the top, an optional column header, then rows that scroll.
public struct PaneContent: Equatable, Sendable {
    /// Lines above the list (summaries, verdicts).
    public var fixedLines: [[Segment]]
    /// Column headings, if any.
    public var columns: [Segment]?
    /// The rows.
    public var rows: [PaneRow]
    /// Shown when there are no rows.
    public var emptyText: String
    /// Set when ``rows`` are only the rows in view out of a longer list (`nil`: ``rows`` are all of them).
    public var window: RowWindow?

    /// Creates content.
    public init(fixedLines: [[Segment]] = [], columns: [Segment]? = nil, rows: [PaneRow], emptyText: String,
                window: RowWindow? = nil) {
        self.fixedLines = fixedLines
        self.columns = columns
        self.rows = rows
        self.emptyText = emptyText
        self.window = window
    }
}

/// Where a pane's rows in view sit in its whole list: the pane has already scrolled to keep the selection visible.
public struct RowWindow: Equatable, Sendable {
    /// Rows in the whole list.
    public var totalRows: Int
    /// The index in the whole list of the first row in view.
    public var firstRow: Int
    /// The index in the whole list of the selected row, if the pane has the focus.
    public var selectedRow: Int?

    /// Creates a window.
    public init(totalRows: Int, firstRow: Int, selectedRow: Int?) {
        self.totalRows = totalRows
        self.firstRow = firstRow
        self.selectedRow = selectedRow
    }
}

/// What every pane renderer gets: the data, the view state and the time, all values.
public struct RenderContext: Sendable {
    /// The node data (a frozen copy while paused).
    public var model: MonitorModel
    /// The view state (always live).
    public var view: ViewState
    /// The monitor's clock (frozen while paused).
    public var now: Duration

    /// Creates a context.
    public init(model: MonitorModel, view: ViewState, now: Duration) {
        self.model = model
        self.view = view
        self.now = now
    }

    /// The address masker of the view.
    public var mask: AddressMasking { view.masking }
}

/// A pane that shows a scrolling list: one per region of the screen (one file each).
public protocol ListPane {
    /// Which pane this is.
    static var id: PaneID { get }
    /// The pane's content for a frame, laid out for `width` inner columns.
    static func content(_ context: RenderContext, width: Int) -> PaneContent
    /// What a frame draws in a pane of `innerHeight` lines inside its border: the filtered content, or – for a
    /// pane whose list can be long – only the rows in view (``PaneContent/window`` set).
    static func visibleContent(_ context: RenderContext, width: Int, innerHeight: Int, focused: Bool) -> PaneContent
    /// The selection keys of the rows ``filteredContent(_:width:)`` lists, for moving the selection.
    static func rowKeys(_ context: RenderContext, width: Int) -> RowKeys
}

extension ListPane {
    /// Every row, filtered: for panes whose lists are short.
    public static func visibleContent(_ context: RenderContext, width: Int, innerHeight: Int, focused: Bool) -> PaneContent {
        filteredContent(context, width: width)
    }

    /// The keys of every row, built and filtered: for panes whose lists are short.
    public static func rowKeys(_ context: RenderContext, width: Int) -> RowKeys {
        RowKeys(rows: filteredContent(context, width: width).rows)
    }

    /// Whether the pane's filter is set (then every row is built and filtered).
    static func isFiltered(_ context: RenderContext) -> Bool {
        if let filter = context.view.filters[id], !filter.isEmpty { return true }
        return false
    }

    /// The content with the pane's filter applied to its rows (``PaneFilter``).
    public static func filteredContent(_ context: RenderContext, width: Int) -> PaneContent {
        var content = content(context, width: width)
        if let filter = context.view.filters[id], !filter.isEmpty, !content.rows.isEmpty {  // else the empty text is true
            content.rows = PaneFilter.apply(filter, to: content.rows)
            content.emptyText = PaneFilter.emptyText(filter)
        }
        return content
    }
}
