import IPEncoding
import KBucket
import Monitor

/// A client's frame: a call and the id its reply will carry.
public struct ControlRequest: Codable, Sendable, Equatable {
    /// Chosen by the client; echoed in the reply (0 for calls whose reply the client ignores).
    public var id: UInt64
    /// What to do.
    public var call: ControlCall

    /// Creates a request.
    public init(id: UInt64, call: ControlCall) {
        self.id = id
        self.call = call
    }
}

/// What a client can ask of the node: the monitor's backend operations (``MonitorBackend``).
public enum ControlCall: Codable, Sendable, Equatable {
    /// The client's protocol version; a node speaking another refuses the client.
    case hello(version: Int)
    /// Start sending this client the node's event batches (``ControlMessage/events(_:)``).
    case subscribe
    /// The node's status now.
    case status
    /// The announcements the node stores and keeps.
    case storedAnnouncements
    /// Ping an address.
    case ping(PeerAddress)
    /// Punch a hole to `peer` through `referrer`.
    case holepunch(peer: PeerAddress, referrer: PeerAddress)
    /// Re-run the bootstrap walk.
    case bootstrap
    /// A walk of `command` toward `target`.
    case query(command: String, target: NodeID)
    /// Look up a key or topic.
    case lookup(LookupTarget)
    /// Announce the node under a key or topic (kept announced until unannounced).
    case announce(LookupTarget)
    /// Withdraw an announcement.
    case unannounce(LookupTarget)
}

/// A node's frame to a client.
public enum ControlMessage: Codable, Sendable, Equatable {
    /// The first frame on every connection: the node's protocol version and id.
    case hello(version: Int, node: NodeID?)
    /// Events since the previous batch (after ``ControlCall/subscribe``).
    case events(MonitorEventBatch)
    /// The answer to request `id`.
    case reply(id: UInt64, ControlReply)
}

/// The answer to one ``ControlCall``.
public enum ControlReply: Codable, Sendable, Equatable {
    /// ``ControlCall/hello(version:)`` and ``ControlCall/subscribe`` were accepted.
    case accepted
    /// The node's status.
    case status(NodeStatus)
    /// Its store (`nil`: no HyperDHT store).
    case store(StoreSnapshot?)
    /// A ping's or a punch's answer.
    case ping(PingOutcome)
    /// How many nodes answered the bootstrap walk.
    case bootstrapped(responses: Int)
    /// How a walk ended.
    case query(QueryOutcome)
    /// A lookup's, announce's or unannounce's outcome.
    case lookup(LookupOutcome)
    /// The call failed.
    case failed(ControlFailure)
}

/// Why a call failed, so the client can rethrow what the node's backend threw.
public struct ControlFailure: Codable, Sendable, Equatable, Error, CustomStringConvertible {
    /// The error's text.
    public var message: String
    /// For a failed hole punch: the follow-up probes' verdict (``MonitorError/holepunchFailed(label:explanation:)``).
    public var holepunchLabel: String?
    /// With ``holepunchLabel``: the explanation.
    public var holepunchExplanation: String?

    /// Creates a failure.
    public init(message: String, holepunchLabel: String? = nil, holepunchExplanation: String? = nil) {
        self.message = message
        self.holepunchLabel = holepunchLabel
        self.holepunchExplanation = holepunchExplanation
    }

    /// Describes `error` (keeping a hole punch's verdict apart).
    public init(_ error: any Error) {
        if case MonitorError.holepunchFailed(let label, let explanation) = error {
            self.init(message: "\(error)", holepunchLabel: label, holepunchExplanation: explanation)
        } else {
            self.init(message: "\(error)")
        }
    }

    /// The error a client's backend throws: the node's ``MonitorError`` where it was one.
    public var monitorError: MonitorError {
        if let holepunchLabel, let holepunchExplanation {
            return .holepunchFailed(label: holepunchLabel, explanation: holepunchExplanation)
        }
        return .unavailable(message)
    }

    /// The message.
    public var description: String { message }
}
