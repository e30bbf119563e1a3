import ArgumentParser
import Foundation
import Monitor
import MonitorTerminal

/// What the monitor and the replay both need before they take the terminal: a checked terminal, the
/// theme asked for (or the default and why), and whether colours are off.
struct TerminalSetup {
    let loader: ThemeLoader
    let theme: Theme
    let themeError: ThemeError?
    let noColor: Bool

    /// Checks the terminal (a clear message and exit status 2 when it cannot be used), then loads `theme`.
    static func prepare(command: String, theme name: String?) throws -> TerminalSetup {
        do {
            try TerminalCheck.verify()
        } catch {
            try? FileHandle.standardError.write(contentsOf: Data("hyperdht \(command): \(error)\n".utf8))
            throw ExitCode(2)
        }
        let environment = ProcessInfo.processInfo.environment
        let loader = ThemeLoader(searchDirectories: ThemeLoader.standardSearchDirectories(
            executablePath: CommandLine.arguments.first ?? "", environment: environment,
            currentDirectory: FileManager.default.currentDirectoryPath))
        let (theme, themeError) = loader.loadOrDefault(name)
        return TerminalSetup(loader: loader, theme: theme, themeError: themeError,
                             noColor: !(environment["NO_COLOR"] ?? "").isEmpty)
    }
}
