/// Whether a kept announcement also pings the nodes storing it. A peer behind a NAT is reachable
/// through those nodes only while its NAT holds a mapping toward each of them (their forwarded punch
/// pings come in through it), and home routers drop idle UDP mappings after 30–120 s; the storing
/// nodes are rarely among a node's routine contacts, so nothing else keeps those mappings open.
public struct KeepAliveConfiguration: Sendable, Equatable {
    /// When to ping.
    public enum Mode: String, Sendable, CaseIterable {
        /// Never.
        case off
        /// Every ``interval``, NAT or not.
        case always
        /// Every ``interval`` unless the answers show nobody translates our address (a public node
        /// needs no mappings kept); checked again after every re-announce.
        case whenBehindNAT = "auto"
    }

    /// When to ping.
    public var mode: Mode
    /// How often: below the shortest common UDP mapping timeout (Linux conntrack's 30 s for a flow
    /// that has not yet been "assured", which the lab's NATs use).
    public var interval: Duration

    /// Creates a configuration; the default pings every 25 s while behind a NAT.
    public init(mode: Mode = .whenBehindNAT, interval: Duration = .seconds(25)) {
        self.mode = mode
        self.interval = interval
    }

    /// No keep-alive pings.
    public static let off = KeepAliveConfiguration(mode: .off)
}
