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
        stopSignals.cancel()
    }

    public var size: (width: Int, height: Int) { (Int(cn_cols()), Int(cn_lines())) }

    public var stopRequested: Bool { stopSignals.signal != nil }

    public func readKey(timeout: Duration) -> KeyInput? {
        let milliseconds = Int32(clamping: max(0, timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        wtimeout(cn_stdscr(), milliseconds)
        var code: wint_t = 0
        let status = wget_wch(cn_stdscr(), &code)
        let key = KeyDecoding.decode(status: status, code: UInt32(code))
        if key == .resize { previous = nil }
        return key
    }

    public func draw(_ screen: ScreenBuffer, theme: Theme) {
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
}
