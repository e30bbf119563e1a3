import KBucket
import Monitor

/// One entry of a recording (`--record FILE`): what the monitor saw, and when – time since the
/// recording (or its current file, after a rotation) started. Stored as control-protocol frames
/// (``ControlFraming``, JSON payloads), so `hyperdht replay` reads them back with the same code.
public struct RecordedEntry: Codable, Sendable, Equatable {
    /// Time since the recording started.
    public var at: Duration
    /// What was seen.
    public var content: Content

    /// What an entry holds.
    public enum Content: Codable, Sendable, Equatable {
        /// The first entry of every file: the format's version and the node recorded.
        case header(version: Int, node: NodeID?)
        /// A batch of events, as the backend handed it over.
        case events(MonitorEventBatch)
        /// The node's status.
        case status(NodeStatus)
        /// The node's store (`nil`: no store).
        case store(StoreSnapshot?)
    }

    /// Creates an entry.
    public init(at: Duration, content: Content) {
        self.at = at
        self.content = content
    }

    /// The recording format's version (in each file's header).
    public static let formatVersion = 1
}
