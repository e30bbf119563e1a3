import Foundation

/// Finds and loads themes: by name from a list of theme directories, or by path. A theme that cannot
/// be loaded gives an error naming the file and the problem; ``loadOrDefault(_:)`` then falls back to
/// the built-in default so the monitor always starts.
public struct ThemeLoader: Sendable {
    /// Directories searched for `NAME.toml`, first match wins.
    public var searchDirectories: [String]

    /// Creates a loader searching `searchDirectories`.
    public init(searchDirectories: [String]) {
        self.searchDirectories = searchDirectories
    }

    /// The usual search path: `$HYPERDHT_THEMES`, `./themes`, then a `themes/` folder found by walking up
    /// from the executable (the package root when run from a build folder), then
    /// `/usr/local/share/hyperdht/themes` and `/usr/share/hyperdht/themes`.
    public static func standardSearchDirectories(executablePath: String, environment: [String: String],
                                                 currentDirectory: String) -> [String] {
        var directories: [String] = []
        if let custom = environment["HYPERDHT_THEMES"], !custom.isEmpty { directories.append(custom) }
        directories.append((currentDirectory as NSString).appendingPathComponent("themes"))
        var folder = ((executablePath as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
        while folder.count > 1 {
            let candidate = (folder as NSString).appendingPathComponent("themes")
            if FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent("dark.toml")) {
                directories.append(candidate)
                break
            }
            folder = (folder as NSString).deletingLastPathComponent
        }
        directories += ["/usr/local/share/hyperdht/themes", "/usr/share/hyperdht/themes"]
        var seen = Set<String>()
        return directories.filter { seen.insert(($0 as NSString).standardizingPath).inserted }
    }

    /// Loads `nameOrPath`: a path when it contains `/` or ends in `.toml`, else a theme name.
    public func load(_ nameOrPath: String) throws(ThemeError) -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") { return try load(path: nameOrPath) }
        for directory in searchDirectories {
            let path = (directory as NSString).appendingPathComponent("\(nameOrPath).toml")
            if FileManager.default.fileExists(atPath: path) { return try load(path: path) }
        }
        if let builtIn = Theme.builtIn(named: nameOrPath) { return builtIn }
        throw .notFound(name: nameOrPath, searched: searchDirectories)
    }

    /// Loads the theme file at `path`.
    public func load(path: String) throws(ThemeError) -> Theme {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw .unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return try ThemeParser.parse(text, file: path, fallbackName: name)
    }

    /// Loads `nameOrPath`, or the built-in default with the error that prevented it.
    public func loadOrDefault(_ nameOrPath: String?) -> (theme: Theme, error: ThemeError?) {
        guard let nameOrPath else { return (.builtInDefault, nil) }
        do {
            return (try load(nameOrPath), nil)
        } catch {
            return (.builtInDefault, error)
        }
    }

    /// Names of the themes `t` cycles through: every `*.toml` in the search directories plus the
    /// built-ins, the default first, then alphabetical.
    public func availableThemeNames() -> [String] {
        var names = Set(Theme.builtInNames)
        for directory in searchDirectories {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for file in files where file.hasSuffix(".toml") { names.insert(String(file.dropLast(5))) }
        }
        let defaultName = Theme.builtInDefault.name
        return [defaultName] + names.subtracting([defaultName]).sorted()
    }
}
