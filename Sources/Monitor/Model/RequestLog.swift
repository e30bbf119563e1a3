import IPEncoding

/// A request that finished: answered (with its round-trip time), timed out or cancelled.
public struct FinishedRequest: Equatable, Sendable {
    /// How it ended.
    public enum Outcome: Equatable, Sendable {
        /// Answered after this long.
        case answered(Duration)
        /// No answer after this many transmissions.
        case timedOut(transmissions: Int)
        /// Cancelled (node closing).
        case cancelled
    }

    /// Transaction id.
    public var tid: UInt16
    /// Command.
    public var command: String
    /// The peer it went to (or that answered).
    public var peer: PeerAddress
    /// How it ended.
    public var outcome: Outcome
    /// When it ended, on the monitor's clock.
    public var at: Duration

    /// Creates a record.
    public init(tid: UInt16, command: String, peer: PeerAddress, outcome: Outcome, at: Duration) {
        self.tid = tid
        self.command = command
        self.peer = peer
        self.outcome = outcome
        self.at = at
    }
}

/// The in-flight pane's history: recently finished requests, bounded.
public struct RequestLog: Sendable {
    /// Finished requests, oldest first.
    public private(set) var finished: RingBuffer<FinishedRequest>
    /// Requests answered since the monitor started.
    public private(set) var answered = 0
    /// Requests that timed out since the monitor started.
    public private(set) var timedOut = 0

    /// Creates a log keeping `capacity` finished requests.
    public init(capacity: Int = 256) {
        finished = RingBuffer(capacity: capacity)
    }

    /// Records `event` if it ends a request.
    public mutating func apply(_ event: MonitorEvent, at time: Duration) {
        switch event {
        case .responseMatched(let tid, let command, let from, let rtt):
            answered += 1
            finished.append(FinishedRequest(tid: tid, command: command, peer: from, outcome: .answered(rtt), at: time))
        case .requestTimedOut(let tid, let command, let to, let transmissions):
            timedOut += 1
            finished.append(FinishedRequest(tid: tid, command: command, peer: to,
                                            outcome: .timedOut(transmissions: transmissions), at: time))
        case .requestCancelled(let tid, let command, let to):
            finished.append(FinishedRequest(tid: tid, command: command, peer: to, outcome: .cancelled, at: time))
        default:
            break
        }
    }
}
