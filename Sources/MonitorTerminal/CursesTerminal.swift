import CNcursesw
import Foundation
import Monitor

/// The monitor's terminal: ncursesw in wide-character mode. The only type in the project that calls
/// curses. Create it after ``TerminalCheck/verify(minimumWidth:minimumHeight:)``, use it from one
/// thread, and call ``restore()`` when done (it also runs on deinit, and crash signals restore the
/// terminal from C).
public final class CursesTerminal: TerminalDevice {
    private var palette: ColorPalette
    private var previous: ScreenBuffer?
    private var themeName: String?
    private var themeValue: Theme?
    private var isActive = true
    private let stopSignals: StopSignals
    private var scalars: [wchar_t] = Array(repeating: 0, count: 6)

    /// Initialises curses: locale, cbreak, no echo, keypad, hidden cursor, colours unless `noColor`.
    public init(noColor: Bool) {
        stopSignals = StopSignals()
        setlocale(LC_ALL, "")
        setenv("ESCDELAY", "25", 0)
        _ = initscr()
        cn_install_crash_handlers()
        cn_install_job_control_handlers()
        cbreak()
        noecho()
        nonl()
        keypad(cn_stdscr(), true)
        curs_set(0)
        palette = ColorPalette(noColor: noColor)
    }

    deinit { restore() }

    /// Colours in use: 256, 16, 8, or 0 (attributes only).
    public var colors: Int { palette.colors }

    /// The signal that asked the monitor to stop, if one did.
    public var stopSignal: Int32? { stopSignals.signal }

    /// Leaves curses mode and puts the terminal back as it was. Safe to call more than once.
    public func restore() {
        guard isActive else { return }
        isActive = false
        curs_set(1)
        endwin()
        cn_remove_crash_handlers()
        cn_remove_job_control_handlers()
        stopSignals.cancel()
    }

    public var size: (width: Int, height: Int) { (Int(cn_cols()), Int(cn_lines())) }

    public var stopRequested: Bool { stopSignals.signal != nil }

    public func readKey(timeout: Duration) -> KeyInput? {
        if followJobControl() { return .resize }  // the loop draws the next frame at once
        let milliseconds = Int32(clamping: max(0, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        wtimeout(cn_stdscr(), milliseconds)
        var code: wint_t = 0
        let status = wget_wch(cn_stdscr(), &code)
        let key = KeyDecoding.decode(status: status, code: UInt32(code))
        if key == .resize { previous = nil }
        return key
    }

    public func draw(_ screen: ScreenBuffer, theme: Theme) {
        _ = followJobControl()
        if theme != themeValue {
            palette.apply(theme)
            themeValue = theme
            previous = nil
        }
        if previous == nil || previous?.width != screen.width || previous?.height != screen.height {
            werase(cn_stdscr())
            previous = nil
        }
        for index in screen.changedCells(since: previous) {
            let cell = screen.cells[index]
            if cell.isContinuation { continue }
            let style = palette.attributes(for: cell.role)
            var count = 0
            for scalar in cell.character.unicodeScalars where count < 4 {
                scalars[count] = wchar_t(bitPattern: scalar.value)
                count += 1
            }
            scalars[count] = 0
            _ = cn_put_cell(Int32(index / screen.width), Int32(index % screen.width), scalars, style.attr, style.pair)
        }
        wnoutrefresh(cn_stdscr())
        doupdate()
        previous = screen
    }

    /// Ctrl-Z: leaves curses mode (the shell gets its terminal settings back), stops, and on `fg`
    /// comes back. A continue after a stop from elsewhere (`kill -STOP`) is handled the same way on
    /// return. Either way the next frame is drawn in full, colours included. Returns whether it
    /// suspended or was continued.
    private func followJobControl() -> Bool {
        guard isActive else { return false }
        var resumed = false
        if cn_take_suspend_request() != 0 {
            curs_set(1)
            endwin()
            cn_stop_self()
            resumed = true
        }
        if cn_take_continued() != 0 { resumed = true }
        guard resumed else { return false }
        _ = cn_take_continued()
        var rows: Int32 = 0, columns: Int32 = 0
        if cn_terminal_size(STDOUT_FILENO, &rows, &columns) == 0, rows > 0, columns > 0,
           rows != cn_lines() || columns != cn_cols() {
            resizeterm(rows, columns)  // resized while stopped
        }
        reset_prog_mode()
        keypad(cn_stdscr(), true)
        curs_set(0)
        clearok(cn_curscr(), true)  // the screen holds the shell's text now: clear it on the next update
        previous = nil
        themeValue = nil  // colours are set again too
        return true
    }
}
