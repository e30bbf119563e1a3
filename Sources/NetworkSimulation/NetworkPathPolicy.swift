import IPEncoding
import UDPRequest

/// Decides how addresses look along a path through a ``SimulatedNetwork``: the seam for NAT models.
///
/// The network asks ``translateOutbound(from:to:at:)`` when a datagram is sent and
/// ``translateInbound(from:to:at:)`` when it arrives (so state that changed in flight counts).
/// A policy is confined to the network's run loop, like everything else in the simulation.
public protocol NetworkPathPolicy: AnyObject {
    /// Returns the source address the rest of the network will see for a datagram that the
    /// endpoint bound at `sender` sends to `destination` (a NAT's public mapping, or `sender`
    /// itself), or `nil` to drop the datagram.
    func translateOutbound(from sender: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress?

    /// Returns the bound endpoint that should receive a datagram from `source` (as observed) that
    /// was addressed to `destination`, or `nil` to drop it (e.g. unsolicited input to a NAT).
    func translateInbound(from source: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress?
}

/// The identity policy: every endpoint is directly reachable at its bound address and nothing is
/// filtered. The default for a ``SimulatedNetwork``.
public final class DirectPathPolicy: NetworkPathPolicy {
    /// Creates the identity policy.
    public init() {}

    /// Returns `sender` unchanged.
    public func translateOutbound(from sender: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress? {
        sender
    }

    /// Returns `destination` unchanged.
    public func translateInbound(from source: PeerAddress, to destination: PeerAddress, at time: Timestamp) -> PeerAddress? {
        destination
    }
}
