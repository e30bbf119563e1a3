import IPEncoding
import UDPRequest

/// One thing that happened to one datagram on a ``SimulatedNetwork``, reported to its trace hook.
///
/// Two runs with the same seed and the same inputs produce identical sequences of these.
public struct SimulationTraceEvent: Hashable, Sendable {
    /// What happened.
    public enum Outcome: Hashable, Sendable {
        /// Handed to the receiver of the endpoint at ``SimulationTraceEvent/deliveredTo``.
        case delivered
        /// Dropped by the link's loss probability (at send time).
        case lost
        /// A second copy was scheduled (at send time); the copy is reported again when it arrives.
        case duplicated
        /// Arrived where no open endpoint was bound.
        case undeliverable
        /// Dropped by the network's path policy (outbound at send time, inbound at arrival).
        case filtered
        /// Larger than the network's maximum datagram size (at send time).
        case oversized
    }

    /// When it happened, on the network's virtual clock.
    public var time: Timestamp
    /// What happened.
    public var outcome: Outcome
    /// The sending endpoint's own bound address.
    public var sender: PeerAddress
    /// The source the receiver observes (after any NAT translation); equals ``sender`` when the
    /// datagram was dropped before translation.
    public var source: PeerAddress
    /// The destination as the sender addressed it.
    public var destination: PeerAddress
    /// The endpoint that received it (differs from ``destination`` behind a NAT); only for
    /// ``Outcome/delivered``.
    public var deliveredTo: PeerAddress?
    /// The datagram's bytes.
    public var payload: [UInt8]

    /// Creates a trace event.
    public init(
        time: Timestamp, outcome: Outcome, sender: PeerAddress, source: PeerAddress,
        destination: PeerAddress, deliveredTo: PeerAddress? = nil, payload: [UInt8]
    ) {
        self.time = time
        self.outcome = outcome
        self.sender = sender
        self.source = source
        self.destination = destination
        self.deliveredTo = deliveredTo
        self.payload = payload
    }
}
