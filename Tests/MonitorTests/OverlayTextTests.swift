import Foundation
import IPEncoding
import Monitor
import Testing

/// The help overlay's notes and every prompt's validation message are shown whole – wrapped onto
/// more lines where needed, never cut at the box's edge – at the sizes people use.
@Suite struct OverlayTextTests {
    static let sizes = [(80, 24), (120, 40), (200, 60)]

    /// The text inside the box whose top edge starts with `┌ title`: each inner row trimmed, joined by
    /// single spaces (so a wrapped sentence reads as one).
    static func boxText(_ screen: ScreenBuffer, title: String) -> String? {
        let rows = (0..<screen.height).map { Array(screen.line($0)) }
        for (y, row) in rows.enumerated() {
            let line = String(row)
            guard let range = line.range(of: "┌ " + title) else { continue }
            let left = line.distance(from: line.startIndex, to: range.lowerBound)
            guard let right = row[left...].firstIndex(of: "┐") else { continue }
            var parts: [String] = []
            for inner in rows[(y + 1)...] {
                if inner[left] == "└" { break }
                parts.append(String(inner[(left + 1)..<right]).trimmingCharacters(in: .whitespaces))
            }
            return parts.filter { !$0.isEmpty }.joined(separator: " ")
        }
        return nil
    }

    @Test(arguments: sizes)
    func helpNotesAreWhole(width: Int, height: Int) throws {
        var controller = ControllerTests.controller()
        _ = controller.handle(.character("?"))
        let screen = controller.frame(width: width, height: height, now: .seconds(4))
        let text = try #require(Self.boxText(screen, title: "Keys"), "\(screen.text)")
        for sentence in ["Prompts: Enter submits, Esc cancels, Tab switches fields;",
                         "a wrong entry keeps your text and says what is wrong."] {
            #expect(text.contains(sentence), "\(width)x\(height): \(screen.text)")
        }
        for binding in KeyMap.standard.bindings { #expect(text.contains(binding.help), "\(binding.help) at \(width)x\(height)") }
    }

    /// What to type (prompt key, fields separated by Tab) and the message Enter must show whole.
    static let wrongEntries: [(String, [String], String)] = [
        ("l", [String(repeating: "ab", count: 31) + "a"],
         "63 hex digits: a key has exactly 64 (add a non-hex character to use the text as a topic)"),
        ("l", [String(repeating: "x", count: 300)], "too long: at most 256 characters"),
        ("l", [""], "type a key (64 hex digits) or a topic"),
        ("p", [""], "type host:port, e.g. 127.0.0.1:49737"),
        ("p", ["example.org:80"], #""example.org" is a host name: type its IP address (names are not looked up here; localhost works)"#),
        ("p", ["1.2.3:80"], #"invalid host in "1.2.3:80" (expected an IPv4 address, [IPv6] or localhost, with :port)"#),
        ("p", ["nonsense:99999"], #"invalid port in "nonsense:99999" (expected 1-65535)"#),
        ("p", ["[::1:5"], #"malformed address "[::1:5" (expected host, host:port or [ipv6]:port)"#),
        ("h", ["127.0.0.1:5", "example.org:80"],
         #"referrer: "example.org" is a host name: type its IP address (names are not looked up here; localhost works)"#),
    ]

    @Test(arguments: sizes)
    func promptErrorsAreWhole(width: Int, height: Int) throws {
        for (key, fields, message) in Self.wrongEntries {
            var controller = ControllerTests.controller()
            _ = controller.handle(.character(Character(key)))
            for (index, field) in fields.enumerated() {
                if index > 0 { _ = controller.handle(.tab) }
                _ = ControllerTests.type(field, into: &controller)
            }
            _ = controller.handle(.enter)
            let prompt = try #require(controller.view.prompt)
            let expected = try #require(prompt.error)
            let screen = controller.frame(width: width, height: height, now: .seconds(4))
            let text = try #require(Self.boxText(screen, title: prompt.kind.title), "\(screen.text)")
            #expect(text.contains("✗ " + message), "\(width)x\(height) \(key): \(expected)\n\(screen.text)")
        }
    }
}
