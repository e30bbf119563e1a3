/// The `?` overlay: every key from the key map (so it cannot drift from the dispatch), in one column
/// or, when the screen is short (80x24), two.
public enum HelpOverlay {
    /// Notes under the keys.
    static let notes = [
        "Prompts: Enter submits, Esc cancels, Tab switches fields;",
        "a wrong entry keeps your text and says what is wrong.",
    ]

    /// Draws the overlay centred in `bounds`.
    public static func draw(keyMap: KeyMap, into screen: inout ScreenBuffer, in bounds: Rect) {
        let entries = keyMap.bindings.map { ($0.label, $0.help) }
        let available = bounds.height - 2 - 4 - notes.count
        let columns = entries.count <= available ? 1 : 2
        let perColumn = (entries.count + columns - 1) / columns
        let columnWidth = columns == 1 ? 40 : (min(bounds.width, 82) - 6) / 2
        let width = min(bounds.width - 2, columns * columnWidth + 2)
        let height = min(bounds.height - 2, perColumn + notes.count + 4)
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
        for (index, note) in notes.enumerated() {
            screen.put(note, x: inner.x + 2, y: inner.y + 2 + perColumn + index, role: .overlay, clip: inner)
        }
    }
}
