/// The panes, in focus (Tab) order.
public enum PaneID: String, CaseIterable, Sendable, Hashable {
    /// The k-bucket tree.
    case buckets
    /// In-flight requests.
    case inflight
    /// Queries.
    case queries
    /// The hole-punch timeline.
    case holepunch
    /// The NAT panel.
    case nat
    /// Stored announcements.
    case store

    /// The pane's title.
    public var title: String {
        switch self {
        case .buckets: "K-buckets"
        case .inflight: "In-flight"
        case .queries: "Queries"
        case .holepunch: "Hole punch"
        case .nat: "NAT"
        case .store: "Store"
        }
    }

    /// The digit shown in the tab bar (panes can also be reached with Tab).
    public var number: Int { (PaneID.allCases.firstIndex(of: self) ?? 0) + 1 }
}
