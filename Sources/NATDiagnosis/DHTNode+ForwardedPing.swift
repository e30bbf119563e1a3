import DHTRPC
import IPEncoding
import UDPRequest

extension DHTNode {
    /// Asks `referrer` to forward a `_ping` to `peer` – a hole punch *without* the direct pings that
    /// open our own NAT's mapping toward the peer (`opensOwnMapping: false`) – so the peer's answer
    /// reaches our NAT unsolicited.
    func forwardedPing(to peer: PeerAddress, via referrer: PeerAddress, options: RequestOptions,
                       completion: @escaping (Result<PingReply, DHTError>) -> Void) {
        holepunch(peer: peer, referrer: referrer, options: HolepunchOptions(opensOwnMapping: false, requestOptions: options),
                  completion: completion)
    }
}
