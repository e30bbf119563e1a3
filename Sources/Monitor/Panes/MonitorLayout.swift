/// Where everything goes for a terminal size: a compact layout (one pane at a time, chosen by a tab
/// bar) from 80x24, and a grid showing every pane at once on large terminals.
public struct MonitorLayout: Equatable, Sendable {
    /// The smallest terminal the monitor runs in.
    public static let minimumWidth = 80, minimumHeight = 24
    /// From this size on the grid layout is used.
    public static let gridWidth = 120, gridHeight = 36

    /// The header band.
    public var header: Rect
    /// The tab bar (compact layout only).
    public var tabs: Rect?
    /// The rectangle of each visible pane.
    public var panes: [PaneID: Rect]
    /// The message line and the key hints (two rows).
    public var footer: Rect
    /// Whether the whole screen is too small; nothing else is drawn then.
    public var isTooSmall: Bool

    /// Lays out a `width` x `height` screen with `focus` as the compact layout's pane.
    public init(width: Int, height: Int, focus: PaneID) {
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        isTooSmall = width < Self.minimumWidth || height < Self.minimumHeight
        let (header, rest) = screen.splitTop(HeaderPane.height)
        self.header = header
        let body = Rect(x: rest.x, y: rest.y, width: rest.width, height: rest.height - 2)
        footer = Rect(x: 0, y: height - 2, width: width, height: 2)
        if width >= Self.gridWidth && height >= Self.gridHeight {
            tabs = nil
            let (top, bottom) = body.splitTop(body.height * 58 / 100)
            let (tree, right) = top.splitLeft(top.width * 45 / 100)
            let (inflight, queries) = right.splitTop(right.height / 2)
            let (punch, bottomRest) = bottom.splitLeft(bottom.width * 42 / 100)
            let (nat, store) = bottomRest.splitLeft(bottom.width * 30 / 100)
            panes = [.buckets: tree, .inflight: inflight, .queries: queries, .holepunch: punch, .nat: nat, .store: store]
        } else {
            let (tabBar, area) = body.splitTop(1)
            tabs = tabBar
            panes = [focus: area]
        }
    }

    /// Whether every pane is on screen.
    public var isGrid: Bool { tabs == nil }
}
