import DHTMessages
import Foundation
import IPEncoding
import KBucket
import UDPRequest

extension DHTNode {
    /// As a referrer: forward a hole-punch `_ping` to the peer it names, telling the peer where to
    /// answer – if ``ForwardingPolicy`` allows it. Refusals are counted and reported.
    func forward(_ incoming: IncomingRequest) {
        var message = incoming.message
        guard message.command == "_ping" else {
            emit(.requestRejected(from: incoming.source, command: message.command, reason: .forwardNotPing))
            return
        }
        guard let to = (try? PeerListCodec.ipv4.decode(message.forwardRequest, trailingBytes: .ignore))?.first,
              incoming.source.host.isIPv4 else {
            emit(.requestRejected(from: incoming.source, command: message.command, reason: .badForwardAddress))
            return
        }
        if let refusal = forwardRefusal(from: incoming.source, to: to) {
            stats.holepunchForwardsRefused += 1
            emit(.holepunchForwardRefused(from: incoming.source, to: to, reason: refusal))
            return
        }
        message.clearForwardRequest()
        message.forwardResponse = Data(PeerListCodec.ipv4.encodeOrEmpty(incoming.source))
        stats.holepunchesForwarded += 1
        emit(.holepunchForwarded(from: incoming.source, to: to, tid: incoming.tid))
        socket.forwardRequest(message, tid: incoming.tid, to: to)
    }

    /// Why a forward from `requester` to `target` is refused, or `nil` to forward it. Cheap checks
    /// first; the routing-table scan only for a requester within its limit.
    func forwardRefusal(from requester: PeerAddress, to target: PeerAddress) -> ForwardRefusal? {
        let scope = target.host.scope
        if scope.isNeverForwardable || target.port == 0 { return .unroutableTarget }
        switch scope {
        case .loopback, .privateBlock:
            if requester.host.scope != scope { return .privateTargetFromOutside }
        default:
            break
        }
        if case .drop = forwardLimiter.admit(from: requester.host, now: scheduler.now) { return .rateLimited }
        if recentSenders.contains(target, now: scheduler.now) { return nil }
        if vouchesForForwardTarget?(target) == true { return nil }
        if table.contacts.contains(where: { $0.payload.address == target }) { return nil }
        return .unknownTarget
    }

    /// Notes that `source` sent a valid datagram (a request, or an answer to one of ours).
    func noteValidSender(_ source: PeerAddress) {
        recentSenders.record(source, now: scheduler.now)
    }
}
