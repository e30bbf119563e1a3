import IPEncoding

/// What a ``RequestSocket`` did, for observers (the DHT layer's event stream and the monitor).
/// Delivered synchronously on the socket's context after the socket's own state is updated.
public enum RequestSocketEvent: Sendable {
    /// A request went out for the first time.
    case requestSent(tid: UInt16, command: String, to: PeerAddress, bytes: Int)
    /// A request was retransmitted after a timeout tick (only with ``RequestOptions/retry``).
    case requestRetransmitted(tid: UInt16, command: String, to: PeerAddress, transmission: Int)
    /// A response matched one of our requests.
    case responseMatched(tid: UInt16, command: String, from: PeerAddress, roundTripTime: Duration)
    /// A request failed: no answer in time.
    case requestTimedOut(tid: UInt16, command: String, to: PeerAddress, transmissions: Int)
    /// A request was cancelled or failed because the socket closed.
    case requestCancelled(tid: UInt16, command: String, to: PeerAddress)
    /// A request arrived from the network.
    case requestReceived(tid: UInt16, command: String, from: PeerAddress, bytes: Int)
    /// We answered a request.
    case responseSent(tid: UInt16, to: PeerAddress, bytes: Int)
    /// We forwarded a request (hole-punch referrer) or a response, keeping the original tid.
    case forwarded(tid: UInt16, isRequest: Bool, command: String?, to: PeerAddress)
    /// A response arrived whose tid matches nothing in flight; dropped.
    case unmatchedResponse(tid: UInt16, from: PeerAddress)
    /// A response matched a tid in flight but came from an address the request did not go to; dropped.
    case spoofedResponse(tid: UInt16, from: PeerAddress, expected: PeerAddress)
    /// Datagrams from `from`'s host went over its ``SourceRateLimit`` and were dropped (reported at
    /// most once per second per source; `droppedSoFar` is the socket's running total of such drops).
    case rateLimited(from: PeerAddress, droppedSoFar: Int)
    /// A datagram did not decode and was dropped.
    case malformedDropped(from: PeerAddress, bytes: Int, error: DatagramFrameError)
}
