import IPEncoding
import NATDiagnosis

/// What the monitor's probe found out about the NAT, for the backend's status: the host's interface
/// addresses and the latest filtering and hairpin outcomes.
actor NATProbeLog {
    private(set) var interfaces: [IPAddress] = InterfaceAddresses.current()
    private(set) var results = NATProbeResults()

    /// Takes a probe round's outcomes. A round that tested filtering replaces the earlier results; one
    /// that could not (no untouched contact answered the listing) keeps them.
    func record(_ run: NATProbeRun, interfaces: [IPAddress]) {
        self.interfaces = interfaces
        let socket = NATClassifier.mostSeen(run.inputs.reports)
        if !run.inputs.filtering.isEmpty {
            results = NATProbeResults(filtering: run.inputs.filtering, hairpin: run.inputs.hairpin, probeSocket: socket)
        } else if results.filtering.isEmpty, let hairpin = run.inputs.hairpin {
            results = NATProbeResults(hairpin: hairpin, probeSocket: socket)
        }
    }
}
