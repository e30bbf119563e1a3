import CNcursesw
import Foundation
import Monitor

/// Checks, before curses touches anything, that the monitor can run here: standard input and output
/// are a terminal of a known type that can move the cursor, and at least 80x24. On failure the terminal is left as it was.
public enum TerminalCheck {
    /// Throws ``MonitorError/terminal(_:)`` with a message for stderr when the monitor cannot run.
    public static func verify(minimumWidth: Int = MonitorLayout.minimumWidth,
                              minimumHeight: Int = MonitorLayout.minimumHeight) throws(MonitorError) {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw .terminal("the monitor needs a terminal: standard input and output must be a TTY")
        }
        var rows: Int32 = 0, columns: Int32 = 0
        guard cn_terminal_size(STDOUT_FILENO, &rows, &columns) == 0 else {
            throw .terminal("cannot read the terminal's size")
        }
        guard Int(columns) >= minimumWidth, Int(rows) >= minimumHeight else {
            throw .terminal("the terminal is \(columns)x\(rows); the monitor needs at least \(minimumWidth)x\(minimumHeight)")
        }
        var error: Int32 = 0
        let name = ProcessInfo.processInfo.environment["TERM"] ?? "(unset)"
        let advice = "the monitor needs a full-screen terminal, e.g. TERM=xterm-256color"
        guard setupterm(nil, STDOUT_FILENO, &error) == OK else {
            throw .terminal("unknown terminal type TERM=\(name): \(advice)")
        }
        guard cn_terminal_is_addressable() != 0 else {  // TERM=dumb and the like: no cursor movement
            throw .terminal("terminal type TERM=\(name) cannot move the cursor: \(advice)")
        }
    }
}
