import DHTMessages
import Foundation
import IPEncoding
import KBucket
import UDPRequest

extension DHTNode {
    /// Hole punch: asks `referrer` to forward a `_ping` to `peer`, which answers us directly – opening
    /// a path through both NATs. With ``HolepunchOptions/opensOwnMapping`` (the default) direct pings to
    /// the peer go out just before and shortly after the ask, so our own NAT lets the peer's answer in;
    /// the punch succeeds on the first answer from the peer to any of them, and fails when none came.
    /// Everything on the wire is a plain `_ping`, as the reference sends.
    public func holepunch(peer: PeerAddress, referrer: PeerAddress, options: HolepunchOptions = HolepunchOptions(),
                          completion: @escaping (Result<PingReply, DHTError>) -> Void) {
        let attempt = HolepunchAttempt(completion: completion)
        stats.holepunchesAsked += 1
        if options.opensOwnMapping { directPing(peer, referrer: referrer, phase: .before, options: options, attempt: attempt) }

        var message = baseRequest(command: "_ping")
        message.forwardRequest = Data(PeerListCodec.ipv4.encodeOrEmpty(peer))
        attempt.legs += 1
        request(message, to: referrer, options: options.requestOptions) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let response):
                self.punchSucceeded(response, peer: peer, referrer: referrer, attempt: attempt)
            case .failure(let error):
                attempt.forwardError = error
                self.punchLegFailed(error, peer: peer, referrer: referrer, attempt: attempt)
            }
        }
        // The tid is known only if the request went out at once (not queued behind the concurrency limit).
        let tid = socket.inflightRequests.last(where: { $0.holepunchTarget == peer && $0.destination == referrer })?.tid
        emit(.holepunchAsked(peer: peer, referrer: referrer, tid: tid))

        if options.opensOwnMapping {
            attempt.legs += 1
            scheduler.schedule(after: options.followUpDelay) { [weak self] in
                attempt.legs -= 1
                guard let self, !self.isClosed, !attempt.finished else {
                    attempt.finishIfDone()
                    return
                }
                self.directPing(peer, referrer: referrer, phase: .after, options: options, attempt: attempt)
            }
        }
    }

    /// One of a punch's direct pings: an answer completes the punch, like the forward's.
    private func directPing(_ peer: PeerAddress, referrer: PeerAddress, phase: HolepunchDirectPing,
                            options: HolepunchOptions, attempt: HolepunchAttempt) {
        attempt.legs += 1
        emit(.holepunchDirectPing(peer: peer, referrer: referrer, phase: phase))
        request(baseRequest(command: "_ping"), to: peer, options: options.requestOptions) { [weak self] result in
            guard let self else { return }
            switch result {
            case .success(let response):
                self.punchSucceeded(response, peer: peer, referrer: referrer, attempt: attempt)
            case .failure(let error):
                self.punchLegFailed(error, peer: peer, referrer: referrer, attempt: attempt)
            }
        }
    }

    private func punchSucceeded(_ response: MatchedResponse, peer: PeerAddress, referrer: PeerAddress,
                                attempt: HolepunchAttempt) {
        attempt.legs -= 1
        guard !attempt.finished else { return }
        stats.holepunchesAnswered += 1
        emit(.holepunchAnswered(peer: peer, referrer: referrer, from: response.source,
                                roundTripTime: response.roundTripTime))
        let observed = try? PeerListCodec.ipv4.decode(response.message.value, trailingBytes: .ignore).first
        if let observed { emit(.observedAddress(observed, reportedBy: response.source)) }
        let responderID = response.message.id.count == Self.idLength ? NodeID(response.message.id) : nil
        attempt.finish(.success(PingReply(observedAddress: observed ?? localAddress, responderID: responderID,
                                          responder: response.source, roundTripTime: response.roundTripTime)))
    }

    private func punchLegFailed(_ error: DHTError, peer: PeerAddress, referrer: PeerAddress, attempt: HolepunchAttempt) {
        attempt.legs -= 1
        guard !attempt.finished, attempt.legs == 0 else { return }
        let reported = attempt.forwardError ?? error
        emit(.holepunchFailed(peer: peer, referrer: referrer, error: reported))
        attempt.finish(.failure(reported))
    }
}

/// One punch in progress: its requests ("legs") still open, and whether it has been reported.
private final class HolepunchAttempt {
    var legs = 0
    var finished = false
    var forwardError: DHTError?
    private let completion: (Result<PingReply, DHTError>) -> Void

    init(completion: @escaping (Result<PingReply, DHTError>) -> Void) { self.completion = completion }

    func finish(_ result: Result<PingReply, DHTError>) {
        guard !finished else { return }
        finished = true
        completion(result)
    }

    /// A leg that was never sent (the punch ended or the node closed first) may have been the last one.
    func finishIfDone() {
        guard !finished, legs == 0 else { return }
        finish(.failure(forwardError ?? .closed))
    }
}
