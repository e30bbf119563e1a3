/// Maps keys to commands: one table, so the help overlay and the dispatch never disagree.
public struct KeyMap: Sendable {
    /// One binding: the keys, the command, and the help text.
    public struct Binding: Sendable {
        /// Keys that trigger the command.
        public var keys: [KeyInput]
        /// How the help overlay names the keys.
        public var label: String
        /// The command.
        public var command: MonitorCommand
        /// What it does, for the help overlay.
        public var help: String

        /// Creates a binding.
        public init(keys: [KeyInput], label: String, command: MonitorCommand, help: String) {
            self.keys = keys
            self.label = label
            self.command = command
            self.help = help
        }
    }

    /// The bindings, in help order.
    public let bindings: [Binding]
    private let table: [KeyInput: MonitorCommand]

    /// The monitor's standard keys.
    public static let standard = KeyMap(bindings: [
        Binding(keys: [.character("l")], label: "l", command: .lookup, help: "look up a key or topic"),
        Binding(keys: [.character("a")], label: "a", command: .announce, help: "announce under key or topic"),
        Binding(keys: [.character("u")], label: "u", command: .unannounce, help: "withdraw an announcement"),
        Binding(keys: [.character("p")], label: "p", command: .ping, help: "ping host:port"),
        Binding(keys: [.character("h")], label: "h", command: .holepunch, help: "hole punch peer via referrer"),
        Binding(keys: [.character("b")], label: "b", command: .rebootstrap, help: "re-run the bootstrap walk"),
        Binding(keys: [.tab], label: "Tab", command: .focusNext, help: "focus the next pane"),
        Binding(keys: [.backTab], label: "S-Tab", command: .focusPrevious, help: "focus the previous pane"),
        Binding(keys: [.up, .character("k")], label: "↑ k", command: .selectPrevious, help: "select the previous row"),
        Binding(keys: [.down, .character("j")], label: "↓ j", command: .selectNext, help: "select the next row"),
        Binding(keys: [.pageUp], label: "PgUp", command: .pageUp, help: "page up"),
        Binding(keys: [.pageDown], label: "PgDn", command: .pageDown, help: "page down"),
        Binding(keys: [.home], label: "Home", command: .selectFirst, help: "select the first row"),
        Binding(keys: [.end], label: "End", command: .selectLast, help: "select the last row"),
        Binding(keys: [.enter, .right], label: "Enter →", command: .activate, help: "expand / select the row"),
        Binding(keys: [.left], label: "←", command: .collapse, help: "collapse the row"),
        Binding(keys: [.character("/")], label: "/", command: .filter, help: "filter the focused pane"),
        Binding(keys: [.character(" ")], label: "space", command: .togglePause, help: "pause display (node runs on)"),
        Binding(keys: [.character("r")], label: "r", command: .togglePrivacy, help: "privacy: mask addresses"),
        Binding(keys: [.character("t")], label: "t", command: .nextTheme, help: "next theme"),
        Binding(keys: [.character("?")], label: "?", command: .toggleHelp, help: "this help"),
        Binding(keys: [.escape], label: "Esc", command: .dismiss, help: "close overlay, clear filter"),
        Binding(keys: [.character("q"), .interrupt], label: "q", command: .quit, help: "quit"),
    ])

    /// Creates a key map; a key bound twice keeps its first binding.
    public init(bindings: [Binding]) {
        self.bindings = bindings
        var table: [KeyInput: MonitorCommand] = [:]
        for binding in bindings {
            for key in binding.keys where table[key] == nil { table[key] = binding.command }
        }
        self.table = table
    }

    /// The command bound to `key`, if any.
    public func command(for key: KeyInput) -> MonitorCommand? { table[key] }
}
