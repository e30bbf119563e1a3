import Monitor
import Testing

@Suite struct KeyMapTests {
    @Test func everyKeyOfTheIssueMapsToItsCommand() {
        let map = KeyMap.standard
        let expected: [(KeyInput, MonitorCommand)] = [
            (.character("l"), .lookup), (.character("a"), .announce), (.character("u"), .unannounce),
            (.character("p"), .ping), (.character("h"), .holepunch), (.character("b"), .rebootstrap),
            (.tab, .focusNext), (.backTab, .focusPrevious), (.up, .selectPrevious), (.down, .selectNext),
            (.enter, .activate), (.right, .activate), (.left, .collapse), (.character("/"), .filter),
            (.character(" "), .togglePause), (.character("r"), .togglePrivacy), (.character("t"), .nextTheme),
            (.character("?"), .toggleHelp), (.character("q"), .quit), (.escape, .dismiss),
        ]
        for (key, command) in expected { #expect(map.command(for: key) == command, "\(key)") }
    }

    @Test func unboundKeysMapToNothing() {
        #expect(KeyMap.standard.command(for: .character("z")) == nil)
        #expect(KeyMap.standard.command(for: .other(4242)) == nil)
    }

    @Test func everyCommandHasABindingAndHelpText() {
        let bound = Set(KeyMap.standard.bindings.map(\.command))
        for command in MonitorCommand.allCases { #expect(bound.contains(command), "\(command) has no key") }
        #expect(KeyMap.standard.bindings.allSatisfy { !$0.help.isEmpty && $0.help.count <= 28 })
    }

    @Test func aKeyBoundTwiceKeepsItsFirstBinding() {
        let map = KeyMap(bindings: [
            .init(keys: [.character("x")], label: "x", command: .quit, help: "quit"),
            .init(keys: [.character("x")], label: "x", command: .ping, help: "ping"),
        ])
        #expect(map.command(for: .character("x")) == .quit)
    }
}
