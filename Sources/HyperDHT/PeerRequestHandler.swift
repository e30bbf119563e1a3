import DHTRPC
import Foundation
import IPEncoding
import KBucket
import UDPRequest

/// Serves hyperdht's `peers` command exactly as hyperdht 1.3's `_processPeers`: stores announcements
/// that carry a valid token, removes unannouncements, and answers with up to 900 bytes of stored
/// peers (and LAN peers for a requester in the same /16), in random order, never the requester.
struct PeerRequestHandler {
    /// The reference's reply budget: peers + localPeers bytes stay below this.
    static let replyBudget = 900

    /// The reply to send, and what happened, for `query` at `now`.
    static func handle<G: RandomNumberGenerator>(
        _ query: IncomingQuery, store: inout PeerStore, now: Timestamp, using generator: inout G
    ) -> (reply: QueryReply, event: HyperDHTEvent?) {
        guard let value = query.value,
              let request = try? Hyperdht_Request(serializedBytes: [UInt8](value)) else {
            return (.respond(value: nil), nil)
        }
        let port = request.port != 0 ? request.port : UInt32(query.node.address.port)
        guard port > 0, port <= UInt32(UInt16.max) else { return (.respond(value: nil), nil) }
        let from = PeerAddress(host: query.node.address.host, port: UInt16(port))
        let requesterLocal = request.hasLocalAddress ? try? LocalAddressCodec.decode(request.localAddress) : nil
        var event: HyperDHTEvent?

        switch (query.isUpdate, PeerRequestType(rawValue: request.type)) {
        case (true, .announce):
            let outcome = store.put(key: query.target, address: from, localAddress: requesterLocal, now: now)
            event = .announced(key: query.target, peer: from, localAddress: requesterLocal, refreshed: outcome == .refreshed)
        case (true, .unannounce):
            store.remove(key: query.target, address: from)
            return (.respond(value: nil), .unannounced(key: query.target, peer: from))
        default:
            break
        }

        // The LAN filter: the first two octets of any 6-byte localAddress, port 0 included (the reference's lookup
        // sends port 0 for a local address without one; only storing it needs a valid port).
        let filter: UInt32? = request.localAddress.count == 6 ? request.localAddress.prefix(2).reduce(0) { $0 << 8 | UInt32($1) } : nil
        var response = PeerResponse()
        for stored in store.peers(for: query.target, now: now, using: &generator) {
            if response.size >= replyBudget { break }
            if stored.address == from { continue }
            let local = filter != nil && stored.localAddress.flatMap(Self.slash16) == filter ? stored.localAddress : nil
            response.add(stored.address, local: local)
        }
        if request.type == PeerRequestType.lookup.rawValue {
            event = .lookedUp(key: query.target, from: query.node.address, answered: response.peerCount)
        }
        return (.respond(value: response.encoded), event)
    }

    /// The top 16 bits of an IPv4 address.
    static func slash16(_ address: PeerAddress) -> UInt32? {
        guard case .v4(let bits)? = address.host.unmappedIPv4 else { return nil }
        return bits >> 16
    }
}
