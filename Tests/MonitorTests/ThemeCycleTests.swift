import Foundation
import Monitor
import Testing

/// `t` passes over a broken theme file: it says what is wrong, keeps the theme in use (and its name
/// in the header), and the next `t` moves on to the theme after the broken one.
@Suite struct ThemeCycleTests {
    @Test func aBrokenThemeFileIsReportedKeptOutAndPassedOver() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("theme-cycle-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "[roles.text]\nfg = \"not-a-colour\"\n".write(to: directory.appendingPathComponent("b-broken.toml"), atomically: true, encoding: .utf8)
        let loader = ThemeLoader(searchDirectories: [directory.path])
        #expect(loader.availableThemeNames() == ["dark", "b-broken", "monochrome"])

        var controller = MonitorController(themeLoader: loader)
        _ = controller.handle(.character("t"))
        #expect(controller.theme.name == "dark")
        #expect(controller.view.themeName == "dark")
        let message = try #require(controller.view.message)
        #expect(message.isError && message.text.contains("b-broken.toml") && message.text.contains("not-a-colour"))
        let header = controller.frame(width: 120, height: 30, now: .zero).text.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.hasSuffix(" dark") && !header.contains("b-broken"), "\(header)")

        _ = controller.handle(.character("t"))
        #expect(controller.theme.name == "monochrome")
        #expect(controller.view.themeName == "monochrome")
        #expect(controller.view.message?.isError == false)
    }
}
