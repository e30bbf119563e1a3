import DHTMessages
import Foundation
import HyperDHT
import IPEncoding
import Testing

/// hyperdht `Response` (the `value` of a dht-rpc `peers` response) against the reference's bytes.
@Suite struct HyperdhtResponseTests {
    @Test func theEncodeVectorEncodesToExactlyItsHex() throws {
        let all = try #require(try loadFixture("protobuf-messages")["encode"] as? [[String: Any]])
        let vectors = all.filter { $0["message"] as? String == "hyperdht Response" }
        #expect(vectors.count == 1)
        for vector in vectors {
            let input = try #require(vector["input"] as? [String: Any])
            var message = Hyperdht_Response()
            message.peers = Data(bytes(try #require(input["peers"] as? String)))
            message.localPeers = Data(bytes(try #require(input["localPeers"] as? String)))
            let hexText = try #require(vector["hex"] as? String)
            #expect(hex(try message.wireBytes()) == hexText)
            #expect(try Hyperdht_Response(wireBytes: bytes(hexText)) == message)
        }
    }

    @Test func everyCapturedPeersResponseValueDecodesToTheListedPeersAndReEncodes() throws {
        var checked = 0
        for datagram in try CapturedPeersDatagram.all() {
            guard let listed = datagram.decodedFields["valueAsHyperdhtResponse"] as? [String: Any] else { continue }
            let response = try #require(datagram.response, "\(datagram.name)")
            let value = try Hyperdht_Response(wireBytes: response.value)
            #expect(hex(value.peers) == listed["peers"] as? String, "\(datagram.name)")
            if let localPeers = listed["localPeers"] as? String {
                #expect(hex(value.localPeers) == localPeers, "\(datagram.name)")
            } else {
                #expect(!value.hasLocalPeers, "\(datagram.name)")
            }
            let peers = try #require(listed["peersDecoded"] as? [Any]).map(peer)
            #expect(try PeerListCodec.ipv4.decode(value.peers) == peers, "\(datagram.name)")
            #expect(try Data(value.wireBytes()) == response.value, "\(datagram.name)")
            checked += 1
        }
        #expect(checked == 3)
    }

    @Test func capturedLocalPeersDecodeOnTheRequestersSubnet() throws {
        let datagrams = try CapturedPeersDatagram.all()
        let lookup = try #require(datagrams.first { $0.name == "lookup_request_localAddress" }?.request)
        let requesterLocal = try LocalAddressCodec.decode(try Hyperdht_Request(wireBytes: lookup.value).localAddress)
        let answer = try #require(datagrams.first { $0.name == "lookup_response_peers_localPeers" }?.response)
        let localPeers = try Hyperdht_Response(wireBytes: answer.value).localPeers
        let decoded = try LocalPeersCodec.decode(localPeers, requesterLocalAddress: requesterLocal)
        #expect(decoded == [try PeerAddress(parsing: "192.168.1.5:8000"), try PeerAddress(parsing: "192.168.7.6:9000")])
    }
}
