import DHTMessages
import Foundation
import IPEncoding
import KBucket
import UDPRequest

/// A `_ping` answer: where the peer sees us, and who it is.
public struct PingReply: Sendable, Equatable {
    /// Our address as the peer observed it (the STUN-like service NAT traversal rests on).
    public var observedAddress: PeerAddress
    /// The peer's id, if it sent one.
    public var responderID: NodeID?
    /// The address the answer came from.
    public var responder: PeerAddress
    /// From sending to the answer.
    public var roundTripTime: Duration
}

extension DHTNode {
    /// Pings `address`; the reply says where it sees us. Fails with ``DHTError/invalidPong`` if the
    /// answer does not carry a 6-byte address.
    public func ping(_ address: PeerAddress, completion: @escaping (Result<PingReply, DHTError>) -> Void) {
        request(baseRequest(command: "_ping"), to: address) { [weak self] result in
            completion(result.flatMap { response in
                guard let observed = try? PeerListCodec.ipv4.decode(response.message.value, trailingBytes: .ignore).first else {
                    return .failure(.invalidPong)
                }
                self?.emit(.observedAddress(observed, reportedBy: response.source))
                let responderID = response.message.id.count == Self.idLength ? NodeID(response.message.id) : nil
                return .success(PingReply(observedAddress: observed, responderID: responderID,
                                          responder: response.source, roundTripTime: response.roundTripTime))
            })
        }
    }

    /// Starts an iterative walk for `query`; `onResult` gets each answer as it arrives and
    /// `onFinish` the summary, once, at the end. Returns the walk's id, or `nil` when it could not
    /// start (`onFinish` then reports why).
    @discardableResult
    public func query(_ query: DHTQuery, options: QueryOptions = QueryOptions(),
                      onResult: @escaping (QueryResult) -> Void,
                      onFinish: @escaping (QuerySummary) -> Void) -> QueryID? {
        guard let walkID = startWalk(query, options: options, onResult: onResult, onFinish: onFinish) else { return nil }
        walk(walkID)?.advance()
        return walkID
    }

    /// The same walk as ``query(_:options:onResult:onFinish:)``, as an `AsyncSequence`: answers as
    /// they arrive, then ``QueryEvent/finished(_:)``, then the end. The stream buffers everything,
    /// so it can be consumed from any task.
    public func query(_ query: DHTQuery, options: QueryOptions = QueryOptions()) -> AsyncStream<QueryEvent> {
        let (stream, continuation) = AsyncStream<QueryEvent>.makeStream()
        self.query(query, options: options, onResult: { continuation.yield(.result($0)) }) { summary in
            continuation.yield(.finished(summary))
            continuation.finish()
        }
        return stream
    }

    /// An update (dht-rpc's `update`): the walk, then the query sent with each closest node's token.
    @discardableResult
    public func update(_ query: DHTQuery, reportQueryPhase: Bool = false, requestOptions: RequestOptions? = nil,
                       onResult: @escaping (QueryResult) -> Void,
                       onFinish: @escaping (QuerySummary) -> Void) -> QueryID? {
        self.query(query, options: QueryOptions(isUpdate: true, reportQueryPhase: reportQueryPhase,
                                                requestOptions: requestOptions),
                   onResult: onResult, onFinish: onFinish)
    }

    /// A copy of the node's state for observers; cheap enough to take several times a second.
    public func snapshot() -> DHTNodeSnapshot {
        DHTNodeSnapshot(
            id: id, localAddress: localAddress, isReady: isReady, ephemeral: configuration.ephemeral,
            uptime: scheduler.now - startedAt, tick: tick,
            routingTable: table.snapshot(), inflight: socket.inflightRequests,
            queuedRequests: queuedRequestCount, activeQueries: activeWalkCount,
            socketCounters: socket.counters, counters: stats)
    }
}
