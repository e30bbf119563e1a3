import DHTRPC
import UDPRequest

extension MonitorEvent {
    /// Translates a node event; `nil` for events no pane shows (responses we sent, forwards, unmatched
    /// answers, rejections – the counters in the status cover them).
    public init?(_ event: DHTEvent) {
        switch event {
        case .socket(let socket):
            switch socket {
            case .requestSent(let tid, let command, let to, let bytes):
                self = .requestSent(tid: tid, command: command, to: to, bytes: bytes)
            case .requestRetransmitted(let tid, let command, let to, let transmission):
                self = .requestRetransmitted(tid: tid, command: command, to: to, transmission: transmission)
            case .responseMatched(let tid, let command, let from, let rtt):
                self = .responseMatched(tid: tid, command: command, from: from, roundTripTime: rtt)
            case .requestTimedOut(let tid, let command, let to, let transmissions):
                self = .requestTimedOut(tid: tid, command: command, to: to, transmissions: transmissions)
            case .requestCancelled(let tid, let command, let to):
                self = .requestCancelled(tid: tid, command: command, to: to)
            case .requestReceived(let tid, let command, let from, _):
                self = .requestReceived(tid: tid, command: command, from: from)
            case .spoofedResponse(let tid, let from, let expected):
                self = .spoofedResponse(tid: tid, from: from, expected: expected)
            case .malformedDropped(let from, let bytes, _):
                self = .malformedDropped(from: from, bytes: bytes)
            case .rateLimited(let from, let dropped):
                self = .rateLimited(from: from, droppedSoFar: dropped)
            case .responseSent, .forwarded, .unmatchedResponse:
                return nil
            }
        case .nodeAdded(let node): self = .nodeAdded(node)
        case .nodeRefreshed(let node): self = .nodeRefreshed(node)
        case .nodeRemoved(let node, let reason): self = .nodeRemoved(node, reason: reason.rawValue)
        case .ready: self = .ready
        case .bootstrapped(let responses): self = .bootstrapped(responses: responses)
        case .queryStarted(let id, let command, let target, let isUpdate):
            self = .queryStarted(id: id, command: command, target: target, isUpdate: isUpdate)
        case .queryProgressed(let id, let progress):
            self = .queryProgressed(id: id, QueryStep(
                responses: progress.responses, errors: progress.errors, inflight: progress.inflight,
                hops: progress.hops, closestPrefix: progress.closestPrefix, node: progress.node,
                answered: progress.answered))
        case .queryFinished(let id, let summary): self = .queryFinished(id: id, QueryOutcome(summary))
        case .holepunchAsked(let peer, let referrer, let tid):
            self = .holepunchAsked(peer: peer, referrer: referrer, tid: tid)
        case .holepunchDirectPing(let peer, let referrer, let phase):
            self = .holepunchDirectPing(peer: peer, referrer: referrer, phase: phase.rawValue)
        case .holepunchForwarded(let from, let to, let tid): self = .holepunchForwarded(from: from, to: to, tid: tid)
        case .holepunchForwardRefused(let from, let to, let reason):
            self = .holepunchForwardRefused(from: from, to: to, reason: reason.rawValue)
        case .holepunchReceived(let requester, let referrer, let tid):
            self = .holepunchReceived(requester: requester, referrer: referrer, tid: tid)
        case .holepunchAnswered(let peer, let referrer, let from, let rtt):
            self = .holepunchAnswered(peer: peer, referrer: referrer, from: from, roundTripTime: rtt)
        case .holepunchFailed(let peer, let referrer, let error):
            self = .holepunchFailed(peer: peer, referrer: referrer, reason: "\(error)")
        case .requestRejected: return nil
        case .observedAddress(let address, let reporter): self = .observedAddress(address, reportedBy: reporter)
        }
    }
}
