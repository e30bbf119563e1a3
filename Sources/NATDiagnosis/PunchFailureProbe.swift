import DHTRPC
import IPEncoding
import UDPRequest

/// How a punch ended when it was run through ``PunchFailureProbe``.
public enum PunchOutcome: Sendable, Equatable {
    /// The peer answered.
    case punched(PingReply)
    /// The peer did not answer; the follow-up probes' verdict.
    case failed(PunchFailureDiagnosis)
}

/// Runs a hole punch and, when it fails, follow-up probes that find out why: a direct `_ping` to
/// the referrer (twice if silent), pings to a few other nodes (where do they see us – one port or a
/// new one per destination?), a direct `_ping` to the peer, and punches through other nodes that
/// returned the peer. ``PunchFailureClassifier`` turns what they found into the likely cause.
///
/// Every probe is a plain `_ping` (wire-compatible), has its own timeout, and the whole follow-up
/// ends by ``Configuration/deadline`` at the latest. Confined to the node's scheduler context, like
/// the node; feed it the node's events with ``observe(_:)`` while it runs (it watches for answers
/// from an unexpected port of the peer's host).
public final class PunchFailureProbe {
    /// Limits of the follow-up.
    public struct Configuration: Sendable {
        /// Nodes other than the referrer asked where they see us.
        public var reporters: Int
        /// Direct pings to the referrer before it counts as unreachable.
        public var referrerPings: Int
        /// Other referrers tried at most.
        public var alternateReferrers: Int
        /// The follow-up concludes with what it has by then.
        public var deadline: Duration
        /// The classifier that decides.
        public var classifier: PunchFailureClassifier

        /// Creates limits; the defaults finish in about 3–5 s.
        public init(reporters: Int = 3, referrerPings: Int = 2, alternateReferrers: Int = 2,
                    deadline: Duration = .seconds(10), classifier: PunchFailureClassifier = PunchFailureClassifier()) {
            self.reporters = reporters
            self.referrerPings = referrerPings
            self.alternateReferrers = alternateReferrers
            self.deadline = deadline
            self.classifier = classifier
        }
    }

    /// What the caller knows that the node does not.
    public struct Hints: Sendable, Equatable {
        /// Other nodes that returned the peer (they store its announcement): punched through if the
        /// referrer answers but the peer does not.
        public var alternateReferrers: [PeerAddress]
        /// Where the nodes that returned the peer see it.
        public var peerSightings: [PunchFailureFacts.PeerSighting]
        /// Our own hosts (interface addresses); when nodes see us at one of them we are not NATed.
        public var localHosts: Set<IPAddress>
        /// How long ago the caller last heard from the peer, if it knows.
        public var lastHeardFromPeer: Duration?

        /// Creates hints; all empty by default.
        public init(alternateReferrers: [PeerAddress] = [], peerSightings: [PunchFailureFacts.PeerSighting] = [],
                    localHosts: Set<IPAddress> = [], lastHeardFromPeer: Duration? = nil) {
            self.alternateReferrers = alternateReferrers
            self.peerSightings = peerSightings
            self.localHosts = localHosts
            self.lastHeardFromPeer = lastHeardFromPeer
        }
    }

    /// What the probe reports while it runs, for live displays (the monitor's timeline).
    public enum Event: Sendable, Equatable {
        /// A follow-up step of the failed punch to `peer` through `referrer`, as it happens.
        case step(peer: PeerAddress, referrer: PeerAddress, PunchEvidence)
        /// The follow-up ended with this verdict.
        case concluded(PunchFailureDiagnosis)
    }

    /// Receives the follow-up's steps as they happen and then its verdict; nothing while the punch
    /// itself runs or when it succeeds.
    public var onEvent: ((Event) -> Void)?

    private let node: any PunchProbing
    private let peer: PeerAddress
    private let referrer: PeerAddress
    private let hints: Hints
    private let configuration: Configuration
    private var facts: PunchFailureFacts
    private var evidence: [PunchEvidence] = []
    private var startedAt: Timestamp
    private var following = false
    private var finished = false
    private var outstanding = 0
    private var referrerPingsSent = 0
    private var deadlineTimer: (any Cancellable)?
    private var completion: ((PunchOutcome) -> Void)?
    private static let unexpectedAnswerLimit = 8

    /// A probe for a punch from `node` to `peer` through `referrer`.
    public init(node: any PunchProbing, peer: PeerAddress, referrer: PeerAddress, localAddress: PeerAddress,
                hints: Hints = Hints(), configuration: Configuration = Configuration()) {
        self.node = node
        self.peer = peer
        self.referrer = referrer
        self.hints = hints
        self.configuration = configuration
        self.startedAt = node.scheduler.now
        var facts = PunchFailureFacts(peer: peer, referrer: referrer)
        facts.localHosts = hints.localHosts
        if !localAddress.host.isUnspecified { facts.localHosts.insert(localAddress.host) }
        facts.peerSightings = hints.peerSightings
        self.facts = facts
    }

    /// Punches with `options`; on success completes with the answer, on failure runs the follow-up
    /// and completes with its diagnosis. Call once.
    public func run(options: HolepunchOptions = HolepunchOptions(), completion: @escaping (PunchOutcome) -> Void) {
        guard self.completion == nil, !finished else { return }
        self.completion = completion
        startedAt = node.scheduler.now
        facts.punchOpenedOwnMapping = options.opensOwnMapping
        let direct = options.opensOwnMapping
            ? ", with direct _pings to the peer just before and \(Self.milliseconds(options.followUpDelay)) after (they open our NAT toward it)" : ""
        record("asked referrer \(referrer) to forward a _ping to peer \(peer)\(direct)", live: false)
        node.holepunch(peer: peer, referrer: referrer, options: options) { [self] result in
            switch result {
            case .success(let reply):
                finished = true
                completion(.punched(reply))
            case .failure(let error):
                followUp(after: error)
            }
        }
    }

    /// Watches the node's events: an answer from the peer's host at another port than the one
    /// punched (our socket drops it as unexpected) is evidence of a port-randomising NAT.
    public func observe(_ event: DHTEvent) {
        guard !finished, case .socket(.spoofedResponse(_, let from, let expected)) = event,
              expected == peer || expected == referrer, from.host == peer.host, from != peer,
              facts.unexpectedAnswers.count < Self.unexpectedAnswerLimit else { return }
        facts.unexpectedAnswers.append(from)
        record("dropped an answer from \(from): the peer's host, but not the port punched (\(peer.port))",
               problem: true, live: following)
    }

    // MARK: - Follow-up

    private func followUp(after error: DHTError) {
        following = true
        let silence = error.isSilentPeer
            ? "no answer from the peer (to the forward or our direct pings); a referrer never answers a forward, so this alone does not say who failed"
            : "the punch failed: \(error)"
        record(silence, problem: true, live: false)  // a timeline shows the failure from the node's own event
        deadlineTimer = node.scheduler.schedule(after: configuration.deadline) { [weak self] in
            guard let self, !self.finished else { return }
            self.record("follow-up stopped at its \(Self.milliseconds(self.configuration.deadline)) deadline", problem: true)
            self.conclude()
        }
        let heard = [node.lastHeard(from: peer).map { startedAt - $0 }, hints.lastHeardFromPeer].compactMap { $0 }
        if let seen = heard.min() {
            facts.lastHeardFromPeer = seen
            record("we last heard from the peer \(Self.milliseconds(seen)) before the punch")
        } else {
            record("we never heard from the peer directly")
        }
        let reporters = node.probeCandidates(limit: configuration.reporters, excluding: [peer, referrer])
        facts.otherNodesAsked = reporters.count
        record("probing: direct _ping to the referrer, to the peer, and to \(reporters.count) other node(s) to see where they see us")
        pingReferrer()
        for reporter in reporters { pingReporter(reporter) }
        pingPeer()
    }

    private func pingReferrer() {
        referrerPingsSent += 1
        let sentAt = node.scheduler.now
        outstanding += 1
        node.ping(referrer) { [self] result in
            outstanding -= 1
            guard !finished else { return }
            switch result {
            case .success(let reply):
                facts.referrerAnswered = true
                facts.observations.append(.init(reporter: referrer, observed: reply.observedAddress))
                record("referrer \(referrer) answered a direct _ping in \(Self.milliseconds(reply.roundTripTime)); it sees us at \(reply.observedAddress)")
            case .failure(let error):
                record("referrer \(referrer) did not answer a direct _ping (\(error), \(Self.milliseconds(node.scheduler.now - sentAt)))",
                       problem: true)
                if referrerPingsSent < configuration.referrerPings {
                    pingReferrer()
                } else if facts.referrerAnswered != true {
                    facts.referrerAnswered = false
                }
            }
            phaseEnded()
        }
    }

    private func pingReporter(_ reporter: PeerAddress) {
        outstanding += 1
        node.ping(reporter) { [self] result in
            outstanding -= 1
            guard !finished else { return }
            switch result {
            case .success(let reply):
                facts.observations.append(.init(reporter: reporter, observed: reply.observedAddress))
                record("node \(reporter) sees us at \(reply.observedAddress)")
            case .failure(let error):
                record("node \(reporter) did not answer (\(error))")
            }
            phaseEnded()
        }
    }

    private func pingPeer() {
        outstanding += 1
        node.ping(peer) { [self] result in
            outstanding -= 1
            guard !finished else { return }
            switch result {
            case .success(let reply):
                facts.peerAnsweredDirectPing = true
                record("peer \(peer) answered a direct _ping in \(Self.milliseconds(reply.roundTripTime)) (from \(reply.responder))")
            case .failure(let error):
                facts.peerAnsweredDirectPing = false
                record("peer \(peer) did not answer a direct _ping (\(error))", problem: true)
            }
            phaseEnded()
        }
    }

    /// After the pings: summarise our address, then either conclude or try other referrers.
    private func phaseEnded() {
        guard outstanding == 0, !finished else { return }
        if facts.alternatePunches.isEmpty { summariseOurAddress() }
        let verdict = configuration.classifier.classify(facts).cause
        let alternates = hints.alternateReferrers.filter { $0 != referrer && $0 != peer }
            .prefix(configuration.alternateReferrers)
        guard facts.alternatePunches.isEmpty, verdict == .peerGone || verdict == .peerMappingExpired,
              !alternates.isEmpty else {
            conclude()
            return
        }
        record("punching through other node(s) that returned the peer, one at a time: \(alternates.map(\.description).joined(separator: ", "))")
        punch(through: Array(alternates))
    }

    /// Punches through the first of `alternates`, then the next while none worked. One at a time: a
    /// punch that works opens the peer's NAT toward us, so a later one would work whatever its
    /// referrer, and prove nothing about it.
    private func punch(through alternates: [PeerAddress]) {
        guard let alternate = alternates.first else {
            conclude()
            return
        }
        node.holepunch(peer: peer, referrer: alternate, options: HolepunchOptions()) { [self] result in
            guard !finished else { return }
            switch result {
            case .success(let reply):
                facts.alternatePunches.append(.init(referrer: alternate, answered: true))
                record("punch through \(alternate) worked: the peer answered in \(Self.milliseconds(reply.roundTripTime)) – it is alive")
                conclude()
            case .failure:
                facts.alternatePunches.append(.init(referrer: alternate, answered: false))
                record("punch through \(alternate): no answer either", problem: true)
                punch(through: Array(alternates.dropFirst()))
            }
        }
    }

    private func summariseOurAddress() {
        let addresses = facts.observedAddresses
        switch facts.ourMappingVariesByDestination {
        case true?:
            record("nodes see us at \(addresses.count) different addresses (\(addresses.map(\.description).joined(separator: ", "))): our NAT maps each destination to another port",
                   problem: true)
        case false?:
            record("\(Set(facts.observations.map(\.reporter)).count) nodes see us at one address, \(addresses[0]): our mapping does not depend on the destination")
        case nil:
            if !addresses.isEmpty { record("only one node answered: too few to compare ports") }
        }
        if facts.behindNAT == true, facts.observations.contains(where: { $0.observed.host == peer.host }),
           !PunchFailureClassifier.isLoopback(peer.host) {
            record("the peer's host \(peer.host) is our own public host", problem: true)
        }
        let ports = facts.peerPortsVaryingByDestination
        if !ports.isEmpty {
            record("nodes that returned the peer see \(peer.host) at \(ports.count) different ports: \(PunchFailureClassifier.list(ports))",
                   problem: true)
        }
    }

    private func conclude() {
        guard !finished else { return }
        finished = true
        deadlineTimer?.cancel()
        let (cause, explanation) = configuration.classifier.classify(facts)
        let diagnosis = PunchFailureDiagnosis(peer: peer, referrer: referrer, cause: cause, explanation: explanation,
                                              evidence: evidence)
        onEvent?(.concluded(diagnosis))
        completion?(.failed(diagnosis))
        completion = nil
    }

    private func record(_ text: String, problem: Bool = false, live: Bool = true) {
        let step = PunchEvidence(at: node.scheduler.now - startedAt, text: text, isProblem: problem)
        evidence.append(step)
        if following && live { onEvent?(.step(peer: peer, referrer: referrer, step)) }
    }

    /// `0.4 ms`, `15 ms`, `1500 ms`, then `12.3 s` from ten seconds and `4 min` from two minutes.
    static func milliseconds(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        if ms < 10 { return "\((ms * 10).rounded() / 10) ms" }
        if ms < 10_000 { return "\(Int(ms.rounded())) ms" }
        if ms < 120_000 { return "\((ms / 100).rounded() / 10) s" }
        return "\(Int(ms / 60_000)) min"
    }
}
