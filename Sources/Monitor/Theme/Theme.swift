/// How one role looks: colours and attributes.
public struct ThemeStyle: Equatable, Sendable {
    /// Foreground colour.
    public var foreground: ThemeColor
    /// Background colour.
    public var background: ThemeColor
    /// Bold text.
    public var bold: Bool
    /// Dim text.
    public var dim: Bool
    /// Reversed colours.
    public var reverse: Bool
    /// Underlined text.
    public var underline: Bool

    /// Creates a style.
    public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault, bold: Bool = false,
                dim: Bool = false, reverse: Bool = false, underline: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }
}

/// A colour (and attributes) for each UI role. Loaded from `themes/*.toml` by ``ThemeLoader``; the
/// built-in ``Theme/builtInDefault`` is used when no file can be.
public struct Theme: Equatable, Sendable {
    /// The theme's name (its file name without `.toml`, unless the file says otherwise).
    public var name: String
    /// The style of every role.
    public var styles: [StyleRole: ThemeStyle]

    /// Creates a theme; roles missing from `styles` use the `text` role's style.
    public init(name: String, styles: [StyleRole: ThemeStyle]) {
        self.name = name
        let text = styles[.text] ?? ThemeStyle()
        var complete: [StyleRole: ThemeStyle] = [:]
        for role in StyleRole.allCases { complete[role] = styles[role] ?? text }
        self.styles = complete
    }

    /// The style of `role`.
    public func style(_ role: StyleRole) -> ThemeStyle { styles[role] ?? ThemeStyle() }
}

extension StyleRole {
    /// The role's key in a theme file: kebab-case (`border-focused`).
    public var themeKey: String {
        var key = ""
        for character in rawValue {
            if character.isUppercase {
                key.append("-")
                key.append(contentsOf: character.lowercased())
            } else {
                key.append(character)
            }
        }
        return key
    }

    /// The role named `key` in a theme file (kebab-case or camelCase); `nil` for an unknown key.
    public init?(themeKey key: String) {
        guard let role = StyleRole.allCases.first(where: { $0.themeKey == key || $0.rawValue == key }) else { return nil }
        self = role
    }
}
