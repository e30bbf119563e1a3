import DHTMessages
import Foundation
import HyperDHT
import IPEncoding
import SwiftProtobuf
import Testing

/// hyperdht `Request` (the `value` of a dht-rpc `peers` request) against the reference's bytes.
@Suite struct HyperdhtRequestTests {
    /// A Request from a fixture dictionary; a missing or null field stays absent.
    private func message(_ fields: [String: Any]) throws -> Hyperdht_Request {
        var message = Hyperdht_Request()
        message.type = UInt32(try #require(fields["type"] as? Int))
        if let port = fields["port"] as? Int { message.port = UInt32(port) }
        if let localAddress = fields["localAddress"] as? String { message.localAddress = Data(bytes(localAddress)) }
        return message
    }

    private func vectors(_ section: String) throws -> [[String: Any]] {
        let all = try #require(try loadFixture("protobuf-messages")[section] as? [[String: Any]])
        return all.filter { $0["message"] as? String == "hyperdht Request" }
    }

    @Test func everyEncodeVectorEncodesToExactlyItsHex() throws {
        let vectors = try vectors("encode")
        #expect(vectors.count == 3)
        for vector in vectors {
            let hexText = try #require(vector["hex"] as? String)
            #expect(hex(try message(try #require(vector["input"] as? [String: Any])).wireBytes()) == hexText)
            #expect(try Hyperdht_Request(wireBytes: bytes(hexText)) == (try message(try #require(vector["decoded"] as? [String: Any]))))
        }
    }

    @Test func missingTypeIsAnError() throws {
        let vectors = try vectors("decode")
        #expect(vectors.count == 1)
        for vector in vectors {
            #expect(throws: BinaryDecodingError.missingRequiredFields) {
                try Hyperdht_Request(wireBytes: bytes(try #require(vector["hex"] as? String)))
            }
        }
    }

    @Test func portZeroIsWrittenWhenSet() throws {
        var lookup = Hyperdht_Request()
        lookup.type = 0
        #expect(hex(try lookup.wireBytes()) == "0800")
        lookup.port = 0
        #expect(hex(try lookup.wireBytes()) == "08001000")
    }

    @Test func everyCapturedPeersRequestValueDecodesToTheListedFieldsAndReEncodes() throws {
        var checked = 0
        for datagram in try CapturedPeersDatagram.all() {
            guard let listed = datagram.decodedFields["value"] as? [String: Any] else { continue }
            let request = try #require(datagram.request, "\(datagram.name)")
            let value = try Hyperdht_Request(wireBytes: request.value)
            #expect(value == (try message(listed)), "\(datagram.name)")
            #expect(value.hasPort, "\(datagram.name): the reference always writes port")
            #expect(try Data(value.wireBytes()) == request.value, "\(datagram.name)")
            if let address = listed["localAddressDecoded"] {
                #expect(try LocalAddressCodec.decode(value.localAddress) == (try peer(address)), "\(datagram.name)")
                #expect(try Data(LocalAddressCodec.encode(try peer(address))) == value.localAddress, "\(datagram.name)")
            } else {
                #expect(!value.hasLocalAddress, "\(datagram.name)")
            }
            checked += 1
        }
        #expect(checked == 7)
    }
}
