/// What the run loop needs from a terminal; the curses target implements it, tests fake it. Used
/// from one thread only.
public protocol TerminalDevice: AnyObject {
    /// The current size in columns and rows.
    var size: (width: Int, height: Int) { get }
    /// Waits up to `timeout` for a key.
    func readKey(timeout: Duration) -> KeyInput?
    /// Shows `screen` with `theme`, redrawing only cells that changed since the last call.
    func draw(_ screen: ScreenBuffer, theme: Theme)
    /// Whether a signal (SIGINT, SIGTERM, SIGHUP) asked the monitor to stop.
    var stopRequested: Bool { get }
}
