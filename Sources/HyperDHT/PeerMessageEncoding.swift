import Foundation
import IPEncoding

/// A `peers` request as this node sends it, encoded without a way to come out empty: the protobuf
/// encoder fails only on a missing required field, and the one required field (`type`) is always set
/// here.
struct PeerRequest {
    /// Lookup, announce or unannounce.
    var type: PeerRequestType
    /// The announced port (0: the UDP source port).
    var port: UInt16
    /// Our LAN address. hyperdht 1.3 carries it as one ipv4-peers record, so only an IPv4 (or
    /// IPv4-mapped) address is sent; an IPv6 one cannot be shared and is left out (the command
    /// line and the handles never pass one).
    var localAddress: PeerAddress?

    /// The request's bytes, for the `value` of a `peers` query.
    var encoded: Data {
        var request = Hyperdht_Request()
        request.type = type.rawValue
        request.port = UInt32(port)
        if let localAddress, let record = try? LocalAddressCodec.encode(localAddress) {  // nil: IPv6, see above
            request.localAddress = Data(record)
        }
        do {
            let bytes: [UInt8] = try request.serializedBytes()
            return Data(bytes)
        } catch {
            preconditionFailure("a hyperdht peers Request with its required type set always encodes: \(error)")
        }
    }
}

/// A `peers` response as this node serves it: records built one peer at a time, so a peer that cannot
/// be sent (IPv6, in ipv4-peers) is skipped, never the whole list.
struct PeerResponse {
    private(set) var peerRecords: [UInt8] = []
    private(set) var localPeerRecords: [UInt8] = []
    /// Peers added.
    private(set) var peerCount = 0
    /// LAN peers added.
    private(set) var localPeerCount = 0

    /// Adds `peer`, and its LAN address `local` when given. A peer that is not IPv4 (or IPv4-mapped)
    /// is skipped (ipv4-peers cannot carry it), and so is a `local` that is not.
    mutating func add(_ peer: PeerAddress, local: PeerAddress?) {
        // Written in place (the codecs check a record before appending any of it): no array per peer.
        if peerRecords.isEmpty { peerRecords.reserveCapacity(PeerRequestHandler.replyBudget + 6) }
        guard (try? PeerListCodec.ipv4.encode(CollectionOfOne(peer), into: &peerRecords)) != nil else { return }
        peerCount += 1
        if let local, (try? LocalPeersCodec.encode(CollectionOfOne(local), into: &localPeerRecords)) != nil {
            localPeerCount += 1
        }
    }

    /// Bytes of `peers` plus `localPeers`, which the reference keeps under a budget.
    var size: Int { peerRecords.count + localPeerRecords.count }

    /// The response's bytes, or nil when there is nothing to answer.
    var encoded: Data? {
        guard peerCount > 0 || localPeerCount > 0 else { return nil }
        var response = Hyperdht_Response()
        response.peers = Data(peerRecords)
        if localPeerCount > 0 { response.localPeers = Data(localPeerRecords) }
        do {
            let bytes: [UInt8] = try response.serializedBytes()
            return Data(bytes)
        } catch {
            preconditionFailure("a hyperdht peers Response has no required fields and always encodes: \(error)")
        }
    }
}
