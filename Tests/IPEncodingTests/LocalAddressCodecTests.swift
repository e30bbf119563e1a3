import IPEncoding
import Testing

/// hyperdht's 6-byte localAddress field.
@Suite struct LocalAddressCodecTests {
    @Test func encodesAsOneIPv4PeerRecordAndDecodesBack() throws {
        let address = try PeerAddress(parsing: "192.168.1.5:8000")
        let bytes = try LocalAddressCodec.encode(address)
        #expect(bytes.hex == "c0a801051f40")
        #expect(try LocalAddressCodec.decode(bytes) == address)
    }

    @Test func portZeroEncodesButDoesNotDecode() throws {
        let bytes = try LocalAddressCodec.encode(PeerAddress(host: IPAddress(192, 168, 3, 3), port: 0))
        #expect(bytes.hex == "c0a803030000")
        #expect(throws: IPEncodingError.zeroPort(recordIndex: 0)) { try LocalAddressCodec.decode(bytes) }
    }

    @Test func anyLengthButSixThrows() {
        for length in [0, 4, 5, 7, 18] {
            #expect(throws: IPEncodingError.invalidLength(expected: 6, actual: length)) {
                try LocalAddressCodec.decode([UInt8](repeating: 1, count: length))
            }
        }
    }
}
