/// The `?` overlay: every key from the key map (so it cannot drift from the dispatch), in one column
/// or, when the screen is short (80x24), two; the notes under the keys are wrapped to the overlay's
/// width, never cut.
public enum HelpOverlay {
    /// Notes under the keys.
    static let notes = [
        "Prompts: Enter submits, Esc cancels, Tab switches fields;",
        "a wrong entry keeps your text and says what is wrong.",
    ]

    /// The width of the overlay's text area for one column of keys: wide enough for the notes on
    /// one line each where the screen allows.
    static let preferredNoteWidth = 60

    /// Draws the overlay centred in `bounds`.
    public static func draw(keyMap: KeyMap, into screen: inout ScreenBuffer, in bounds: Rect) {
        let entries = keyMap.bindings.map { ($0.label, $0.help) }
        let entryWidth = 9 + (entries.map { DisplayWidth.of($0.1) }.max() ?? 0) + 2  // label, help, gap
        let widest = max(4, bounds.width - 6)  // inner width at most: a margin of two each side
        func noteLines(_ innerWidth: Int) -> [String] {
            notes.flatMap { Formatting.wrap($0, max(1, innerWidth - 3)) }
        }
        var innerWidth = min(widest, max(entryWidth, preferredNoteWidth))
        var lines = noteLines(innerWidth)
        var columns = 1
        if entries.count > bounds.height - 2 - 4 - lines.count {
            columns = 2
            innerWidth = min(widest, max(2 * entryWidth, preferredNoteWidth))
            lines = noteLines(innerWidth)
        }
        let perColumn = (entries.count + columns - 1) / columns
        let columnWidth = innerWidth / columns
        let height = min(bounds.height - 2, perColumn + lines.count + 4)
        let width = innerWidth + 2
        let rect = Rect(x: bounds.x + (bounds.width - width) / 2, y: bounds.y + (bounds.height - height) / 2,
                        width: width, height: height)
        screen.fill(rect, role: .overlay)
        screen.box(rect, title: "Keys – ? or Esc closes", role: .overlay, titleRole: .overlay)
        let inner = rect.inset(by: 1)
        for (index, entry) in entries.enumerated() {
            let column = index / perColumn, row = index % perColumn
            let x = inner.x + column * columnWidth, y = inner.y + 1 + row
            screen.put(Formatting.right(entry.0, 7), x: x, y: y, role: .key, clip: inner)
            screen.put(entry.1, x: x + 9, y: y, role: .overlay, clip: inner)
        }
        for (index, note) in lines.enumerated() {
            screen.put(note, x: inner.x + 2, y: inner.y + 2 + perColumn + index, role: .overlay, clip: inner)
        }
    }
}
