import DHTRPC
import IPEncoding
import KBucket
import Monitor
import NodeRuntime

/// Connects the monitor to a ``DHTNodeHandle`` through the node's public observation API (events and
/// snapshots) and its operations. Lookup, announce and unannounce keep the protocol's defaults
/// ("not attached") until the HyperDHT layer is wired in.
struct DHTNodeMonitorBackend: MonitorBackend {
    let handle: DHTNodeHandle

    func events() async throws -> AsyncStream<MonitorEvent> {
        let source = try await handle.events(bufferingNewest: 10_000)
        let (stream, continuation) = AsyncStream<MonitorEvent>.makeStream(bufferingPolicy: .bufferingNewest(10_000))
        let forward = Task {
            for await event in source {
                if let translated = MonitorEvent(event) { continuation.yield(translated) }
            }
            continuation.finish()
        }
        continuation.onTermination = { _ in forward.cancel() }
        return stream
    }

    func status() async throws -> NodeStatus {
        // Only the snapshot is taken on the node's loop; the conversion runs here.
        let (snapshot, now) = try await handle.withNode { ($0.snapshot(), $0.scheduler.now) }
        return NodeStatus(snapshot: snapshot, now: now)
    }

    func ping(_ address: PeerAddress) async throws -> PingOutcome {
        let reply = try await handle.ping(address)
        return PingOutcome(responder: reply.responder, responderID: reply.responderID,
                           observedAddress: reply.observedAddress, roundTripTime: reply.roundTripTime)
    }

    func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingOutcome {
        let reply = try await handle.holepunch(peer: peer, referrer: referrer)
        return PingOutcome(responder: reply.responder, responderID: reply.responderID,
                           observedAddress: reply.observedAddress, roundTripTime: reply.roundTripTime)
    }

    func bootstrap() async throws -> Int {
        try await handle.bootstrap()?.responses ?? 0
    }

    func query(command: String, target: NodeID) async throws -> QueryOutcome {
        var outcome: QueryOutcome?
        for await event in try await handle.query(DHTQuery(command: command, target: target)) {
            if case .finished(let summary) = event { outcome = QueryOutcome(summary) }
        }
        guard let outcome else { throw MonitorError.unavailable("the walk ended without a summary") }
        return outcome
    }
}
