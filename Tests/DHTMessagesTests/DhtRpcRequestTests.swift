import DHTMessages
import Foundation
import SwiftProtobuf
import Testing

/// dht-rpc `Request` against the reference encoder's vectors (protobuf-messages.json).
@Suite struct DhtRpcRequestTests {
    private func vectors(_ section: String) throws -> [[String: Any]] {
        let all = try #require(try loadFixture("protobuf-messages")[section] as? [[String: Any]])
        return all.filter { $0["message"] as? String == "dht-rpc Request" }
    }

    @Test func everyEncodeVectorEncodesToExactlyItsHex() throws {
        let vectors = try vectors("encode")
        #expect(vectors.count == 4)
        for vector in vectors {
            let message = try request(fields: try #require(vector["input"] as? [String: Any]))
            let hex = try #require(vector["hex"] as? String)
            #expect(try message.wireBytes().hex == hex, "\(vector["note"] ?? "")")
            let decoded = try DhtRpc_Request(wireBytes: [UInt8](hex: hex))
            #expect(decoded == (try request(fields: try #require(vector["decoded"] as? [String: Any]))))
        }
    }

    /// The reference decoder accepts a truncated bytes field and keeps the bytes it got; SwiftProtobuf rejects the
    /// message. We keep the stricter behaviour: the reference never writes such a message, so it is corruption.
    private static let strictlyRejected: Set = ["0a055f70696e671205aabb"]

    @Test func everyDecodeVectorGivesTheRecordedResultOrError() throws {
        let vectors = try vectors("decode")
        #expect(vectors.count == 5)
        for vector in vectors {
            let hex = try #require(vector["hex"] as? String)
            let result = try #require(vector["result"] as? [String: Any])
            if let ok = result["ok"] as? [String: Any], !Self.strictlyRejected.contains(hex) {
                #expect(try DhtRpc_Request(wireBytes: [UInt8](hex: hex)) == (try request(fields: ok)), "\(hex)")
            } else {
                #expect(throws: BinaryDecodingError.self, "\(hex)") { try DhtRpc_Request(wireBytes: [UInt8](hex: hex)) }
            }
        }
    }

    @Test func missingCommandIsReportedAsAMissingRequiredField() {
        #expect(throws: BinaryDecodingError.missingRequiredFields) { try DhtRpc_Request(wireBytes: [UInt8]()) }
        #expect(throws: BinaryEncodingError.missingRequiredFields) { try DhtRpc_Request().wireBytes() }
    }

    @Test func unknownFieldsAreDroppedSoReEncodingMatchesTheReference() throws {
        let decoded = try DhtRpc_Request(wireBytes: [UInt8](hex: "0a055f70696e677a0101"))
        #expect(try decoded.wireBytes().hex == "0a055f70696e67")
    }

    @Test func builderLeavesNilFieldsAbsentAndWritesEmptyOnes() throws {
        let ping = DhtRpc_Request(command: DhtRpc_Request.pingCommand)
        #expect(!ping.hasID && !ping.hasTarget && !ping.hasValue)
        #expect(try ping.wireBytes().hex == "0a055f70696e67")
        let empty = DhtRpc_Request(command: DhtRpc_Request.findNodeCommand, target: Data())
        #expect(try empty.wireBytes().hex == "0a0a5f66696e645f6e6f64651a00")
    }

    @Test func decodesFromSlicesDataAndCopiedCollections() throws {
        let datagram = [UInt8](hex: "e66d0a055f70696e67")
        let expected = DhtRpc_Request(command: "_ping")
        #expect(try DhtRpc_Request(wireBytes: datagram[2...]) == expected)
        #expect(try DhtRpc_Request(wireBytes: Data(datagram.dropFirst(2))) == expected)
        #expect(try DhtRpc_Request(wireBytes: datagram.dropFirst(2).lazy.map { $0 }) == expected)
    }
}
