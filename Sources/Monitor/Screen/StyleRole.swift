/// What a cell on screen means, not how it looks: the renderer tags every cell with a role and a
/// ``Theme`` decides its colours and attributes. Raw values are the keys of a theme file.
public enum StyleRole: String, CaseIterable, Sendable, Hashable {
    /// Ordinary text and the screen's background.
    case text
    /// Secondary text: units, hints, placeholders, old entries.
    case dim
    /// The header band at the top.
    case header
    /// Pane titles.
    case title
    /// Pane borders.
    case border
    /// The border and title of the pane that has the keyboard focus.
    case borderFocused
    /// The selected row of the focused pane.
    case selection
    /// The local id's path in the k-bucket tree and other "this is us" marks.
    case localPath
    /// Good news: answered, ready, open.
    case good
    /// Needs attention: retries, slow answers, inconclusive verdicts.
    case warning
    /// Bad news: timeouts, failures, errors.
    case bad
    /// Rows that changed a moment ago.
    case flash
    /// Accents: counters, keys in the footer, identifiers.
    case accent
    /// The traffic sparkline.
    case sparkline
    /// The filled part of a fill bar.
    case barFilled
    /// The empty part of a fill bar.
    case barEmpty
    /// The footer with key hints.
    case footer
    /// The message line (results and errors of commands).
    case message
    /// Prompts and the help overlay.
    case overlay
    /// The PAUSED / PRIVACY markers.
    case marker
    /// Key names in the footer and the help overlay.
    case key
}
