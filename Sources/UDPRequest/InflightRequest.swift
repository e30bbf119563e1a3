import DHTMessages
import IPEncoding

/// A snapshot of one outgoing request that has not been answered yet, for observers (the monitor's
/// in-flight pane) – a value copied out of the socket, never a live reference.
public struct InflightRequest: Sendable, Equatable {
    /// The 15-bit transaction id the request went out with.
    public var tid: UInt16
    /// The dht-rpc command (`_ping`, `_find_node`, `peers`, ...).
    public var command: String
    /// Where the request was sent.
    public var destination: PeerAddress
    /// When it was first sent.
    public var firstSentAt: Timestamp
    /// How many times it has been transmitted so far (1 without retries).
    public var transmissions: Int
    /// Whether it is a hole-punch `_ping` (carrying `forwardRequest`), whose answer comes from the
    /// punched peer rather than from `destination`.
    public var holepunchTarget: PeerAddress?
}

/// A response matched to one of our requests.
public struct MatchedResponse: Sendable {
    /// The response message.
    public var message: DhtRpc_Response
    /// The address it came from (the destination, or the punched peer for a hole-punch `_ping`).
    public var source: PeerAddress
    /// The request it answers.
    public var request: DhtRpc_Request
    /// The address the request was sent to.
    public var destination: PeerAddress
    /// Time from the last transmission to the answer.
    public var roundTripTime: Duration
}

/// A request received from the network, to be answered (or not) by the layer above.
public struct IncomingRequest: Sendable {
    /// The request message.
    public var message: DhtRpc_Request
    /// The transaction id to answer with.
    public var tid: UInt16
    /// The UDP source address, as this node observed it.
    public var source: PeerAddress
}
