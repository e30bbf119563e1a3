/// A key press as the terminal target reports it, independent of curses.
public enum KeyInput: Equatable, Sendable, Hashable {
    /// A printable character (including space).
    case character(Character)
    /// Arrow keys.
    case up, down, left, right
    /// Enter / Return.
    case enter
    /// Tab and Shift-Tab.
    case tab, backTab
    /// Escape.
    case escape
    /// Backspace and Delete.
    case backspace, delete
    /// Home, End, Page Up, Page Down.
    case home, end, pageUp, pageDown
    /// The terminal was resized.
    case resize
    /// Ctrl-C delivered as a key (when the terminal does not turn it into SIGINT).
    case interrupt
    /// Any other key; ignored.
    case other(Int)
}
