import DHTMessages
import Foundation
import SwiftProtobuf
import Testing

/// dht-rpc `Response` against the reference encoder's vectors (protobuf-messages.json).
@Suite struct DhtRpcResponseTests {
    private func vectors(_ section: String) throws -> [[String: Any]] {
        let all = try #require(try loadFixture("protobuf-messages")[section] as? [[String: Any]])
        return all.filter { $0["message"] as? String == "dht-rpc Response" }
    }

    @Test func everyEncodeVectorEncodesToExactlyItsHex() throws {
        let vectors = try vectors("encode")
        #expect(vectors.count == 2)
        for vector in vectors {
            let message = response(fields: try #require(vector["input"] as? [String: Any]))
            let hex = try #require(vector["hex"] as? String)
            #expect(try message.wireBytes().hex == hex, "\(vector["note"] ?? "")")
            let decoded = try DhtRpc_Response(wireBytes: [UInt8](hex: hex))
            #expect(decoded == response(fields: try #require(vector["decoded"] as? [String: Any])))
        }
    }

    @Test func everyDecodeVectorGivesTheRecordedResultOrError() throws {
        let vectors = try vectors("decode")
        #expect(vectors.count == 1)
        for vector in vectors {
            let hex = try #require(vector["hex"] as? String)
            let result = try #require(vector["result"] as? [String: Any])
            if let ok = result["ok"] as? [String: Any] {
                #expect(try DhtRpc_Response(wireBytes: [UInt8](hex: hex)) == response(fields: ok))
            } else {
                #expect(throws: BinaryDecodingError.self) { try DhtRpc_Response(wireBytes: [UInt8](hex: hex)) }
            }
        }
    }

    @Test func headerOnlyDatagramDecodesAsAnEmptyResponse() throws {
        let empty = try DhtRpc_Response(wireBytes: [UInt8]())
        #expect(empty == DhtRpc_Response())
        #expect(try empty.wireBytes().isEmpty)
    }

    @Test func presentButEmptyNodesAreKeptDistinctFromAbsentNodes() throws {
        #expect(try DhtRpc_Response(wireBytes: [UInt8](hex: "1200")).hasNodes)
        #expect(try !DhtRpc_Response(wireBytes: [UInt8](hex: "")).hasNodes)
    }
}
