import DHTMessages
import Foundation
import SwiftProtobuf
import Testing

/// `DhtRpc_Response.datagram(header:)`, the one-allocation encoder every node answer uses, against the captured
/// reference datagrams and against SwiftProtobuf's own encoder for every combination of fields.
@Suite struct ResponseDatagramTests {
    @Test func everyCapturedResponseIsReencodedByteForByte() throws {
        var checked = 0
        for vector in try capturedVectors("dht-rpc-messages") {
            let hex = try #require(vector["hex"] as? String)
            let bytes = [UInt8](hex: hex)
            guard bytes[0] & 0x80 == 0 else { continue }
            let message = try DhtRpc_Response(wireBytes: bytes[2...])
            let header = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
            #expect(message.datagram(header: header)?.hex == hex, "\(vector["name"] ?? "")")
            checked += 1
        }
        #expect(checked >= 4)
    }

    @Test func everyFieldCombinationMatchesSwiftProtobuf() throws {
        // Lengths around the one- and two-byte varint boundary (127/128) and a 20-node `nodes` field (760 bytes).
        let samples: [Data] = [Data(), Data([7]), Data(repeating: 0xAB, count: 127), Data(repeating: 0xCD, count: 128),
                               Data(repeating: 0xEF, count: 760), Data(repeating: 1, count: 20_000)]
        for mask in 0..<16 {
            for sample in samples {
                var message = DhtRpc_Response()
                if mask & 1 != 0 { message.id = Data(repeating: 0x11, count: 32) }
                if mask & 2 != 0 { message.nodes = sample }
                if mask & 4 != 0 { message.value = sample }
                if mask & 8 != 0 { message.roundtripToken = sample }
                let expected: [UInt8] = [0x12, 0x34] + (try message.serializedBytes())
                #expect(message.datagram(header: 0x1234) == expected, "fields \(mask), \(sample.count) bytes")
            }
        }
    }

    @Test func aResponseWithUnknownFieldsIsLeftToTheGeneralEncoder() throws {
        // Field 9 (varint) is unknown to dht-rpc; SwiftProtobuf keeps it unless told to discard it.
        let message = try DhtRpc_Response(serializedBytes: [0x0A, 0x01, 0x05, 0x48, 0x01])
        #expect(!message.unknownFields.data.isEmpty)
        #expect(message.datagram(header: 0) == nil)
    }
}
