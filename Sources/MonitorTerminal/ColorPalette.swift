import CNcursesw
import Monitor

/// Maps a theme's roles to curses attributes: one colour pair per role, 256 colours where the
/// terminal has them, 8 otherwise, and attributes only (the monochrome theme) with `NO_COLOR` or
/// no colour support.
struct ColorPalette {
    /// Colours the terminal offers (0 when colour is off).
    let colors: Int
    private var attributes: [StyleRole: (attr: attr_t, pair: Int16)] = [:]

    /// Chooses the colour depth; call after `initscr`.
    init(noColor: Bool) {
        if !noColor && has_colors() {
            start_color()
            use_default_colors()
            colors = Int(cn_colors()) >= 256 ? 256 : (Int(cn_colors()) >= 16 ? 16 : 8)
        } else {
            colors = 0
        }
    }

    /// Installs `theme`'s colour pairs.
    mutating func apply(_ theme: Theme) {
        let effective = colors == 0 ? Theme.builtInMonochrome : theme
        for (index, role) in StyleRole.allCases.enumerated() {
            let style = effective.style(role)
            var attr = cn_a_normal()
            if style.bold { attr |= cn_a_bold() }
            if style.dim { attr |= cn_a_dim() }
            if style.reverse { attr |= cn_a_reverse() }
            if style.underline { attr |= cn_a_underline() }
            var pair: Int16 = 0
            if colors > 0 && Int(cn_color_pairs()) > index + 1 {
                pair = Int16(index + 1)
                init_pair(pair, Int16(style.foreground.paletteIndex(colors: colors)),
                          Int16(style.background.paletteIndex(colors: colors)))
            }
            attributes[role] = (attr, pair)
        }
    }

    /// The attributes and pair of `role`.
    func attributes(for role: StyleRole) -> (attr: attr_t, pair: Int16) {
        attributes[role] ?? (cn_a_normal(), 0)
    }
}
