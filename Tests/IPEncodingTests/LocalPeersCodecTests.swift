import IPEncoding
import Testing

/// hyperdht's 4-byte localPeers records.
@Suite struct LocalPeersCodecTests {
    @Test func referenceVectorDecodesRelativeToTheRequestersLocalAddress() throws {
        let vectors = try #require(try loadFixture("ipv4-peers")["hyperdhtLocalPeers"] as? [[String: Any]])
        #expect(vectors.count == 1)
        for vector in vectors {
            let requester = try PeerAddress(parsing: try #require(vector["requesterLocalAddress"] as? String))
            let bytes = [UInt8](hex: try #require(vector["hex"] as? String))
            let expected = try #require(vector["decodesTo"] as? [String]).map { try PeerAddress(parsing: $0) }
            #expect(try LocalPeersCodec.decode(bytes, requesterLocalAddress: requester) == expected)
            #expect(try LocalPeersCodec.encode(expected).hex == vector["hex"] as? String)
        }
    }

    @Test func portZeroRecordsAreSkippedAsTheReferenceDoes() throws {
        let requester = try PeerAddress(parsing: "10.1.2.3:1")
        let decoded = try LocalPeersCodec.decode([UInt8](hex: "05060000" + "07080009"), requesterLocalAddress: requester)
        #expect(decoded == [try PeerAddress(parsing: "10.1.7.8:9")])
    }

    @Test func aPartialLastRecordThrowsUnlessIgnored() throws {
        let requester = try PeerAddress(parsing: "10.1.2.3:1")
        let bytes = [UInt8](hex: "07080009" + "0102")
        #expect(throws: IPEncodingError.partialRecord(byteCount: 6, recordLength: 4)) {
            try LocalPeersCodec.decode(bytes, requesterLocalAddress: requester)
        }
        #expect(try LocalPeersCodec.decode(bytes, requesterLocalAddress: requester, trailingBytes: .ignore) == [try PeerAddress(parsing: "10.1.7.8:9")])
    }

    @Test func ipv6IsRejectedOnBothSides() {
        let v6 = PeerAddress(host: .loopbackV6, port: 1)
        #expect(throws: IPEncodingError.addressFamilyMismatch(v6)) { try LocalPeersCodec.encode([v6]) }
        #expect(throws: IPEncodingError.addressFamilyMismatch(v6)) {
            try LocalPeersCodec.decode([UInt8](), requesterLocalAddress: v6)
        }
    }
}
