/// A prompt drawn as a box above the footer: title, fields with the cursor, and the validation
/// message when the last Enter failed (or a hint), wrapped over as many lines as it needs.
public enum PromptOverlay {
    /// Draws `prompt` near the bottom of `bounds`.
    public static func draw(_ prompt: Prompt, into screen: inout ScreenBuffer, in bounds: Rect) {
        let width = min(bounds.width - 4, 76)
        let message: (text: String, role: StyleRole)
        if let error = prompt.error {
            message = ("✗ " + error, .bad)
        } else if prompt.hasConcealedField {
            message = ("privacy: Enter uses the masked address; typing replaces it", .overlay)
        } else {
            message = (hint(prompt.kind), .overlay)
        }
        // In privacy mode the message is masked before it is wrapped, so the lines are the ones shown.
        let shown = screen.masking.isEnabled ? screen.masking.text(masking: message.text) : message.text
        let roomForMessage = max(1, bounds.height - prompt.fields.count - 3 - 4)
        var lines = Formatting.wrap(shown, width - 2)
        if lines.count > roomForMessage {
            lines = Array(lines.prefix(roomForMessage))
            lines[lines.count - 1] = Formatting.fit(lines[lines.count - 1], width - 3).trimmingTrailingSpaces() + "…"
        }
        let height = prompt.fields.count + 3 + lines.count
        let rect = Rect(x: bounds.x + (bounds.width - width) / 2, y: bounds.maxY - height - 2, width: width, height: height)
        screen.fill(rect, role: .overlay)
        screen.box(rect, title: "\(prompt.kind.title) – Enter submits, Esc cancels", role: .overlay, titleRole: .overlay)
        let inner = rect.inset(by: 1)
        let labelWidth = (prompt.fields.map { DisplayWidth.of($0.label) }.max() ?? 0) + 2
        for (index, field) in prompt.fields.enumerated() {
            let y = inner.y + index
            screen.put(Formatting.right(field.label, labelWidth - 1) + " ", x: inner.x, y: y, role: .overlay, clip: inner)
            let textX = inner.x + labelWidth
            let available = inner.maxX - textX - 1
            let characters = Array(field.text)
            let start = max(0, field.cursor - available + 1)
            let visible = String(characters[min(start, characters.count)...])
            screen.put(visible, x: textX, y: y, role: .text, clip: inner, masks: false)  // what is typed, as typed
            screen.restyle(Rect(x: textX, y: y, width: max(0, available), height: 1), role: .text)
            if index == prompt.focusedField {
                let cursorX = textX + DisplayWidth.of(String(characters[min(start, characters.count)..<field.cursor]))
                screen.restyle(Rect(x: cursorX, y: y, width: 1, height: 1), role: .selection)
            }
        }
        for (index, line) in lines.enumerated() {
            screen.put(line, x: inner.x, y: inner.maxY - lines.count + index, role: message.role, clip: inner, masks: false)
        }
    }

    static func hint(_ kind: PromptKind) -> String {
        switch kind {
        case .lookup, .announce, .unannounce: "a key is 64 hex digits; any other text is a topic"
        case .ping: "host:port – a literal IPv4 address or [IPv6]:port"
        case .holepunch: "Tab switches between peer and referrer"
        case .filter: "rows containing this text; empty clears the filter"
        }
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
