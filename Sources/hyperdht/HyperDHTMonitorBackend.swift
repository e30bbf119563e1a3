import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import Monitor
import NATDiagnosis
import NodeRuntime
import UDPRequest

/// Connects the monitor to a ``HyperDHTHandle`` through its public observation API (events and
/// snapshots) and operations: the DHT panes, lookup, announce, unannounce and the store pane.
struct HyperDHTMonitorBackend: MonitorBackend {
    let handle: HyperDHTHandle
    /// The interface addresses and NAT probe outcomes the monitor's probe found.
    var natLog = NATProbeLog()
    /// Lookups other nodes made here, newest last, bounded.
    let lookups = RecentLookupLog(capacity: 64)
    /// Which node returned which peer in our walks: hints for a failed punch's follow-up.
    let foundPeers = FoundPeerLog()
    /// The keys `a` keeps announced (until `u`), with their keep-alive rounds.
    let kept = KeptAnnouncementLog()

    /// How many translated batches wait for the monitor's pump before the oldest is dropped (and counted).
    static let bufferedBatches = 64

    func events() async throws -> AsyncStream<MonitorEventBatch> {
        // Batches every 20 ms: a flood of 10,000 events a second costs 50 hand-overs, not 10,000.
        let source = try await handle.eventBatches(every: .milliseconds(20), limit: 10_000)
        let (stream, continuation) = AsyncStream<MonitorEventBatch>.makeStream(
            bufferingPolicy: .bufferingNewest(Self.bufferedBatches))
        let lookups = self.lookups, foundPeers = self.foundPeers
        let kept = self.kept
        let forward = Task {
            // Events lost so far that no batch has reported yet: the node's own count plus ours.
            var carried = 0
            for await batch in source {
                carried += batch.dropped
                var translated: [MonitorEvent] = []
                var times: [Timestamp] = []  // when each translated event happened on the node's clock
                translated.reserveCapacity(batch.events.count)
                times.reserveCapacity(batch.events.count)
                var lookedUp: [(key: NodeID, from: PeerAddress)] = []
                var found: [(key: NodeID, node: PeerAddress, peers: [PeerAddress])] = []
                for (event, time) in zip(batch.events, batch.times) {
                    let before = translated.count
                    defer { times += repeatElement(time, count: translated.count - before) }
                    switch event {
                    case .dht(let dhtEvent):
                        if let monitorEvent = MonitorEvent(dhtEvent) { translated.append(monitorEvent) }
                    case .hyperdht(.lookedUp(let key, let from, _)):
                        lookedUp.append((key, from))
                    case .hyperdht(.peerWalkStarted(let query, let type, _)):
                        translated.append(.queryLabelled(id: query, label: "\(type)"))
                    case .hyperdht(.peersFound(let query, let key, let node, let peers, let localPeers)):
                        translated.append(.peersFound(queryID: query, key: key, from: node, peers: peers, localPeers: localPeers))
                        found.append((key, node.address, peers + localPeers))
                    case .hyperdht(.keepAlivePinged(let key, let storing, let answered, let behindNAT, let next)):
                        await kept.record(key: key, KeepAliveRound(storingNodes: storing, answered: answered,
                                                                   behindNAT: behindNAT, age: .zero, interval: next),
                                          at: ContinuousClock.now)
                    case .hyperdht:
                        break
                    case .punchFollowUp(.step(let peer, let referrer, let step)):
                        translated.append(.holepunchProbeStep(peer: peer, referrer: referrer, text: step.text,
                                                              isProblem: step.isProblem))
                    case .punchFollowUp(.concluded(let diagnosis)):
                        translated.append(.holepunchExplained(
                            peer: diagnosis.peer, referrer: diagnosis.referrer, cause: diagnosis.cause.rawValue,
                            label: diagnosis.cause.label, explanation: diagnosis.explanation))
                    }
                }
                if !lookedUp.isEmpty { await lookups.record(lookedUp, at: ContinuousClock.now) }
                for entry in found { await foundPeers.record(key: entry.key, node: entry.node, peers: entry.peers) }
                if !translated.isEmpty || carried > 0 {
                    carried = continuation.yield(MonitorEventBatch(translated, times: times, handedOverAt: batch.handedOverAt),
                                                 carrying: carried)
                }
            }
            await continuation.finish(carrying: carried)
        }
        continuation.onTermination = { _ in forward.cancel() }
        return stream
    }

    func status() async throws -> NodeStatus {
        let (snapshot, now) = try await handle.withNode { ($0.dht.snapshot(), $0.dht.scheduler.now) }
        var status = NodeStatus(snapshot: snapshot, now: now, interfaceAddresses: await natLog.interfaces,
                                natProbes: await natLog.results)
        status.lanAddress = handle.lanAddress
        return status
    }

    func ping(_ address: PeerAddress) async throws -> PingOutcome {
        let reply = try await handle.ping(address)
        return PingOutcome(responder: reply.responder, responderID: reply.responderID,
                           observedAddress: reply.observedAddress, roundTripTime: reply.roundTripTime)
    }

    /// Punches; when the punch fails, the follow-up probes run (their steps reach the timeline as
    /// events) and the error carries their verdict.
    func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingOutcome {
        let (alternates, sightings) = await foundPeers.hints(peer: peer, referrer: referrer)
        let hints = PunchFailureProbe.Hints(alternateReferrers: alternates, peerSightings: sightings,
                                            localHosts: LocalInterfaces.hosts())
        switch try await handle.holepunchExplained(peer: peer, referrer: referrer, hints: hints) {
        case .punched(let reply):
            return PingOutcome(responder: reply.responder, responderID: reply.responderID,
                               observedAddress: reply.observedAddress, roundTripTime: reply.roundTripTime)
        case .failed(let diagnosis):
            throw MonitorError.holepunchFailed(label: diagnosis.cause.label, explanation: diagnosis.explanation)
        }
    }

    func bootstrap() async throws -> Int {
        try await handle.bootstrap()?.responses ?? 0
    }

    func query(command: String, target: NodeID) async throws -> QueryOutcome {
        var outcome: QueryOutcome?
        let stream = try await handle.withNode { node -> AsyncStream<QueryEvent> in
            node.dht.query(DHTQuery(command: command, target: target))
        }
        for await event in stream {
            if case .finished(let finished) = event { outcome = QueryOutcome(finished) }
        }
        guard let outcome else { throw MonitorError.unavailable("the walk ended without a summary") }
        return outcome
    }

    func lookup(_ target: LookupTarget) async throws -> LookupOutcome {
        try await Self.collect(try await handle.lookup(key: Self.key(for: target)))
    }

    /// Keeps the key announced until `u`: re-announced every 4 minutes, the storing nodes pinged in
    /// between while behind a NAT. Reports the first round.
    func announce(_ target: LookupTarget) async throws -> LookupOutcome {
        let key = Self.key(for: target)
        let (firstRound, handle) = try await handle.keepAnnounced(key: key)
        await kept.start(key: key, handle)
        do {
            return try await Self.collect(firstRound)
        } catch {
            await kept.stop(key: key)
            throw error
        }
    }

    func unannounce(_ target: LookupTarget) async throws -> LookupOutcome {
        await kept.stop(key: Self.key(for: target))
        let summary = try await handle.unannounce(key: Self.key(for: target))
        if let error = summary.error { throw MonitorError.unavailable("unannounce failed: \(error)") }
        return LookupOutcome(peers: [], closest: summary.closest, duration: summary.duration)
    }

    func storedAnnouncements() async throws -> StoreSnapshot? {
        let (entries, maxAge, now) = try await handle.withNode { node in
            (node.store.allEntries(now: node.dht.scheduler.now), node.store.configuration.maxAge, node.dht.scheduler.now)
        }
        let keys = entries.map { entry in
            AnnouncedKey(key: entry.key, peers: entry.peers.map { peer in
                AnnouncedPeer(publicAddress: peer.address, localAddress: peer.localAddress,
                              age: now - peer.lastAnnounced, expiresIn: maxAge - (now - peer.lastAnnounced))
            })
        }.sorted { $0.key.hexString < $1.key.hexString }
        return StoreSnapshot(keys: keys, recentLookups: await lookups.recent(now: ContinuousClock.now),
                             kept: await kept.snapshot(now: ContinuousClock.now))
    }

    /// A typed key, or a topic's key (``NodeID/init(topic:)``, the command line's rule too).
    static func key(for target: LookupTarget) -> NodeID {
        switch target {
        case .key(let key): return key
        case .topic(let text): return NodeID(topic: text)
        }
    }

    /// Runs a peer stream to its end and gathers the distinct peers it found.
    static func collect(_ stream: AsyncStream<PeerQueryEvent>) async throws -> LookupOutcome {
        var peers: [AnnouncedPeer] = []
        var seen: Set<PeerAddress> = []
        var summary: QuerySummary?
        for await event in stream {
            switch event {
            case .result(let result):
                for peer in result.peers + result.localPeers where seen.insert(peer).inserted {
                    peers.append(AnnouncedPeer(publicAddress: peer, age: .zero, expiresIn: .zero))
                }
            case .finished(let finished):
                summary = finished
            }
        }
        guard let summary else { throw MonitorError.unavailable("the walk ended without a summary") }
        if let error = summary.error { throw MonitorError.unavailable("\(error)") }
        return LookupOutcome(peers: peers, closest: summary.closest, duration: summary.duration)
    }
}

/// The lookups other nodes made against this node, newest last, at most `capacity`.
actor RecentLookupLog {
    private let capacity: Int
    private var entries: [(key: NodeID, from: PeerAddress, at: ContinuousClock.Instant)] = []

    init(capacity: Int) { self.capacity = capacity }

    func record(_ lookups: [(key: NodeID, from: PeerAddress)], at instant: ContinuousClock.Instant) {
        entries.append(contentsOf: lookups.suffix(capacity).map { ($0.key, $0.from, instant) })
        if entries.count > capacity { entries.removeFirst(entries.count - capacity) }
    }

    func recent(now: ContinuousClock.Instant) -> [RecentLookup] {
        entries.reversed().map { RecentLookup(key: $0.key, from: $0.from, age: now - $0.at) }
    }
}

/// The keys the monitor keeps announced, and each one's latest keep-alive round.
actor KeptAnnouncementLog {
    private var entries: [(key: NodeID, handle: KeptAnnouncement, round: KeepAliveRound?, at: ContinuousClock.Instant?)] = []

    /// Starts tracking `key` (replacing an earlier announcement of it, which stops).
    func start(key: NodeID, _ handle: KeptAnnouncement) {
        stop(key: key)
        entries.append((key, handle, nil, nil))
    }

    /// Stops re-announcing and pinging for `key`.
    func stop(key: NodeID) {
        for entry in entries where entry.key == key { entry.handle.cancel() }
        entries.removeAll { $0.key == key }
    }

    /// Records a keep-alive round of `key`.
    func record(key: NodeID, _ round: KeepAliveRound, at instant: ContinuousClock.Instant) {
        guard let index = entries.firstIndex(where: { $0.key == key }) else { return }
        entries[index].round = round
        entries[index].at = instant
    }

    /// The kept keys, oldest first, with round ages as of `now`.
    func snapshot(now: ContinuousClock.Instant) -> [KeptKey] {
        entries.map { entry in
            var round = entry.round
            if let at = entry.at { round?.age = now - at }
            return KeptKey(key: entry.key, lastRound: round)
        }
    }
}
