import Foundation
import IPEncoding
import KBucket
import UDPRequest

/// A query or update to walk toward `target`: the request every visited node receives.
public struct DHTQuery: Sendable {
    /// The dht-rpc command (`_find_node`, `peers`, or any command a handler serves).
    public var command: String
    /// The 32-byte target the walk converges on.
    public var target: NodeID
    /// The command's payload (hyperdht's encoded `PeerRequest`), if any.
    public var value: Data?

    /// Creates a query.
    public init(command: String, target: NodeID, value: Data? = nil) {
        self.command = command
        self.target = target
        self.value = value
    }
}

/// How a walk runs.
public struct QueryOptions: Sendable {
    /// Make it an update: after the walk, send the query again to the k closest nodes that answered,
    /// each with its own round-trip token (the commit pass).
    public var isUpdate: Bool
    /// For an update, also report the walk's answers (hyperdht's announce does); otherwise only the
    /// commit answers are reported.
    public var reportQueryPhase: Bool
    /// Requests this walk may have in flight; `nil` uses the node's concurrency.
    public var concurrency: Int?
    /// When a node learned through a referrer does not answer, punch through the referrer and retry once.
    public var holepunching: Bool
    /// Ask exactly these nodes instead of walking toward the target (no new nodes are added).
    public var nodes: [NodeReference]?
    /// Timeouts and retransmissions of each request; `nil` uses the node's
    /// ``DHTNodeConfiguration/walkRequestOptions``.
    public var requestOptions: RequestOptions?

    /// Creates options; the defaults make a plain query.
    public init(isUpdate: Bool = false, reportQueryPhase: Bool = false, concurrency: Int? = nil,
                holepunching: Bool = true, nodes: [NodeReference]? = nil,
                requestOptions: RequestOptions? = nil) {
        self.isUpdate = isUpdate
        self.reportQueryPhase = reportQueryPhase
        self.concurrency = concurrency
        self.holepunching = holepunching
        self.nodes = nodes
        self.requestOptions = requestOptions
    }
}

/// One answer a walk reports: the node and the value it returned.
public struct QueryResult: Sendable {
    /// The node that answered (always with an id: answers without one are not reported).
    public var node: NodeReference
    /// The handler's reply value, if any.
    public var value: Data?
    /// Whether it answered the commit pass of an update (with our token) rather than the walk.
    public var isCommit: Bool

    /// Creates a result.
    public init(node: NodeReference, value: Data?, isCommit: Bool) {
        self.node = node
        self.value = value
        self.isCommit = isCommit
    }
}

/// How a walk ended.
public struct QuerySummary: Sendable {
    /// The walk's id.
    public var id: QueryID
    /// The command walked.
    public var command: String
    /// Requests answered (walk and commit).
    public var responses: Int
    /// Requests that failed.
    public var errors: Int
    /// Commit requests answered (updates only).
    public var commits: Int
    /// The deepest hop that answered.
    public var hops: Int
    /// From start to end, on the node's clock.
    public var duration: Duration
    /// The closest nodes that answered with a round-trip token, closest first (at most k).
    public var closest: [NodeReference]
    /// Why it failed, if it did (no node responded, no close node took the commit, closed, ...).
    public var error: DHTError?
}

/// What a query's `AsyncSequence` yields: answers as they arrive, then the summary, then it ends.
public enum QueryEvent: Sendable {
    /// A node answered.
    case result(QueryResult)
    /// The walk ended; nothing follows.
    case finished(QuerySummary)
}

extension QueryEvent: WalkStreamEvent {
    /// The answer, for `.result`.
    public var answer: QueryResult? {
        if case .result(let result) = self { return result }
        return nil
    }

    /// The summary, for `.finished`.
    public var summary: QuerySummary? {
        if case .finished(let summary) = self { return summary }
        return nil
    }
}
