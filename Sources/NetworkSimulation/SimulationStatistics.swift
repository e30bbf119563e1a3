/// Running totals of what a ``SimulatedNetwork`` did with the datagrams it was given.
///
/// Every datagram sent ends up exactly once as lost, oversized, filtered, undeliverable or
/// delivered, plus once more per duplicate made of it.
public struct SimulationStatistics: Hashable, Sendable {
    /// Datagrams handed to `send` on an open transport.
    public var datagramsSent = 0
    /// Payload bytes handed to `send` on an open transport.
    public var bytesSent = 0
    /// Datagrams (including duplicates) handed to a receiver.
    public var datagramsDelivered = 0
    /// Payload bytes (including duplicates) handed to a receiver.
    public var bytesDelivered = 0
    /// Datagrams dropped by the link's loss probability.
    public var datagramsLost = 0
    /// Extra copies made by the link's duplication probability.
    public var datagramsDuplicated = 0
    /// Datagrams (or copies) that arrived where no open endpoint was bound.
    public var datagramsUndeliverable = 0
    /// Datagrams (or copies) dropped by the path policy, e.g. a NAT refusing unsolicited input.
    public var datagramsFiltered = 0
    /// Datagrams larger than the network's maximum datagram size, dropped at the sender.
    public var datagramsOversized = 0

    /// Creates all-zero statistics.
    public init() {}
}
