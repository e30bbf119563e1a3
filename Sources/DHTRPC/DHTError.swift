import UDPRequest

/// Why a DHT operation failed.
public enum DHTError: Error, Equatable, Sendable {
    /// A configuration value is out of range; the text says which.
    case invalidConfiguration(String)
    /// A request failed at the socket (timed out, cancelled, closed, ...).
    case request(RequestSocketError)
    /// The outgoing queue is full (``DHTNodeConfiguration/maxQueuedRequests``); nothing was sent.
    case queueFull
    /// Too many queries are running (``DHTNodeConfiguration/maxActiveQueries``).
    case tooManyQueries
    /// A `_ping` answer did not carry a valid 6-byte address (the reference's "Invalid pong").
    case invalidPong
    /// A query got no response at all (the reference's "No nodes responded").
    case noNodesResponded
    /// An update's commit pass got no response (the reference's "No close nodes responded").
    case noCloseNodesResponded
    /// A query target must be 32 bytes.
    case invalidTarget(length: Int)
    /// The node is closed.
    case closed
}
