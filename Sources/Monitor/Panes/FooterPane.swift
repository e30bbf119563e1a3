/// The bottom two lines: the message line (the last command's result or error, or the prompt's
/// validation message) and the key hints; and the tab bar of the compact layout.
public enum FooterPane {
    /// Key hints, most important first (cut at the screen's width).
    static let hints: [(String, String)] = [
        ("?", "help"), ("q", "quit"), ("l", "lookup"), ("a", "announce"), ("p", "ping"), ("h", "punch"),
        ("b", "boot"), ("Tab", "pane"), ("/", "filter"), ("space", "pause"), ("r", "privacy"), ("t", "theme"),
    ]

    /// Draws the message line at `rect.y` and the hints at `rect.y + 1`.
    public static func draw(_ context: RenderContext, into screen: inout ScreenBuffer, in rect: Rect) {
        if let message = context.view.message {
            screen.put(" " + message.text, x: rect.x, y: rect.y, role: message.isError ? .bad : .message, clip: rect)
        }
        let hintRow = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: 1)
        screen.fill(hintRow, role: .footer)
        var x = rect.x + 1
        for (key, label) in hints {
            let width = DisplayWidth.of(key) + DisplayWidth.of(label) + 3
            if x + width > rect.maxX { break }
            x = screen.put(key, x: x, y: hintRow.y, role: .key, clip: hintRow)
            x = screen.put(" \(label)  ", x: x, y: hintRow.y, role: .footer, clip: hintRow)
        }
    }

    /// Draws the compact layout's tab bar: every pane by number, the focused one highlighted.
    public static func drawTabs(_ context: RenderContext, into screen: inout ScreenBuffer, in rect: Rect) {
        var x = rect.x
        for pane in PaneID.allCases {
            let label = " \(pane.number) \(pane.title) "
            let focused = pane == context.view.focus
            x = screen.put(label, x: x, y: rect.y, role: focused ? .selection : .dim, clip: rect)
            x = screen.put("│", x: x, y: rect.y, role: .border, clip: rect)
        }
    }
}
