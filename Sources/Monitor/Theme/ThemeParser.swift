import TOMLKit

/// Reads a theme from TOML text (see `themes/dark.toml` for the format). Unknown keys and unknown
/// roles are ignored; roles the file leaves out use its `text` style.
public enum ThemeParser {
    /// Parses `text`; `file` names the source in errors, `fallbackName` is used when the file has no
    /// `name`.
    public static func parse(_ text: String, file: String, fallbackName: String) throws(ThemeError) -> Theme {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .syntax(file: file, line: error.source.begin.line, column: error.source.begin.column,
                          message: error.description)
        } catch {
            throw .syntax(file: file, line: 0, column: 0, message: "\(error)")
        }
        var name = fallbackName
        if let value = table["name"] {
            guard let string = value.string else { throw .wrongType(file: file, key: "name", expected: "a string") }
            name = string
        }
        var styles: [StyleRole: ThemeStyle] = [:]
        if let rolesValue = table["roles"] {
            guard let roles = rolesValue.table else { throw .notATable(file: file, key: "roles") }
            for (key, value) in roles {
                guard let role = StyleRole(themeKey: key) else { continue }  // unknown roles are ignored
                guard let entry = value.table else { throw .notATable(file: file, key: "roles.\(key)") }
                styles[role] = try style(entry, key: "roles.\(key)", file: file)
            }
        }
        return Theme(name: name, styles: styles)
    }

    private static func style(_ entry: TOMLTable, key: String, file: String) throws(ThemeError) -> ThemeStyle {
        var style = ThemeStyle()
        for (field, value) in entry {
            let path = "\(key).\(field)"
            switch field {
            case "fg": style.foreground = try color(value, key: path, file: file)
            case "bg": style.background = try color(value, key: path, file: file)
            case "bold": style.bold = try flag(value, key: path, file: file)
            case "dim": style.dim = try flag(value, key: path, file: file)
            case "reverse": style.reverse = try flag(value, key: path, file: file)
            case "underline": style.underline = try flag(value, key: path, file: file)
            default: continue  // unknown keys are ignored
            }
        }
        return style
    }

    private static func color(_ value: any TOMLValueConvertible, key: String, file: String) throws(ThemeError) -> ThemeColor {
        if let index = value.int {
            guard (0...255).contains(index) else { throw .invalidColor(file: file, key: key, value: "\(index)") }
            return .indexed(UInt8(index))
        }
        guard let text = value.string else {
            throw .wrongType(file: file, key: key, expected: "a colour string or a palette index 0-255")
        }
        guard let color = ThemeColor(parsing: text) else { throw .invalidColor(file: file, key: key, value: text) }
        return color
    }

    private static func flag(_ value: any TOMLValueConvertible, key: String, file: String) throws(ThemeError) -> Bool {
        guard let flag = value.bool else { throw .wrongType(file: file, key: key, expected: "true or false") }
        return flag
    }
}
