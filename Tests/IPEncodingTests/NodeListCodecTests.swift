import IPEncoding
import Testing

/// The ipv4-peers vectors with 32-byte ids (dht-rpc's `nodes` format) and the node-list error paths.
@Suite struct NodeListCodecTests {
    /// The vectors of ipv4-peers.json with idLength 32.
    private func vectors() throws -> [[String: Any]] {
        let all = try #require(try loadFixture("ipv4-peers")["vectors"] as? [[String: Any]])
        return all.filter { ($0["idLength"] as? Int) == 32 }
    }

    @Test func everyIdVectorEncodesToItsHexAndDecodesBack() throws {
        var checked = 0
        for vector in try vectors() where vector["decodeOnly"] == nil {
            let name = vector["name"] as? String ?? "?"
            let nodes = try #require(vector["peers"] as? [Any]).map(node)
            let hex = try #require(vector["hex"] as? String)
            #expect(try NodeListCodec.dhtRPC.encode(nodes).hex == hex, "\(name)")
            let back = try #require(vector["decodesBackTo"] as? [Any]).map(node)
            #expect(try NodeListCodec.dhtRPC.decode([UInt8](hex: hex)) == back, "\(name)")
            checked += 1
        }
        #expect(checked == 2)
    }

    @Test func trailingBytesAreIgnoredOnlyWhenAsked() throws {
        let vector = try #require(try vectors().first { $0["name"] as? String == "decode_id32_trailing_ignored" })
        let bytes = [UInt8](hex: try #require(vector["hex"] as? String))
        let expected = try #require((vector["result"] as? [String: Any])?["peers"] as? [Any]).map(node)
        #expect(try NodeListCodec.dhtRPC.decode(bytes, trailingBytes: .ignore) == expected)
        #expect(throws: IPEncodingError.partialRecord(byteCount: 41, recordLength: 38)) {
            try NodeListCodec.dhtRPC.decode(bytes)
        }
    }

    @Test func zeroPortThrowsWithTheRecordIndex() {
        let good = String(repeating: "11", count: 32) + "7f000001c289"
        let bad = String(repeating: "22", count: 32) + "7f0000010000"
        #expect(throws: IPEncodingError.zeroPort(recordIndex: 1)) {
            try NodeListCodec.dhtRPC.decode([UInt8](hex: good + bad))
        }
    }

    @Test func encodingANodeWithAWrongLengthIdThrows() {
        let short = CompactNode(id: [1, 2, 3], address: PeerAddress(host: .loopbackV4, port: 1))
        #expect(throws: IPEncodingError.idLengthMismatch(expected: 32, actual: 3)) {
            try NodeListCodec.dhtRPC.encode([short])
        }
    }

    @Test func forEachNodeVisitsTheSameNodesAsDecode() throws {
        let vector = try #require(try vectors().first { $0["name"] as? String == "with_id_three" })
        let bytes = [UInt8](hex: try #require(vector["hex"] as? String))
        var visited: [CompactNode] = []
        try NodeListCodec.dhtRPC.forEachNode(in: bytes) { id, address in
            visited.append(CompactNode(id: Array(id), address: address))
        }
        #expect(try visited == NodeListCodec.dhtRPC.decode(bytes))
    }

    @Test func forEachNodeCallsNothingForInvalidInput() {
        var calls = 0
        let bytes = [UInt8](repeating: 7, count: 38) + [UInt8](repeating: 0, count: 38)
        #expect(throws: IPEncodingError.zeroPort(recordIndex: 1)) {
            try NodeListCodec.dhtRPC.forEachNode(in: bytes) { _, _ in calls += 1 }
        }
        #expect(calls == 0)
    }

    @Test func otherIdLengthsAndIPv6RecordsRoundTrip() throws {
        let codec = NodeListCodec(idLength: 20, family: .ipv6)
        #expect(codec.recordLength == 38)
        let nodes = [
            CompactNode(id: Array(0..<20), address: PeerAddress(host: .loopbackV6, port: 3282)),
            CompactNode(id: Array(repeating: 0xFF, count: 20), address: PeerAddress(host: try IPAddress(parsing: "fe80::1"), port: 65535)),
        ]
        #expect(try codec.decode(codec.encode(nodes)) == nodes)
        #expect(try NodeListCodec(idLength: 0).decode([UInt8](hex: "7f000001c289")) == [CompactNode(id: [], address: PeerAddress(host: .loopbackV4, port: 49801))])
    }

    @Test func descriptionShowsHexIdAndAddress() {
        let node = CompactNode(id: [0x0a, 0xff], address: PeerAddress(host: .loopbackV4, port: 5))
        #expect(node.description == "0aff@127.0.0.1:5")
    }
}
