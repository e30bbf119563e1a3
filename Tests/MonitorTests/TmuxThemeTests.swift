import Foundation
import Testing

/// Themes on a real terminal: a broken theme file is reported (on screen and on stderr at exit) and
/// the default theme is used; `t` switches themes live.
@Suite(.timeLimit(.minutes(5)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxThemeTests {
    /// The theme name at the right end of the header line.
    static func headerTheme(_ screen: String) -> String? {
        screen.split(separator: "\n").first?.split(separator: " ").last.map(String.init)
    }

    @Test func aBrokenThemeFileIsReportedAndTheDefaultIsUsedThenTCyclesThemes() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("hyperdht-theme-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("broken.toml")
        try "name = \"broken\"\n[roles]\ntext = { fg = \"purple-ish\" }\n".write(to: file, atomically: true, encoding: .utf8)

        let session = try TmuxSession(width: 80, height: 24, arguments: ["monitor", "--swarm-size", "4", "--theme", file.path])
        defer { session.kill() }
        try await session.waitFor("the monitor", timeout: .seconds(60)) { $0.contains("● ready") }

        // The message line names the file and the problem, and says the default is used.
        let problem = "roles.text.fg = \"purple-ish\" is not a colour"
        var screen = session.capture()
        let messageLine = screen.split(separator: "\n").first { $0.contains("broken.toml") }.map(String.init) ?? ""
        #expect(messageLine.contains("using theme dark: broken.toml: \(problem)"), "\(screen)")
        #expect(Self.headerTheme(screen) == "dark", "header names the theme in use:\n\(screen)")

        // t cycles through the themes, default first then alphabetical; the header follows at once.
        for name in ["high-contrast", "light", "monochrome", "dark"] {
            session.send("t")
            try await session.waitFor("theme \(name)") { Self.headerTheme($0) == name }
            screen = session.capture()
            #expect(screen.contains(" theme \(name)"), "the message line confirms the switch:\n\(screen)")
        }

        // At exit the error is repeated on stderr, with the full path, after the screen is restored.
        #expect(try await session.quit() == 0)
        let bytes = try session.typescript()
        let left = try #require(bytes.range(of: "\u{1B}[?1049l", options: .backwards))
        #expect(bytes[left.upperBound...].contains("hyperdht monitor: \(file.path): \(problem)"), "\(bytes[left.upperBound...])")
    }
}
