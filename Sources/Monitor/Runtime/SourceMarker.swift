/// What the header says about where the monitor's data comes from when it is not a live node:
/// a replay (`REPLAY 0:42/3:10 2x paused`) or an attached node that went away (`DETACHED: node gone,
/// retrying`). Asked of the backend once per frame (``MonitorBackend/sourceMarker``).
public struct SourceMarker: Sendable, Equatable {
    /// The marker's text.
    public var text: String
    /// Whether it reports a problem (drawn in the "bad" style rather than as a plain marker).
    public var isProblem: Bool

    /// Creates a marker.
    public init(_ text: String, isProblem: Bool = false) {
        self.text = text
        self.isProblem = isProblem
    }
}
