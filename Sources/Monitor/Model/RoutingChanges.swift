import KBucket

/// Which routing-table contacts changed a moment ago, so their rows can flash. Entries older than
/// ``window`` are forgotten, and at most ``limit`` are kept however fast nodes churn.
public struct RoutingChanges: Sendable {
    /// How a contact changed.
    public enum Kind: Equatable, Sendable {
        /// It entered the table.
        case added
        /// It was heard from again.
        case refreshed
        /// It left the table.
        case removed
    }

    /// How long a change flashes.
    public let window: Duration
    /// The most changes remembered.
    public let limit: Int
    private var changes: [NodeID: (at: Duration, kind: Kind)] = [:]
    /// Nodes added since the monitor started.
    public private(set) var added = 0
    /// Nodes removed since the monitor started.
    public private(set) var removed = 0

    /// Creates an empty record.
    public init(window: Duration = .milliseconds(1500), limit: Int = 4096) {
        self.window = window
        self.limit = limit
    }

    /// Records a node change.
    public mutating func apply(_ event: MonitorEvent, at time: Duration) {
        switch event {
        case .nodeAdded(let node):
            added += 1
            if let id = node.id { note(id, .added, at: time) }
        case .nodeRefreshed(let node):
            if let id = node.id { note(id, .refreshed, at: time) }
        case .nodeRemoved(let node, _):
            removed += 1
            if let id = node.id { note(id, .removed, at: time) }
        default:
            break
        }
    }

    private mutating func note(_ id: NodeID, _ kind: Kind, at time: Duration) {
        changes[id] = (time, kind)
        if changes.count > limit { prune(now: time) }
        if changes.count > limit { changes.removeAll(keepingCapacity: true) }  // a storm: flashing is moot
    }

    /// Forgets changes older than the window.
    public mutating func prune(now: Duration) {
        changes = changes.filter { now - $0.value.at <= window }
    }

    /// How `id` changed within the window before `now`, if it did.
    public func change(of id: NodeID, now: Duration) -> Kind? {
        guard let change = changes[id], now - change.at <= window else { return nil }
        return change.kind
    }

    /// Nodes that left the table within the window before `now` (a removed contact has no row of its
    /// own any more: its bucket's row flashes instead).
    public func removed(now: Duration) -> [NodeID] {
        changes.compactMap { $0.value.kind == .removed && now - $0.value.at <= window ? $0.key : nil }
    }

    /// The number of remembered changes (for tests of the bound).
    public var count: Int { changes.count }
}
