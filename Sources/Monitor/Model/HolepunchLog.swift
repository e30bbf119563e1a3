import IPEncoding

/// One hole punch this node took part in, as a timeline of steps.
public struct PunchAttempt: Equatable, Sendable {
    /// This node's part in the punch.
    public enum Role: Equatable, Sendable {
        /// We asked a referrer to forward our `_ping` to a peer.
        case initiator
        /// We were the referrer and forwarded someone's `_ping`.
        case referrer
        /// We were the punched peer and answered the requester directly.
        case target
    }

    /// Why a punch we asked for failed.
    public enum Failure: Equatable, Sendable, CustomStringConvertible {
        /// No answer, cause not (yet) known: a referrer never answers a forward, so silence alone
        /// does not say whether the referrer, the peer or a NAT failed. The follow-up probes tell.
        case noAnswer
        /// An answer came from an address or port other than the peer's.
        case unexpectedAddress(PeerAddress)
        /// The follow-up probes found this likely cause (`cause` is its id, `label` a few words).
        case explained(cause: String, label: String)

        /// One line for the timeline.
        public var description: String {
            switch self {
            case .noAnswer: "no answer"
            case .unexpectedAddress(let address): "answer from unexpected \(address)"
            case .explained(_, let label): label
            }
        }
    }

    /// Where the attempt stands.
    public enum State: Equatable, Sendable {
        /// Waiting for an answer.
        case pending
        /// Answered directly by the peer from `from` after `roundTripTime`.
        case answered(roundTripTime: Duration, from: PeerAddress)
        /// No answer; `reason` is the punch's error, or once explained, the follow-up's explanation.
        case failed(Failure, reason: String)
        /// Our part (forward or direct answer) is done.
        case relayed
        /// As a referrer we refused to forward (the forwarding policy's `reason`).
        case refused(reason: String)
    }

    /// One timestamped step.
    public struct Step: Equatable, Sendable {
        /// When, on the monitor's clock.
        public var at: Duration
        /// What happened.
        public var text: String
        /// Whether this step is a problem.
        public var isProblem: Bool
    }

    /// This node's part.
    public var role: Role
    /// The punched peer (for a referrer: where the ping was forwarded; for a target: the requester).
    public var peer: PeerAddress
    /// The referrer (for a referrer: the requester).
    public var referrer: PeerAddress
    /// The request's tid, once known.
    public var tid: UInt16?
    /// When it started.
    public var startedAt: Duration
    /// The steps so far.
    public var steps: [Step]
    /// Where it stands.
    public var state: State
    /// Whether we heard anything from the referrer since the ask.
    public var referrerHeard = false
    /// An answer from an unexpected address that the socket dropped.
    public var unexpectedFrom: PeerAddress?
    /// Whether the referrer has been asked yet (a direct ping to the peer goes out first).
    public var asked = true
    /// Whether follow-up probes are running for this failed punch (their verdict has not come yet).
    public var probing = false
}

/// The hole-punch timeline: every punch asked for, forwarded or received, bounded.
public struct HolepunchLog: Sendable {
    /// Attempts, oldest first.
    public private(set) var attempts: RingBuffer<PunchAttempt>
    /// The most steps kept per attempt (a failed punch's follow-up adds about ten).
    public static let stepLimit = 24

    /// Creates a log keeping `capacity` attempts.
    public init(capacity: Int = 64) {
        attempts = RingBuffer(capacity: capacity)
    }

    /// Applies an event: punch events create and advance attempts; other traffic tells whether a
    /// pending punch's referrer is alive, and a dropped answer with a punch's tid marks it.
    public mutating func apply(_ event: MonitorEvent, at time: Duration) {
        switch event {
        case .holepunchDirectPing(let peer, let referrer, let phase):
            let text = "us → peer \(peer): direct _ping (\(phase) the ask), opens our NAT toward it"
            if phase != "before", let index = pending(peer: peer, referrer: referrer) {
                addStep(index, at: time, text)
                return
            }
            attempts.append(PunchAttempt(role: .initiator, peer: peer, referrer: referrer, tid: nil, startedAt: time,
                                         steps: [.init(at: time, text: text, isProblem: false)], state: .pending,
                                         asked: false))
        case .holepunchAsked(let peer, let referrer, let tid):
            let text = tid.map { "us → referrer \(referrer): _ping+forward, tid \($0)" }
                ?? "queued: _ping to referrer \(referrer) waits for a slot"
            if let index = pending(peer: peer, referrer: referrer),
               !attempts[index].asked || (tid != nil && attempts[index].tid == nil) {
                attempts[index].asked = true
                attempts[index].tid = tid
                addStep(index, at: time, text)
                return
            }
            attempts.append(PunchAttempt(role: .initiator, peer: peer, referrer: referrer, tid: tid, startedAt: time,
                                         steps: [.init(at: time, text: text, isProblem: false)], state: .pending))
        case .holepunchAnswered(let peer, let referrer, let from, let rtt):
            guard let index = pending(peer: peer, referrer: referrer) else { return }
            let unexpected = from != peer
            addStep(index, at: time, "peer → us: direct answer from \(from)\(unexpected ? " (expected \(peer))" : "")",
                    problem: unexpected)
            attempts[index].state = .answered(roundTripTime: rtt, from: from)
        case .holepunchFailed(let peer, let referrer, let reason):
            guard let index = pending(peer: peer, referrer: referrer) else { return }
            let failure: PunchAttempt.Failure = attempts[index].unexpectedFrom.map { .unexpectedAddress($0) } ?? .noAnswer
            addStep(index, at: time, "failed: \(failure) (\(reason)); a referrer never answers a forward, so this alone does not say who failed",
                    problem: true)
            attempts[index].state = .failed(failure, reason: reason)
        case .holepunchProbeStep(let peer, let referrer, let text, let isProblem):
            guard let index = awaitingVerdict(peer: peer, referrer: referrer) else { return }
            attempts[index].probing = true
            addStep(index, at: time, text, problem: isProblem)
        case .holepunchExplained(let peer, let referrer, let cause, let label, let explanation):
            guard let index = awaitingVerdict(peer: peer, referrer: referrer) else { return }
            attempts[index].probing = false
            attempts[index].state = .failed(.explained(cause: cause, label: label), reason: explanation)
            addStep(index, at: time, "likely cause (\(cause)): \(explanation)", problem: true)
        case .holepunchForwarded(let from, let to, let tid):
            attempts.append(PunchAttempt(
                role: .referrer, peer: to, referrer: from, tid: tid, startedAt: time,
                steps: [.init(at: time, text: "requester \(from) → us → peer \(to)", isProblem: false)],
                state: .relayed))
        case .holepunchForwardRefused(let from, let to, let reason):
            attempts.append(PunchAttempt(
                role: .referrer, peer: to, referrer: from, tid: nil, startedAt: time,
                steps: [.init(at: time, text: "requester \(from) → us ✗ refused to forward to \(to): \(reason)",
                              isProblem: true)],
                state: .refused(reason: reason)))
        case .holepunchReceived(let requester, let referrer, let tid):
            attempts.append(PunchAttempt(
                role: .target, peer: requester, referrer: referrer, tid: tid, startedAt: time,
                steps: [.init(at: time, text: "referrer \(referrer) → us: forwarded _ping", isProblem: false),
                        .init(at: time, text: "us → requester \(requester): direct answer", isProblem: false)],
                state: .relayed))
        case .spoofedResponse(let tid, let from, _):
            guard let index = pendingIndices.first(where: { attempts[$0].tid == tid }) else { return }
            attempts[index].unexpectedFrom = from
            addStep(index, at: time, "dropped answer from unexpected \(from) (expected \(attempts[index].peer))",
                    problem: true)
        case .responseMatched(_, _, let from, _), .requestReceived(_, _, let from):
            for index in pendingIndices where attempts[index].referrer == from && !attempts[index].referrerHeard {
                attempts[index].referrerHeard = true
                addStep(index, at: time, "referrer \(from) heard from: it is alive")
            }
        default:
            break
        }
    }

    private var pendingIndices: [Int] {
        (0..<attempts.count).filter { attempts[$0].state == .pending && attempts[$0].role == .initiator }
    }

    /// The newest punch of ours to `peer` through `referrer` that failed and has no verdict yet.
    private func awaitingVerdict(peer: PeerAddress, referrer: PeerAddress) -> Int? {
        (0..<attempts.count).reversed().first { index in
            let attempt = attempts[index]
            guard attempt.role == .initiator, attempt.peer == peer, attempt.referrer == referrer,
                  case .failed(let failure, _) = attempt.state else { return false }
            if case .explained = failure { return false }
            return true
        }
    }

    private func pending(peer: PeerAddress, referrer: PeerAddress) -> Int? {
        pendingIndices.first { attempts[$0].peer == peer && attempts[$0].referrer == referrer }
    }

    private mutating func addStep(_ index: Int, at time: Duration, _ text: String, problem: Bool = false) {
        attempts[index].steps.append(.init(at: time, text: text, isProblem: problem))
        if attempts[index].steps.count > Self.stepLimit { attempts[index].steps.remove(at: 1) }
    }
}
