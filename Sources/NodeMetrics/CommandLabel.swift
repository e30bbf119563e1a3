/// The `command` label of the per-command metrics. A request's command is a string from the
/// network, so only the commands this stack speaks get a label of their own; anything else is
/// counted under `other` – a peer cannot grow the number of time series.
public enum CommandLabel {
    /// The commands with a label of their own.
    public static let known = ["_ping", "_find_node", "peers"]
    /// The label for every other command.
    public static let other = "other"
    /// Every label value, in the order they are created.
    public static let all = known + [other]

    /// The label value for `command`.
    public static func value(for command: String) -> String {
        known.contains(command) ? command : other
    }
}
