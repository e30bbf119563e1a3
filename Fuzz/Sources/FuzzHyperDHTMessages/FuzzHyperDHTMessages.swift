import DHTMessages
import Foundation
import FuzzSupport
import HyperDHT
import IPEncoding
import KBucket
import SwiftProtobuf
import UDPRequest

/// Input: one selector byte, then a hyperdht message body – the `value` of a `peers` request or reply.
/// Selector bit 0 clear: a `Request`, handled as a storing node does (port and localAddress checked, stored in a
/// `PeerStore`, an answer built and decoded back). Set: a `Response`, read as a looking-up node does (peers,
/// localPeers rebuilt against the requester's LAN address). Both kinds must round-trip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte()
    let body = input.rest()
    if selector & 1 == 0 {
        guard let request = roundTrip(Hyperdht_Request.self, body) else { return 0 }
        store(request, announcerOctet: selector)
    } else {
        guard let response = roundTrip(Hyperdht_Response.self, body) else { return 0 }
        read(response, requesterOctet: selector)
    }
    return 0
}

/// Decodes `body` as the node does; checks encode → decode → encode is an identity. Returns the message.
private func roundTrip<M: SwiftProtobuf.Message & Equatable>(_ type: M.Type, _ body: [UInt8]) -> M? {
    guard let message = try? M(serializedBytes: body) else { return nil }
    guard let encoded: [UInt8] = try? message.serializedBytes(), let again = try? M(serializedBytes: encoded) else {
        fuzzCheck(false, "\(M.self): a decoded message does not encode and decode again")
        return nil
    }
    fuzzCheck(again == message, "\(M.self): round trip changed the message")
    fuzzCheck((try? again.serializedBytes()) == encoded, "\(M.self): encoding is not stable")
    return message
}

/// Stores the announcement as `PeerRequestHandler` does and checks the answer a second requester would get.
private func store(_ request: Hyperdht_Request, announcerOctet: UInt8) {
    let sender = PeerAddress(host: .v4(0x0B00_0000 | UInt32(announcerOctet)), port: 49737)
    let port = request.port != 0 ? request.port : UInt32(sender.port)
    guard port > 0, port <= UInt32(UInt16.max) else { return }
    let from = PeerAddress(host: sender.host, port: UInt16(port))
    let local = request.hasLocalAddress ? try? LocalAddressCodec.decode(request.localAddress) : nil
    if let local { fuzzCheck(request.localAddress.count == 6 && local.port != 0, "bad localAddress accepted") }
    let key = NodeID([UInt8](repeating: 7, count: 32))
    var peerStore = PeerStore(configuration: PeerStoreConfiguration(maxKeys: 4, maxPeersPerKey: 4, maxEntries: 8))
    _ = peerStore.put(key: key, address: from, localAddress: local, now: .zero)
    var generator = SeededRandomGenerator(seed: 1)
    let stored = peerStore.peers(for: key, now: .zero, using: &generator)
    fuzzCheck(stored.map(\.address) == [from] && stored.first?.localAddress == local, "the store lost the announcement")

    var answer = Hyperdht_Response()
    answer.peers = Data((try? PeerListCodec.ipv4.encode(stored.map(\.address))) ?? [])
    if let local { answer.localPeers = Data((try? LocalPeersCodec.encode([local])) ?? []) }
    guard let encoded: [UInt8] = try? answer.serializedBytes(), let decoded = try? Hyperdht_Response(serializedBytes: encoded) else {
        fuzzCheck(false, "an answer does not encode and decode")
        return
    }
    fuzzCheck((try? PeerListCodec.ipv4.decode(decoded.peers)) == [from], "the answer's peers do not decode back")
    if let local {
        let lan = try? LocalPeersCodec.decode(decoded.localPeers, requesterLocalAddress: local)
        fuzzCheck(lan == [local], "the answer's localPeers do not decode back")
    }
}

/// Reads an answer as `HyperDHTNode` does for a lookup from a requester on 192.168.x.
private func read(_ response: Hyperdht_Response, requesterOctet: UInt8) {
    guard let peers = try? PeerListCodec.ipv4.decode(response.peers, trailingBytes: .ignore) else { return }
    fuzzCheck(peers.count == response.peers.count / 6 && peers.allSatisfy { $0.port != 0 }, "peers decoded wrongly")
    let requester = PeerAddress(host: .v4(0xC0A8_0000 | UInt32(requesterOctet)), port: 7000)
    let lan = (try? LocalPeersCodec.decode(response.localPeers, requesterLocalAddress: requester, trailingBytes: .ignore)) ?? []
    fuzzCheck(lan.count <= response.localPeers.count / 4, "more local peers than records")
    fuzzCheck(lan.allSatisfy { if case .v4(let bits) = $0.host { bits >> 16 == 0xC0A8 } else { false } },
              "a local peer outside the requester's /16")
}
