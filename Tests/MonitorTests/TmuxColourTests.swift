import Foundation
import Testing

/// The colours the monitor puts on a real terminal, read back from tmux as SGR escape sequences:
/// 256 colours where the terminal has them, the 8 basic ones on an 8-colour terminal, and none at all
/// with `NO_COLOR` (attributes only).
@Suite(.timeLimit(.minutes(5)), .enabled(if: TmuxSession.isAvailable, "tmux and script are needed"))
struct TmuxColourTests {
    /// What the colour parameters of a screen's SGR sequences use.
    struct ColourUse: Equatable {
        var foreground256 = Set<Int>(), background256 = Set<Int>()
        var basicForeground = Set<Int>(), basicBackground = Set<Int>()
        /// 90–97 / 100–107, `38;2` / `48;2` and anything else that is a colour but none of the above.
        var other = Set<String>()
        /// 39 / 49: back to the terminal's own colours.
        var defaults = Set<Int>()
        /// Bold, dim, underline, reverse and the like.
        var attributes = Set<Int>()

        var usesAnyColour: Bool {
            !(foreground256.isEmpty && background256.isEmpty && basicForeground.isEmpty && basicBackground.isEmpty && other.isEmpty)
        }

        /// Reads every `ESC [ … m` in `text`.
        init(_ text: String) {
            for match in text.matches(of: /\x1B\[([0-9;:]*)m/) {
                let parameters = match.1.split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                var index = 0
                while index < parameters.count {
                    let value = parameters[index]
                    switch value {
                    case 38, 48:
                        let mode = index + 1 < parameters.count ? parameters[index + 1] : -1
                        if mode == 5, index + 2 < parameters.count {
                            if value == 38 { foreground256.insert(parameters[index + 2]) } else { background256.insert(parameters[index + 2]) }
                            index += 3
                        } else {
                            other.insert(parameters[index...].map(String.init).joined(separator: ";"))
                            index = parameters.count
                        }
                        continue
                    case 30...37: basicForeground.insert(value)
                    case 40...47: basicBackground.insert(value)
                    case 39, 49: defaults.insert(value)
                    case 90...97, 100...107: other.insert("\(value)")
                    default: attributes.insert(value)
                    }
                    index += 1
                }
            }
        }
    }

    static func screen(term: String, noColor: Bool) async throws -> String {
        let session = try TmuxSession(width: 100, height: 30, arguments: ["monitor", "--swarm-size", "4"],
                                      environment: ["TERM": term].merging(noColor ? ["NO_COLOR": "1"] : [:]) { $1 })
        defer { session.kill() }
        try await session.waitFor("the monitor", timeout: .seconds(60)) {
            $0.contains("● ready") && $0.range(of: #" [1-9][0-9]*/20 "#, options: .regularExpression) != nil
        }
        return session.captureWithEscapes()
    }

    @Test(arguments: ["xterm-256color", "screen-256color"])
    func a256ColourTerminalGets256ColourSequences(term: String) async throws {
        let use = ColourUse(try await Self.screen(term: term, noColor: false))
        // The dark theme's text (252), header (255 on 24) and borders (240) are outside the 16 ANSI colours.
        #expect(use.foreground256.contains { $0 >= 16 }, "\(use)")
        #expect(use.background256.contains { $0 >= 16 }, "\(use)")
        #expect(use.background256.contains(24), "header background: \(use)")
    }

    @Test func an8ColourTerminalGetsOnlyTheBasicColours() async throws {
        let use = ColourUse(try await Self.screen(term: "screen", noColor: false))
        #expect(!use.basicForeground.isEmpty && !use.basicBackground.isEmpty, "\(use)")
        #expect(use.foreground256.isEmpty && use.background256.isEmpty, "\(use)")
        #expect(use.other.isEmpty, "\(use)")
    }

    @Test func noColorGivesAttributesButNoColour() async throws {
        let use = ColourUse(try await Self.screen(term: "xterm-256color", noColor: true))
        #expect(!use.usesAnyColour, "\(use)")
        #expect(use.attributes.contains(7), "reverse (header, footer): \(use)")
        #expect(use.attributes.contains(1), "bold: \(use)")
    }
}
