import IPEncoding

/// Turns ``NATProbeInputs`` into a ``NATReport``: a pure function, the same for `hyperdht netcheck`
/// and the monitor's NAT panel.
///
/// Rules, in RFC 4787 terms:
/// - **Mapping** needs at least ``minimumReporters`` reports. All alike and equal to one of our local
///   addresses (an interface address with the bound port – never an unspecified host): `none`. All alike
///   otherwise: `endpoint-independent`. Every reporter seeing its own port: `port-randomising`. Some
///   alike, some not: `varies-by-destination`.
/// - **Filtering** from the probe: an answer from a never-contacted node got in – `open` without a
///   NAT, `endpoint-independent` behind one (only if we had not sent to the node's host either);
///   no answer while the node answered a direct ping afterwards – `address-dependent`; anything
///   else – `unknown`.
/// - **Hairpinning** only means something behind a NAT: whether a ping to our public address came back.
public enum NATClassifier {
    /// Reports needed before the mapping is judged.
    public static let minimumReporters = 2

    /// Classifies `inputs`.
    public static func classify(_ inputs: NATProbeInputs) -> NATReport {
        var evidence: [NATEvidence] = []
        let local = inputs.localAddresses
        evidence.append(localEvidence(inputs, local: local))

        let reports = latestPerReporter(inputs.reports)
        let publicAddress = mostSeen(reports)
        for report in reports {
            evidence.append(NATEvidence(.publicAddress, "\(report.reporter) sees us at \(report.observed)"))
        }
        if reports.isEmpty { evidence.append(NATEvidence(.publicAddress, "no node has reported where it sees us yet")) }

        let (mapping, mappingText) = classifyMapping(reports, local: Set(local))
        evidence.append(NATEvidence(.mapping, mappingText))

        let portPreserving = classifyPortPreservation(reports, mapping: mapping, boundPort: inputs.boundAddress.port)
        if let portPreserving {
            let ports = Set(reports.map(\.observed.port)).sorted().map(String.init).joined(separator: ", ")
            evidence.append(NATEvidence(.portPreserving, portPreserving
                ? "the public port \(ports) is our bound port \(inputs.boundAddress.port)"
                : "public port(s) \(ports), bound port \(inputs.boundAddress.port)"))
        }

        let (filtering, filteringEvidence) = classifyFiltering(inputs.filtering, mapping: mapping)
        evidence += filteringEvidence

        let (hairpinning, hairpinText) = classifyHairpinning(inputs.hairpin, mapping: mapping)
        evidence.append(NATEvidence(.hairpinning, hairpinText))

        let (verdict, verdictText) = judge(mapping: mapping, filtering: filtering, reporters: reports.count)
        return NATReport(localAddresses: local, publicAddress: publicAddress, reporters: reports.count, mapping: mapping,
                         portPreserving: portPreserving, filtering: filtering, hairpinning: hairpinning,
                         verdict: verdict, verdictText: verdictText, evidence: evidence)
    }

    // MARK: - Lines

    private static func localEvidence(_ inputs: NATProbeInputs, local: [PeerAddress]) -> NATEvidence {
        let list = local.map(\.description).joined(separator: ", ")
        if inputs.boundAddress.host.isUnspecified {
            return NATEvidence(.localAddresses, "bound to \(inputs.boundAddress); interface addresses with that port: "
                               + (list.isEmpty ? "none known" : list))
        }
        return NATEvidence(.localAddresses, "bound to \(inputs.boundAddress)")
    }

    /// The last report of each reporter, in first-report order.
    static func latestPerReporter(_ reports: [AddressReport]) -> [AddressReport] {
        var index: [PeerAddress: Int] = [:]
        var result: [AddressReport] = []
        for report in reports {
            if let at = index[report.reporter] { result[at] = report } else {
                index[report.reporter] = result.count
                result.append(report)
            }
        }
        return result
    }

    /// The observed address most reporters agree on; ties go to the one reported last.
    public static func mostSeen(_ reports: [AddressReport]) -> PeerAddress? {
        var votes: [PeerAddress: (count: Int, last: Int)] = [:]
        for (position, report) in reports.enumerated() {
            votes[report.observed] = ((votes[report.observed]?.count ?? 0) + 1, position)
        }
        return votes.max { ($0.value.count, $0.value.last) < ($1.value.count, $1.value.last) }?.key
    }

    static func classifyMapping(_ reports: [AddressReport], local: Set<PeerAddress>) -> (MappingBehaviour, String) {
        guard reports.count >= minimumReporters else {
            return (.unknown, "\(plural(reports.count, "node")) reported; at least \(minimumReporters) needed to compare")
        }
        let observed = Set(reports.map(\.observed))
        let reporterHosts = Set(reports.map(\.reporter.host)).count
        let nodes = "\(plural(reports.count, "node")) (\(plural(reporterHosts, "host")))"
        if observed.isSubset(of: local) {
            let seen = observed.map(\.description).sorted().joined(separator: ", ")
            return (.none, "\(nodes) see us at \(seen): our own address, no translation")
        }
        if observed.count == 1, let only = observed.first {
            return (.endpointIndependent, "\(nodes) all see us at \(only), not our own address: one mapping for all")
        }
        let ports = Set(reports.map(\.observed.port))
        if ports.count == reports.count {
            return (.portRandomising, "\(nodes) see us at \(observed.count) addresses, each on a port of its own")
        }
        return (.variesByDestination, "\(nodes) see us at \(observed.count) different addresses")
    }

    /// `1 node`, `3 nodes`.
    static func plural(_ number: Int, _ noun: String) -> String {
        "\(number) \(noun)\(number == 1 ? "" : "s")"
    }

    static func classifyPortPreservation(_ reports: [AddressReport], mapping: MappingBehaviour, boundPort: UInt16) -> Bool? {
        switch mapping {
        case .none, .unknown: return nil
        case .endpointIndependent, .variesByDestination, .portRandomising:
            return reports.allSatisfy { $0.observed.port == boundPort }
        }
    }

    static func classifyFiltering(_ attempts: [FilteringAttempt], mapping: MappingBehaviour)
        -> (FilteringBehaviour, [NATEvidence]) {
        guard !attempts.isEmpty else { return (.unknown, [NATEvidence(.filtering, "not tested")]) }
        // Decisive attempts first: an answer that got in, then silence from a node shown alive.
        let ordered = attempts.filter(\.forwardedAnswerArrived)
            + attempts.filter { !$0.forwardedAnswerArrived && $0.directAnswer == true }
            + attempts.filter { !$0.forwardedAnswerArrived && $0.directAnswer != true }
        let evidence = ordered.map { NATEvidence(.filtering, describe($0)) }
        let arrived = attempts.filter(\.forwardedAnswerArrived)
        if !arrived.isEmpty {
            switch mapping {
            case .none:
                return (.open, evidence)
            case .unknown:
                return (.unknown, evidence + [NATEvidence(.filtering, "an unsolicited answer got in, but without the "
                                                          + "mapping it is unknown whether we are behind a NAT")])
            case .endpointIndependent, .variesByDestination, .portRandomising:
                if arrived.contains(where: { !$0.peerHostContacted }) { return (.endpointIndependent, evidence) }
                return (.unknown, evidence + [NATEvidence(.filtering, "the answer came from a host we had sent to: "
                                                          + "the NAT does not filter by port, by address it may")])
            }
        }
        if attempts.contains(where: { $0.directAnswer == true }) { return (.addressDependent, evidence) }
        return (.unknown, evidence + [NATEvidence(.filtering, "no probed node was shown to be alive: inconclusive")])
    }

    private static func describe(_ attempt: FilteringAttempt) -> String {
        let stranger = attempt.peerHostContacted ? "never contacted, its host was" : "never contacted"
        var text = "_ping to \(attempt.peer) via \(attempt.referrer) (\(stranger)): "
        if attempt.forwardedAnswerArrived {
            return text + "its answer got in" + (attempt.forwardedRoundTripTime.map { " after \(milliseconds($0))" } ?? "")
        }
        text += "no answer got in"
        switch attempt.directAnswer {
        case true?: text += "; it answered a direct _ping (alive)"
        case false?: text += "; no direct answer either"
        case nil: break
        }
        return text
    }

    static func classifyHairpinning(_ attempt: HairpinAttempt?, mapping: MappingBehaviour) -> (Bool?, String) {
        if mapping == .none { return (nil, "not behind a NAT: nothing to hairpin") }
        guard let attempt else { return (nil, "not tested") }
        if attempt.answered {
            return (true, "a _ping to our public address \(attempt.target) came back"
                    + (attempt.roundTripTime.map { " in \(milliseconds($0))" } ?? ""))
        }
        return (false, "a _ping to our public address \(attempt.target) got no answer")
    }

    /// The verdict and its sentence; the sentence names no address, so it is the same on every run.
    static func judge(mapping: MappingBehaviour, filtering: FilteringBehaviour, reporters: Int) -> (NATVerdict, String) {
        switch mapping {
        case .unknown:
            return (.unknown, "not enough nodes answered to tell (\(reporters) of \(minimumReporters) needed)")
        case .none:
            if filtering == .addressDependent {
                return (.punchingWorksWithConsistentPeers, "not behind a NAT, but a firewall drops datagrams from "
                        + "nodes we have not contacted: hole punching works with peers whose NAT is consistent")
            }
            return (.reachableDirectly, "reachable directly (no NAT)")
        case .endpointIndependent:
            if filtering == .endpointIndependent {
                return (.reachableDirectly, "reachable directly while the NAT keeps the mapping "
                        + "(it lets anyone in)")
            }
            return (.punchingWorksWithConsistentPeers, "hole punching works with peers whose NAT is consistent "
                    + "(ours keeps one public address for every destination)")
        case .portRandomising:
            return (.punchingUnlikelyPortRandomising, "hole punching unlikely: port-randomising NAT "
                    + "(each destination sees us on another port)")
        case .variesByDestination:
            return (.punchingUnlikelyPortRandomising, "hole punching unlikely: the NAT maps each destination "
                    + "to another public address")
        }
    }

    /// `1.5 ms`, without Foundation.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let tenths = seconds * 10_000 + attoseconds / 100_000_000_000_000
        return "\(tenths / 10).\(abs(tenths % 10)) ms"
    }
}
