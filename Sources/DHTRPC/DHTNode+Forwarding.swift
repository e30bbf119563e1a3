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
        if let refusal = scopeRefusal(sender: requester, destination: target) { return refusal }
        if case .drop = forwardLimiter.admit(from: requester.host, now: scheduler.now) { return .rateLimited }
        if vouchesForForwardTarget?(target) == true || isKnownPeer(target) { return nil }
        return .unknownTarget
    }

    /// As the punched peer: why we will not answer a forwarded `_ping` at the `requester` address it
    /// names (its `forwardResponse`), or `nil` to answer. The same rules as a referrer's, seen from the
    /// other end – else anyone could make us send a datagram anywhere by naming it there: the referrer
    /// must be a node we already knew (`knownReferrer`: in the table or a recent sender, judged before
    /// this datagram), the address routable and not private unless the referrer is in that block, and
    /// each referrer host within the per-source forward limit.
    func forwardedPingRefusal(referrer: PeerAddress, knownReferrer: Bool, requester: PeerAddress) -> ForwardRefusal? {
        if let refusal = scopeRefusal(sender: referrer, destination: requester) { return refusal }
        guard knownReferrer else { return .unknownReferrer }
        if case .drop = forwardLimiter.admit(from: referrer.host, now: scheduler.now) { return .rateLimited }
        return nil
    }

    /// Whether `address` sent us a valid datagram lately or is in the routing table.
    func isKnownPeer(_ address: PeerAddress) -> Bool {
        recentSenders.contains(address, now: scheduler.now) || table.contacts.contains { $0.payload.address == address }
    }

    /// The address rules: never an unroutable destination or port 0; loopback or a private block
    /// only for a sender inside the same block.
    private func scopeRefusal(sender: PeerAddress, destination: PeerAddress) -> ForwardRefusal? {
        let scope = destination.host.scope
        if scope.isNeverForwardable || destination.port == 0 { return .unroutableTarget }
        switch scope {
        case .loopback, .privateBlock:
            if sender.host.scope != scope { return .privateTargetFromOutside }
        default:
            break
        }
        return nil
    }

    /// Notes that `source` sent a valid datagram (a request, or an answer to one of ours).
    func noteValidSender(_ source: PeerAddress) {
        recentSenders.record(source, now: scheduler.now)
    }
}
