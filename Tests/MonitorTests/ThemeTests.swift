import Foundation
import Monitor
import Testing

@Suite struct ThemeTests {
    static var repositoryThemes: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("themes").path
    }
    static var fixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/themes").path
    }

    @Test(arguments: ["dark", "light", "high-contrast", "monochrome"])
    func everyShippedThemeLoadsAndNamesEveryRole(name: String) throws {
        let path = "\(Self.repositoryThemes)/\(name).toml"
        let theme = try ThemeLoader(searchDirectories: []).load(path: path)
        #expect(theme.name == name)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        for role in StyleRole.allCases { #expect(text.contains("\n\(role.themeKey) "), "\(name) lacks \(role.themeKey)") }
    }

    @Test func builtInThemesEqualTheirFiles() throws {
        let loader = ThemeLoader(searchDirectories: [Self.repositoryThemes])
        #expect(try loader.load("dark") == Theme.builtInDefault)
        #expect(try loader.load("monochrome") == Theme.builtInMonochrome)
    }

    @Test func parsesColoursAndAttributes() throws {
        let theme = try ThemeParser.parse("""
            name = "t"
            [roles]
            text = { fg = "#ff0000", bg = 17 }
            bad = { fg = "bright-red", bold = true, underline = true }
            """, file: "t.toml", fallbackName: "x")
        #expect(theme.name == "t")
        #expect(theme.style(.text) == ThemeStyle(foreground: .rgb(255, 0, 0), background: .indexed(17)))
        #expect(theme.style(.bad) == ThemeStyle(foreground: .indexed(9), bold: true, underline: true))
        #expect(theme.style(.title) == theme.style(.text))  // missing roles use text
        #expect(ThemeColor.rgb(255, 0, 0).paletteIndex(colors: 256) == 196)
        #expect(ThemeColor.rgb(255, 0, 0).paletteIndex(colors: 8) == 1)
        #expect(ThemeColor.indexed(9).paletteIndex(colors: 8) == 1)
        #expect(ThemeColor.terminalDefault.paletteIndex(colors: 256) == -1)
    }

    @Test func greysStayGreyishOnAnEightColourTerminal() {
        // The dark theme's dim text (244), borders (240) and footer background (236).
        #expect(ThemeColor.indexed(244).paletteIndex(colors: 8) == 7)
        #expect(ThemeColor.indexed(240).paletteIndex(colors: 8) == 7)
        #expect(ThemeColor.indexed(236).paletteIndex(colors: 8) == 0)
        #expect(ThemeColor.rgb(128, 128, 128).paletteIndex(colors: 8) == 7)
        #expect(ThemeColor.indexed(244).paletteIndex(colors: 16) == 8)  // 16 colours have a grey
        #expect(ThemeColor.indexed(24).paletteIndex(colors: 8) == 6)  // colours still go by distance
    }

    @Test func unknownKeysAndRolesAreIgnored() throws {
        let theme = try ThemeLoader(searchDirectories: []).load(path: "\(Self.fixtures)/unknown-keys.toml")
        #expect(theme.name == "unknown-keys")
        #expect(theme.style(.accent) == ThemeStyle(foreground: .indexed(2)))
    }

    @Test(arguments: [
        ("broken-syntax.toml", ":2:"),
        ("bad-color.toml", "roles.bad.fg = \"chartreuse-ish\" is not a colour"),
        ("bad-type.toml", "roles.title.bold must be true or false"),
        ("not-a-table.toml", "roles.text must be a table"),
    ])
    func aBrokenFileNamesTheFileAndTheProblemAndFallsBack(file: String, problem: String) {
        let path = "\(Self.fixtures)/\(file)"
        let (theme, error) = ThemeLoader(searchDirectories: []).loadOrDefault(path)
        #expect(theme == .builtInDefault)
        let message = error.map { "\($0)" } ?? ""
        #expect(message.hasPrefix(path), "\(message)")
        #expect(message.contains(problem), "\(message)")
    }

    @Test func theShortDescriptionNamesTheFileWithoutItsFolder() {
        let error = ThemeError.invalidColor(file: "/a/long/folder/mine.toml", key: "roles.text.fg", value: "x")
        #expect(error.file == "/a/long/folder/mine.toml")
        #expect(error.shortDescription.hasPrefix("mine.toml: roles.text.fg = \"x\" is not a colour"))
        #expect(ThemeError.notFound(name: "nope", searched: []).shortDescription == "theme \"nope\" not found (searched: nothing)")
    }

    @Test func unknownNameListsWhereItLooked() {
        let loader = ThemeLoader(searchDirectories: ["/nonexistent"])
        let (_, error) = loader.loadOrDefault("nope")
        #expect(error == .notFound(name: "nope", searched: ["/nonexistent"]))
        #expect("\(error!)" == "theme \"nope\" not found (searched: /nonexistent)")
    }

    @Test func themesCycleDefaultFirst() {
        let names = ThemeLoader(searchDirectories: [Self.repositoryThemes]).availableThemeNames()
        #expect(names == ["dark", "high-contrast", "light", "monochrome"])
    }
}
