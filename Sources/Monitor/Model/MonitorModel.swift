import NATDiagnosis

/// Everything the monitor has learned from the node: the latest status plus bounded histories fed
/// by batched events. A value: pausing the display keeps a copy while this one stays live.
public struct MonitorModel: Sendable {
    /// The latest node status, once one arrived.
    public private(set) var status: NodeStatus?
    /// When it arrived, on the monitor's clock.
    public private(set) var statusAt: Duration?
    /// Rates and per-second history.
    public private(set) var traffic = TrafficMeter()
    /// Recently finished requests.
    public private(set) var requests = RequestLog()
    /// Contacts that changed a moment ago.
    public private(set) var routingChanges = RoutingChanges()
    /// Active and recent walks.
    public private(set) var queries = QueryLog()
    /// The hole-punch timeline.
    public private(set) var holepunches = HolepunchLog()
    /// Where other nodes see us.
    public private(set) var nat = NATObservations()
    /// The NAT diagnosis from ``status`` and ``nat`` as of the latest event batch or status (`nil` before the first
    /// status). Classified again only when what it is drawn from changes: redone every frame it was a sixth of one.
    public private(set) var natReport: NATReport?
    private var natReportInputs: NATProbeInputs?
    /// The stored announcements, once the HyperDHT layer reports them (`nil`: no store attached).
    public private(set) var store: StoreSnapshot?
    /// Bootstraps finished (with their response counts, newest last).
    public private(set) var bootstraps = RingBuffer<Int>(capacity: 8)
    /// Events applied since the monitor started.
    public private(set) var eventsApplied = 0
    /// Events the monitor had to drop because it fell behind (counted by the inbox).
    public private(set) var eventsDropped = 0

    /// An empty model.
    public init() {}

    /// Whether the node finished bootstrapping with nobody in its routing table: no node answered
    /// (the node keeps trying; the header says so instead of "ready").
    public var bootstrapFailed: Bool {
        guard let status else { return false }
        return status.isReady && status.contactCount == 0
    }

    /// Applies a batch of events that all arrived at monitor time `time`.
    public mutating func apply(_ events: some Sequence<MonitorEvent>, at time: Duration, dropped: Int = 0) {
        apply(events.map { TimedEvent(at: time, event: $0) }, now: time, dropped: dropped)
    }

    /// Applies a batch of events stamped with their arrival times; `now` is the frame's time.
    public mutating func apply(_ events: [TimedEvent], now: Duration, dropped: Int = 0) {
        eventsDropped += dropped
        for timed in events {
            let event = timed.event, time = timed.at
            eventsApplied += 1
            switch event {
            case .requestSent, .requestRetransmitted, .malformedDropped, .rateLimited, .ready:
                break
            case .responseMatched, .requestReceived, .spoofedResponse:
                requests.apply(event, at: time)
                holepunches.apply(event, at: time)
            case .requestTimedOut, .requestCancelled:
                requests.apply(event, at: time)
            case .nodeAdded, .nodeRefreshed, .nodeRemoved:
                routingChanges.apply(event, at: time)
            case .bootstrapped(let responses):
                bootstraps.append(responses)
            case .queryStarted, .queryProgressed, .queryFinished, .peersFound, .queryLabelled:
                queries.apply(event, at: time)
            case .holepunchDirectPing, .holepunchAsked, .holepunchForwarded, .holepunchForwardRefused,
                 .holepunchReceived, .holepunchAnswered,
                 .holepunchFailed, .holepunchProbeStep, .holepunchExplained:
                holepunches.apply(event, at: time)
            case .observedAddress:
                nat.apply(event, at: time)
            }
        }
        routingChanges.prune(now: now)
        refreshNATReport(now: now)
    }

    /// Classifies the NAT evidence again if it changed since ``natReport`` was drawn.
    private mutating func refreshNATReport(now: Duration) {
        guard let status else {
            natReport = nil
            natReportInputs = nil
            return
        }
        let inputs = nat.inputs(for: status, now: now)
        guard inputs != natReportInputs || natReport == nil else { return }
        natReportInputs = inputs
        natReport = NATClassifier.classify(inputs)
    }

    /// Forgets everything learned from events (requests, routing changes, walks, punches, NAT
    /// observations, bootstraps) and the traffic rates (the next status, an earlier one, starts them
    /// again), keeping the latest status and store: a replay stepping back then applies the events up
    /// to the new position again.
    public mutating func resetHistory() {
        traffic = TrafficMeter()
        requests = RequestLog()
        routingChanges = RoutingChanges()
        queries = QueryLog()
        holepunches = HolepunchLog()
        nat = NATObservations()
        bootstraps = RingBuffer<Int>(capacity: 8)
        eventsApplied = 0
        natReportInputs = nil
        if let statusAt { refreshNATReport(now: statusAt) }
    }

    /// Takes a new status at monitor time `time`.
    public mutating func apply(status: NodeStatus, at time: Duration) {
        self.status = status
        statusAt = time
        traffic.record(status.socketCounters, at: time)
        refreshNATReport(now: time)
    }

    /// Takes the HyperDHT store's state (`nil`: none attached).
    public mutating func apply(store: StoreSnapshot?) {
        self.store = store
    }
}
