/// The themes compiled into the program, so the monitor starts with a sane look when no theme file
/// can be found or loaded. The text equals `themes/dark.toml` and `themes/monochrome.toml` (a test
/// keeps them in step).
extension Theme {
    /// The default theme (`dark`).
    public static let builtInDefault: Theme = parseBuiltIn(darkText, name: "dark")
    /// The attributes-only theme used when colours are unavailable or `NO_COLOR` is set.
    public static let builtInMonochrome: Theme = parseBuiltIn(monochromeText, name: "monochrome")
    /// Names of the built-in themes.
    public static let builtInNames = ["dark", "monochrome"]

    /// The built-in theme called `name`, if there is one.
    public static func builtIn(named name: String) -> Theme? {
        switch name {
        case "dark": builtInDefault
        case "monochrome": builtInMonochrome
        default: nil
        }
    }

    private static func parseBuiltIn(_ text: String, name: String) -> Theme {
        (try? ThemeParser.parse(text, file: "<built-in \(name)>", fallbackName: name)) ?? Theme(name: name, styles: [:])
    }

    static let darkText = """
# dark – the default theme: light text on the terminal's own (dark) background, 256-colour accents.
# A colour is "default", an ANSI name ("red", "bright-blue", "gray"), "#rrggbb" or a palette index 0-255.
# Attributes: bold, dim, reverse, underline. Unknown keys are ignored; missing roles use `text`.
name = "dark"

[roles]
text           = { fg = 252, bg = "default" }
dim            = { fg = 244 }
header         = { fg = 255, bg = 24, bold = true }
title          = { fg = 117, bold = true }
border         = { fg = 240 }
border-focused = { fg = 45, bold = true }
selection      = { fg = 255, bg = 238, bold = true }
local-path     = { fg = 214, bold = true }
good           = { fg = 77 }
warning        = { fg = 221 }
bad            = { fg = 203, bold = true }
flash          = { fg = 16, bg = 221 }
accent         = { fg = 81 }
sparkline      = { fg = 79 }
bar-filled     = { fg = 71 }
bar-empty      = { fg = 238 }
footer         = { fg = 250, bg = 236 }
message        = { fg = 229 }
overlay        = { fg = 255, bg = 237 }
marker         = { fg = 16, bg = 214, bold = true }
key            = { fg = 81, bg = 236, bold = true }
"""

    static let monochromeText = """
# monochrome – no colours at all, only attributes; also what the monitor uses when NO_COLOR is set
# or the terminal has no colours.
name = "monochrome"

[roles]
text           = {}
dim            = { dim = true }
header         = { reverse = true, bold = true }
title          = { bold = true }
border         = {}
border-focused = { bold = true }
selection      = { reverse = true }
local-path     = { bold = true, underline = true }
good           = {}
warning        = { underline = true }
bad            = { bold = true }
flash          = { reverse = true }
accent         = { bold = true }
sparkline      = {}
bar-filled     = { bold = true }
bar-empty      = { dim = true }
footer         = { reverse = true }
message        = { bold = true }
overlay        = { reverse = true }
marker         = { reverse = true, bold = true }
key            = { reverse = true, bold = true }
"""
}
