import DHTMessages
import Foundation
import IPEncoding
import Testing

/// Every datagram captured from the nodejs reference (dht-rpc-messages.json, hyperdht-peers.json) decodes to the
/// listed fields, its compact fields decode via IPEncoding to what is listed, and re-encoding gives the same bytes.
/// The hyperdht `value` payloads are checked in HyperDHTMessagesTests.
@Suite struct WireCodingTests {
    static let files = ["dht-rpc-messages", "hyperdht-peers"]
    /// decodedFields keys checked here; the others are hyperdht payloads, checked in HyperDHTMessagesTests.
    static let checkedHere: Set = ["nodes", "forwardRequest", "forwardResponse", "valueAsPeer"]
    static let checkedElsewhere: Set = ["value", "valueAsHyperdhtResponse"]

    @Test(arguments: files)
    func everyCapturedDatagramDecodesToItsFieldsAndReEncodesToTheSameBytes(file: String) throws {
        let vectors = try capturedVectors(file)
        #expect(vectors.count == (file == "dht-rpc-messages" ? 14 : 13))
        for vector in vectors {
            let name = vector["name"] as? String ?? "?"
            let decoded = try #require(vector["decoded"] as? [String: Any])
            let header = try #require(decoded["header"] as? [String: Any])
            let protobufHex = try #require(decoded["protobufHex"] as? String)
            let headerBytes = [UInt8](hex: try #require(header["raw"] as? String))
            #expect(vector["hex"] as? String == headerBytes.hex + protobufHex, "\(name)")
            let isRequest = headerBytes[0] & 0x80 != 0
            #expect((header["type"] as? String) == (isRequest ? "request" : "response"), "\(name)")
            #expect(header["tid"] as? Int == Int(headerBytes[0] & 0x7F) << 8 | Int(headerBytes[1]), "\(name)")
            let fields = try #require(decoded["message"] as? [String: Any])
            let body = [UInt8](hex: protobufHex)
            if isRequest {
                let message = try DhtRpc_Request(wireBytes: body)
                #expect(message == (try request(fields: fields)), "\(name)")
                #expect(try message.wireBytes() == body, "\(name)")
            } else {
                let message = try DhtRpc_Response(wireBytes: body)
                #expect(message == response(fields: fields), "\(name)")
                #expect(try message.wireBytes() == body, "\(name)")
            }
        }
    }

    @Test(arguments: files)
    func everyCompactFieldDecodesViaIPEncodingAndReEncodesToTheSameBytes(file: String) throws {
        var checked = 0
        for vector in try capturedVectors(file) {
            let name = vector["name"] as? String ?? "?"
            let decoded = try #require(vector["decoded"] as? [String: Any])
            let fields = try #require(decoded["message"] as? [String: Any])
            let extra = decoded["decodedFields"] as? [String: Any] ?? [:]
            #expect(Set(extra.keys).isSubset(of: Self.checkedHere.union(Self.checkedElsewhere)), "\(name): \(extra.keys)")
            func raw(_ key: String) throws -> [UInt8] { [UInt8](hex: try #require(fields[key] as? String, "\(name).\(key)")) }

            if let nodes = extra["nodes"] as? [Any] {
                let expected = try nodes.map(node)
                #expect(try NodeListCodec.dhtRPC.decode(try raw("nodes")) == expected, "\(name)")
                #expect(try NodeListCodec.dhtRPC.encode(expected) == (try raw("nodes")), "\(name)")
                checked += 1
            }
            for key in ["forwardRequest", "forwardResponse"] {
                guard let peers = extra[key] as? [Any] else { continue }
                let expected = try peers.map(peer)
                #expect(try PeerListCodec.ipv4.decode(try raw(key)) == expected, "\(name).\(key)")
                #expect(try PeerListCodec.ipv4.decodeSingle(try raw(key)) == expected.first, "\(name).\(key)")
                #expect(try PeerListCodec.ipv4.encode(expected) == (try raw(key)), "\(name).\(key)")
                checked += 1
            }
            if let value = extra["valueAsPeer"] {
                let expected = try peer(value)
                #expect(try PeerListCodec.ipv4.decodeSingle(try raw("value")) == expected, "\(name)")
                #expect(try PeerListCodec.ipv4.encode([expected]) == (try raw("value")), "\(name)")
                checked += 1
            }
        }
        #expect(checked == (file == "dht-rpc-messages" ? 8 : 6))
    }

    @Test func nodeListsDecodeStraightFromTheProtobufDataField() throws {
        let vector = try #require(try capturedVectors("dht-rpc-messages").first { $0["name"] as? String == "find_node_response" })
        let decoded = try #require(vector["decoded"] as? [String: Any])
        let message = try DhtRpc_Response(wireBytes: [UInt8](hex: try #require(decoded["protobufHex"] as? String)))
        let nodes = try NodeListCodec.dhtRPC.decode(message.nodes)
        let listed = try #require((decoded["decodedFields"] as? [String: Any])?["nodes"] as? [Any])
        #expect(nodes.count == listed.count && !nodes.isEmpty)
        #expect(nodes.allSatisfy { $0.id.count == 32 && $0.address.host == .loopbackV4 })
    }
}
