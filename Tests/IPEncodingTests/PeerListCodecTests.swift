import IPEncoding
import Testing

/// The ipv4-peers vectors without ids, plus the IPv6 form and the error paths.
@Suite struct PeerListCodecTests {
    /// The vectors of ipv4-peers.json with idLength 0.
    private func vectors() throws -> [[String: Any]] {
        let all = try #require(try loadFixture("ipv4-peers")["vectors"] as? [[String: Any]])
        return all.filter { ($0["idLength"] as? Int) == 0 }
    }

    @Test func everyIPv4PeersVectorEncodesToItsHexAndDecodesBack() throws {
        var checked = 0
        for vector in try vectors() where vector["decodeOnly"] == nil {
            let name = vector["name"] as? String ?? "?"
            let peers = try #require(vector["peers"] as? [Any]).map(peer)
            let hex = try #require(vector["hex"] as? String)
            #expect(try PeerListCodec.ipv4.encode(peers).hex == hex, "\(name)")
            let back = try #require(vector["decodesBackTo"] as? [Any]).map(peer)
            #expect(try PeerListCodec.ipv4.decode([UInt8](hex: hex)) == back, "\(name)")
            checked += 1
        }
        #expect(checked == 4)
    }

    @Test func decodeOnlyVectorsGiveTheReferenceResultWhenTrailingBytesAreIgnored() throws {
        var checked = 0
        for vector in try vectors() where vector["decodeOnly"] as? Bool == true {
            let name = vector["name"] as? String ?? "?"
            let bytes = [UInt8](hex: try #require(vector["hex"] as? String))
            let result = try #require(vector["result"] as? [String: Any])
            if let expected = result["peers"] as? [Any] {
                #expect(try PeerListCodec.ipv4.decode(bytes, trailingBytes: .ignore) == expected.map(peer), "\(name)")
            } else {
                #expect(result["error"] != nil)
                #expect(throws: IPEncodingError.zeroPort(recordIndex: 0), "\(name)") {
                    try PeerListCodec.ipv4.decode(bytes, trailingBytes: .ignore)
                }
            }
            checked += 1
        }
        #expect(checked == 3)
    }

    @Test func trailingBytesThrowByDefault() {
        #expect(throws: IPEncodingError.partialRecord(byteCount: 8, recordLength: 6)) {
            try PeerListCodec.ipv4.decode([UInt8](hex: "7f000001c2890102"))
        }
        #expect(throws: IPEncodingError.partialRecord(byteCount: 3, recordLength: 6)) {
            try PeerListCodec.ipv4.decode([UInt8](hex: "7f0000"))
        }
    }

    @Test func zeroPortInALaterRecordNamesThatRecord() {
        #expect(throws: IPEncodingError.zeroPort(recordIndex: 2)) {
            try PeerListCodec.ipv4.decode([UInt8](hex: "7f000001c289" + "0a0000010001" + "0a0000020000"))
        }
    }

    @Test func decodingReadsSlicesAndNonContiguousCollectionsAlike() throws {
        let framed = [UInt8](hex: "abcd" + "c0a801051f40080808080035")
        let expected = [PeerAddress(host: IPAddress(192, 168, 1, 5), port: 8000), PeerAddress(host: IPAddress(8, 8, 8, 8), port: 53)]
        #expect(try PeerListCodec.ipv4.decode(framed[2...]) == expected)
        #expect(try PeerListCodec.ipv4.decode(framed.dropFirst(2).lazy.map { $0 }) == expected)
        #expect(try PeerListCodec.ipv4.decode(NonContiguousBytes(framed.dropFirst(2))) == expected)
    }

    @Test func ipv6PeersRoundTripIn18ByteRecords() throws {
        let peers = [
            PeerAddress(host: try IPAddress(parsing: "2001:db8::1"), port: 49737),
            PeerAddress(host: .loopbackV6, port: 1),
        ]
        let bytes = try PeerListCodec.ipv6.encode(peers)
        #expect(bytes.hex == "20010db8000000000000000000000001c249" + "00000000000000000000000000000001" + "0001")
        #expect(try PeerListCodec.ipv6.decode(bytes) == peers)
        #expect(throws: IPEncodingError.partialRecord(byteCount: 35, recordLength: 18)) {
            try PeerListCodec.ipv6.decode(bytes.dropLast())
        }
    }

    @Test func encodingAnAddressOfTheOtherFamilyThrows() {
        let v6 = PeerAddress(host: .loopbackV6, port: 9)
        #expect(throws: IPEncodingError.addressFamilyMismatch(v6)) { try PeerListCodec.ipv4.encode([v6]) }
        let v4 = PeerAddress(host: .loopbackV4, port: 9)
        #expect(throws: IPEncodingError.addressFamilyMismatch(v4)) { try PeerListCodec.ipv6.encode([v4]) }
    }

    @Test func ipv4MappedAddressesEncodeAsIPv4() throws {
        let mapped = PeerAddress(host: try IPAddress(parsing: "::ffff:127.0.0.1"), port: 49737)
        #expect(try PeerListCodec.ipv4.encode([mapped]).hex == "7f000001c249")
    }

    @Test func encodingIntoDataLikeOutputAppends() throws {
        var output: [UInt8] = [0xAA]
        try PeerListCodec.ipv4.encode([PeerAddress(host: .loopbackV4, port: 0)], into: &output)
        #expect(output.hex == "aa7f0000010000")
    }

    @Test func decodeSingleWantsExactlyOneValidRecord() throws {
        #expect(try PeerListCodec.ipv4.decodeSingle([UInt8](hex: "7f000001c289")) == PeerAddress(host: .loopbackV4, port: 49801))
        #expect(throws: IPEncodingError.invalidLength(expected: 6, actual: 0)) { try PeerListCodec.ipv4.decodeSingle([UInt8]()) }
        #expect(throws: IPEncodingError.invalidLength(expected: 6, actual: 12)) {
            try PeerListCodec.ipv4.decodeSingle([UInt8](hex: "7f000001c2897f000001c289"))
        }
        #expect(throws: IPEncodingError.zeroPort(recordIndex: 0)) { try PeerListCodec.ipv4.decodeSingle([UInt8](hex: "7f0000010000")) }
    }
}

/// A collection with no contiguous storage, to exercise the decoders' copying path.
private struct NonContiguousBytes: Collection {
    let base: [UInt8]
    init(_ base: ArraySlice<UInt8>) { self.base = Array(base) }
    var startIndex: Int { 0 }
    var endIndex: Int { base.count }
    func index(after index: Int) -> Int { index + 1 }
    subscript(position: Int) -> UInt8 { base[position] }
}
