/// What a key means outside a prompt. Keys map to commands (``KeyMap``); the controller turns commands
/// into state changes and backend requests – no key is interpreted anywhere else.
public enum MonitorCommand: Equatable, Sendable, CaseIterable {
    /// `l`: prompt for a key or topic and look it up.
    case lookup
    /// `a`: prompt for a key or topic and announce this node under it.
    case announce
    /// `u`: prompt for a key or topic and withdraw the announcement.
    case unannounce
    /// `p`: prompt for host:port and ping it.
    case ping
    /// `h`: prompt for peer and referrer (pre-filled from the selected result) and punch a hole.
    case holepunch
    /// `b`: re-run the bootstrap walk.
    case rebootstrap
    /// Tab: focus the next pane.
    case focusNext
    /// Shift-Tab: focus the previous pane.
    case focusPrevious
    /// Up arrow: select the previous row.
    case selectPrevious
    /// Down arrow: select the next row.
    case selectNext
    /// Page Up / Page Down: move the selection a page.
    case pageUp, pageDown
    /// Home / End: select the first / last row.
    case selectFirst, selectLast
    /// Enter / right arrow: expand or act on the selected row.
    case activate
    /// Left arrow: collapse the selected row.
    case collapse
    /// `/`: filter the focused pane's rows.
    case filter
    /// Space: freeze the display (the node keeps running).
    case togglePause
    /// `r`: mask addresses for sharing screenshots.
    case togglePrivacy
    /// `t`: next theme.
    case nextTheme
    /// `?`: help overlay.
    case toggleHelp
    /// Escape: close an overlay, clear a filter.
    case dismiss
    /// `q`: quit.
    case quit
}
