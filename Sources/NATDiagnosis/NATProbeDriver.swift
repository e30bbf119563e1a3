import DHTRPC
import IPEncoding
import KBucket
import UDPRequest

/// How far ``NATProbeDriver`` goes; every step is bounded by these numbers and by request timeouts.
public struct NATProbeConfiguration: Sendable, Equatable {
    /// Never-contacted nodes the filtering probe asks a referrer to forward a `_ping` to (in parallel).
    public var filteringCandidates: Int
    /// Nodes pinged directly for the address they see us at (bootstrap nodes not counted).
    public var reporterPings: Int
    /// Timeouts of the `_find_node` to bootstrap nodes (pings use dht-rpc's: one datagram, 1.25–1.5 s).
    public var requestOptions: RequestOptions
    /// Timeout of a forwarded ping (a hop longer than a direct one).
    public var forwardedRequestOptions: RequestOptions
    /// Whether to ping our own public address (hairpinning).
    public var testsHairpinning: Bool
    /// The whole run ends by then, whatever is still outstanding.
    public var deadline: Duration

    /// Creates a configuration; the defaults send at most ~25 datagrams and take 3–5 s.
    public init(filteringCandidates: Int = 8, reporterPings: Int = 8, requestOptions: RequestOptions = .once,
                forwardedRequestOptions: RequestOptions = RequestOptions(initialTimeoutTicks: 8),
                testsHairpinning: Bool = true, deadline: Duration = .seconds(20)) {
        self.filteringCandidates = filteringCandidates
        self.reporterPings = reporterPings
        self.requestOptions = requestOptions
        self.forwardedRequestOptions = forwardedRequestOptions
        self.testsHairpinning = testsHairpinning
        self.deadline = deadline
    }
}

/// What a probe run found: the classifier's inputs plus how the run went.
public struct NATProbeRun: Sendable {
    /// Bootstrap nodes that answered the `_find_node`.
    public var bootstrapAnswered: [PeerAddress]
    /// Contacts those answers listed (ours excluded).
    public var contactsListed: Int
    /// The inputs to classify.
    public var inputs: NATProbeInputs
    /// Whether the run was cut short by ``NATProbeConfiguration/deadline``.
    public var hitDeadline: Bool

    /// Classifies the inputs.
    public var report: NATReport { NATClassifier.classify(inputs) }
}

/// Runs the probes behind a NAT diagnosis on a ``DHTNode`` that has not talked to the network yet
/// (no bootstrap walk: a walk contacts many nodes and would spoil the filtering test). Confined to the
/// node's scheduler, like the node; time only from that scheduler.
///
/// 1. One `_find_node` to each bootstrap node: the contacts they list, none of which heard from us.
/// 2. A `_ping` to each bootstrap node that answered: the first address reports, and referrers whose
///    datagrams pass our NAT.
/// 3. Filtering: a referrer forwards a `_ping` to each of a few listed contacts (hole punch without a
///    direct ping of our own); an answer that gets in came from an address our NAT has no mapping toward.
/// 4. A direct `_ping` to those contacts and a few more: more address reports, and proof that a silent
///    contact is alive.
/// 5. Hairpinning: a `_ping` to the public address most nodes see, unless it is a local address.
public final class NATProbeDriver {
    private let node: DHTNode
    private let configuration: NATProbeConfiguration
    private var boundAddress: PeerAddress
    private var interfaceAddresses: [IPAddress]
    private var reports: [AddressReport] = []
    private var contactedHosts: Set<IPAddress> = []
    private var bootstrapAnswered: [PeerAddress] = []
    private var contacts: [NodeReference] = []
    private var previouslyContacted: Set<PeerAddress> = []
    private var ignored: Set<NodeID> = []
    private var filtering: [FilteringAttempt] = []
    private var hairpin: HairpinAttempt?
    private var completion: ((NATProbeRun) -> Void)?
    private var deadlineTimer: (any Cancellable)?

    /// Creates a driver for `node`, bound at `boundAddress`, whose host has `interfaceAddresses`.
    public init(node: DHTNode, boundAddress: PeerAddress, interfaceAddresses: [IPAddress],
                configuration: NATProbeConfiguration = NATProbeConfiguration()) {
        self.node = node
        self.boundAddress = boundAddress
        self.interfaceAddresses = interfaceAddresses
        self.configuration = configuration
    }

    /// Runs the probes against the network `bootstrap` leads to; `completion` gets the result once, on
    /// the node's scheduler (with no bootstrap answer, a run whose inputs hold no reports).
    ///
    /// A node that has talked to the network before names the endpoints it sent to in
    /// `previouslyContacted`: they are never filtering candidates, and their hosts count as contacted.
    /// Listed contacts with an id in `ignored` (e.g. another socket of ours) are not probed at all.
    public func run(bootstrap: [PeerAddress], previouslyContacted: Set<PeerAddress> = [], ignoring ignored: Set<NodeID> = [],
                    completion: @escaping (NATProbeRun) -> Void) {
        guard self.completion == nil else { return }
        self.completion = completion
        deadlineTimer = node.scheduler.schedule(after: configuration.deadline) { [weak self] in self?.finish(hitDeadline: true) }
        let targets = Array(Set(bootstrap)).sorted { $0.description < $1.description }
        self.previouslyContacted = previouslyContacted
        self.ignored = ignored
        contactedHosts.formUnion(targets.map(\.host))
        contactedHosts.formUnion(previouslyContacted.map(\.host))
        var listed: [NodeReference] = []
        forEach(targets, { target, done in
            self.node.findNode(self.node.id, at: target, options: self.configuration.requestOptions) { result in
                if case .success(let nodes) = result {
                    self.bootstrapAnswered.append(target)
                    listed += nodes
                }
                done()
            }
        }, then: {
            self.contacts = self.usableContacts(listed, excluding: Set(targets))
            self.pingBootstrapNodes()
        })
    }

    // MARK: - Steps

    private func pingBootstrapNodes() {
        guard !bootstrapAnswered.isEmpty else { return finish(hitDeadline: false) }
        var referrers: [PeerAddress] = []
        forEach(bootstrapAnswered.sorted { $0.description < $1.description }, { target, done in
            self.ping(target) { answered in
                if answered { referrers.append(target) }
                done()
            }
        }, then: { self.probeFiltering(referrers: referrers) })
    }

    private func probeFiltering(referrers: [PeerAddress]) {
        guard !referrers.isEmpty else { return pingReporters() }
        let candidates = Array(contacts.filter { !previouslyContacted.contains($0.address) }.prefix(configuration.filteringCandidates))
        let indexed = Array(candidates.enumerated())
        forEach(indexed, { entry, done in
            let (index, peer) = entry
            let referrer = referrers[index % referrers.count]
            let hostContacted = self.contactedHosts.contains(peer.address.host)
            self.node.forwardedPing(to: peer.address, via: referrer, options: self.configuration.forwardedRequestOptions) { result in
                let rtt = try? result.get().roundTripTime
                self.filtering.append(FilteringAttempt(referrer: referrer, peer: peer.address, peerHostContacted: hostContacted,
                                                       forwardedAnswerArrived: rtt != nil, forwardedRoundTripTime: rtt))
                done()
            }
        }, then: { self.pingReporters() })
    }

    private func pingReporters() {
        let probed = filtering.map(\.peer)
        let others = contacts.map(\.address).filter { !probed.contains($0) }
        let targets = probed + others.prefix(max(0, configuration.reporterPings - probed.count))
        forEach(targets, { target, done in
            self.ping(target) { answered in
                for index in self.filtering.indices where self.filtering[index].peer == target
                    && !self.filtering[index].forwardedAnswerArrived {
                    self.filtering[index].directAnswer = answered
                }
                done()
            }
        }, then: { self.probeHairpinning() })
    }

    private func probeHairpinning() {
        let inputs = currentInputs()
        guard configuration.testsHairpinning, let publicAddress = NATClassifier.mostSeen(reports),
              !inputs.localAddresses.contains(publicAddress) else { return finish(hitDeadline: false) }
        node.ping(publicAddress) { result in
            let rtt = try? result.get().roundTripTime
            self.hairpin = HairpinAttempt(target: publicAddress, answered: rtt != nil, roundTripTime: rtt)
            self.finish(hitDeadline: false)
        }
    }

    // MARK: - Helpers

    /// Pings `target` for the address it sees us at; records the report.
    private func ping(_ target: PeerAddress, done: @escaping (Bool) -> Void) {
        contactedHosts.insert(target.host)
        node.ping(target) { result in
            guard case .success(let reply) = result else { return done(false) }
            self.reports.append(AddressReport(reporter: reply.responder, observed: reply.observedAddress))
            done(true)
        }
    }

    /// Listed contacts worth probing: not ours, not a bootstrap node, one per address; those on hosts
    /// we have not sent to first (a forwarded answer from them proves the most), then the rest, each
    /// group spread over distinct hosts.
    private func usableContacts(_ listed: [NodeReference], excluding excluded: Set<PeerAddress>) -> [NodeReference] {
        let local = Set(currentInputs().localAddresses)
        var seen = Set<PeerAddress>()
        let usable = listed.filter {
            $0.id != node.id && !($0.id.map(ignored.contains) ?? false) && !excluded.contains($0.address) && !local.contains($0.address) && seen.insert($0.address).inserted
        }
        func spreadOverHosts(_ list: [NodeReference]) -> [NodeReference] {
            var hosts = Set<IPAddress>()
            let first = list.filter { hosts.insert($0.address.host).inserted }
            let firstAddresses = Set(first.map(\.address))
            return first + list.filter { !firstAddresses.contains($0.address) }
        }
        return spreadOverHosts(usable.filter { !contactedHosts.contains($0.address.host) })
            + spreadOverHosts(usable.filter { contactedHosts.contains($0.address.host) })
    }

    private func currentInputs() -> NATProbeInputs {
        NATProbeInputs(boundAddress: boundAddress, interfaceAddresses: interfaceAddresses, reports: reports,
                       filtering: filtering, hairpin: hairpin)
    }

    private func finish(hitDeadline: Bool) {
        guard let completion else { return }
        self.completion = nil
        deadlineTimer?.cancel()
        completion(NATProbeRun(bootstrapAnswered: bootstrapAnswered, contactsListed: contacts.count,
                               inputs: currentInputs(), hitDeadline: hitDeadline))
    }

    /// Runs `body` for every element at once and `then` after the last `done` (at once when empty);
    /// nothing runs after the run finished.
    private func forEach<Element>(_ elements: [Element], _ body: @escaping (Element, @escaping () -> Void) -> Void,
                                  then: @escaping () -> Void) {
        guard !elements.isEmpty else { return then() }
        var remaining = elements.count
        for element in elements {
            body(element) { [weak self] in
                remaining -= 1
                guard remaining == 0, self?.completion != nil else { return }
                then()
            }
        }
    }
}
