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

    /// Creates a row.
    public init(key: RowKey? = nil, _ segments: [Segment], flashes: Bool = false) {
        self.key = key
        self.segments = segments
        self.flashes = flashes
    }

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

    /// Creates content.
    public init(fixedLines: [[Segment]] = [], columns: [Segment]? = nil, rows: [PaneRow], emptyText: String) {
        self.fixedLines = fixedLines
        self.columns = columns
        self.rows = rows
        self.emptyText = emptyText
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
}

extension ListPane {
    /// The content with the pane's filter applied to its rows (rows without a key – section
    /// headings – are kept).
    public static func filteredContent(_ context: RenderContext, width: Int) -> PaneContent {
        var content = content(context, width: width)
        if let filter = context.view.filters[id], !filter.isEmpty {
            content.rows = content.rows.filter { $0.key == nil || $0.text.localizedCaseInsensitiveContains(filter) }
        }
        return content
    }
}
