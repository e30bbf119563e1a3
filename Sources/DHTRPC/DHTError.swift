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

extension DHTError {
    /// Whether the failure says the peer did not answer (a timeout), as opposed to our own state
    /// (queue full, closing, ...). Only a silent peer may be removed from the table or punched.
    public var isSilentPeer: Bool { self == .request(.timedOut) }
}

extension DHTError: CustomStringConvertible {
    /// A sentence for people: what went wrong.
    public var description: String {
        switch self {
        case .invalidConfiguration(let text): return "invalid configuration: \(text)"
        case .request(.timedOut): return "request timed out"
        case .request(.cancelled): return "request cancelled"
        case .request(.closed): return "socket closed"
        case .request(.tooManyInflight): return "too many requests in flight"
        case .request(.unencodable(let reason)): return "request could not be encoded: \(reason)"
        case .queueFull: return "outgoing request queue is full"
        case .tooManyQueries: return "too many queries running"
        case .invalidPong: return "invalid pong (no address in the answer)"
        case .noNodesResponded: return "no nodes responded"
        case .noCloseNodesResponded: return "no close nodes responded"
        case .invalidTarget(let length): return "target must be 32 bytes, got \(length)"
        case .closed: return "node closed"
        }
    }
}
