/// Why a theme could not be loaded. Each case names the file (or theme name) and what is wrong.
public enum ThemeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No theme of that name in any theme directory searched.
    case notFound(name: String, searched: [String])
    /// The file could not be read.
    case unreadable(file: String, reason: String)
    /// The file is not valid TOML.
    case syntax(file: String, line: Int, column: Int, message: String)
    /// A role's entry is not a table (`role = { fg = "red" }`).
    case notATable(file: String, key: String)
    /// A colour the loader does not understand.
    case invalidColor(file: String, key: String, value: String)
    /// A value of the wrong type (`bold = "yes"`).
    case wrongType(file: String, key: String, expected: String)

    /// One line naming the file and the problem.
    public var description: String {
        switch self {
        case .notFound(let name, let searched):
            "theme \"\(name)\" not found (searched: \(searched.isEmpty ? "nothing" : searched.joined(separator: ", ")))"
        case .unreadable(let file, let reason): "\(file): cannot read theme: \(reason)"
        case .syntax(let file, let line, let column, let message): "\(file):\(line):\(column): \(message)"
        case .notATable(let file, let key): "\(file): \(key) must be a table like { fg = \"red\", bold = true }"
        case .invalidColor(let file, let key, let value):
            "\(file): \(key) = \"\(value)\" is not a colour (use default, an ANSI name, bright-NAME, #rrggbb or 0-255)"
        case .wrongType(let file, let key, let expected): "\(file): \(key) must be \(expected)"
        }
    }

    /// The file the error is about; `nil` when no file of that theme name was found.
    public var file: String? {
        switch self {
        case .notFound: nil
        case .unreadable(let file, _), .syntax(let file, _, _, _), .notATable(let file, _),
             .invalidColor(let file, _, _), .wrongType(let file, _, _): file
        }
    }

    /// ``description`` with the file's name instead of its whole path: the one-line message on screen,
    /// where a long path would push the problem out of an 80-column line (stderr gets the full path).
    public var shortDescription: String {
        guard let file, description.hasPrefix(file), let name = file.split(separator: "/").last else { return description }
        return String(name) + description.dropFirst(file.count)
    }
}
