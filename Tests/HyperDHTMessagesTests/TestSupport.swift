import DHTMessages
import Foundation
import IPEncoding
import Testing

/// Reads a JSON fixture bundled under `Fixtures/`.
func loadFixture(_ name: String) throws -> [String: Any] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    return try #require(object as? [String: Any])
}

/// Bytes from hex; traps on bad hex (fixtures are trusted).
func bytes(_ hex: String) -> [UInt8] {
    let digits = Array(hex.utf8)
    precondition(digits.count.isMultiple(of: 2), "odd hex length")
    return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
}

/// Lower-case hex of `bytes`.
func hex(_ bytes: some Sequence<UInt8>) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

/// A fixture `{"host", "port"}` as a PeerAddress.
func peer(_ object: Any) throws -> PeerAddress {
    let dict = try #require(object as? [String: Any])
    let port = try #require(dict["port"] as? Int)
    return PeerAddress(host: try IPAddress(parsing: try #require(dict["host"] as? String)), port: UInt16(port))
}

/// One captured datagram of hyperdht-peers.json, decoded down to its dht-rpc message.
struct CapturedPeersDatagram {
    let name: String
    let request: DhtRpc_Request?
    let response: DhtRpc_Response?
    let decodedFields: [String: Any]

    /// All 13 datagrams of hyperdht-peers.json.
    static func all() throws -> [CapturedPeersDatagram] {
        let vectors = try #require(try loadFixture("hyperdht-peers")["vectors"] as? [[String: Any]])
        return try vectors.map { vector in
            let decoded = try #require(vector["decoded"] as? [String: Any])
            let header = try #require(decoded["header"] as? [String: Any])
            let body = bytes(try #require(decoded["protobufHex"] as? String))
            let isRequest = header["type"] as? String == "request"
            return CapturedPeersDatagram(
                name: vector["name"] as? String ?? "?",
                request: isRequest ? try DhtRpc_Request(wireBytes: body) : nil,
                response: isRequest ? nil : try DhtRpc_Response(wireBytes: body),
                decodedFields: decoded["decodedFields"] as? [String: Any] ?? [:])
        }
    }
}

/// SplitMix64: a tiny seeded generator so every random test run is the same.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    /// Starts the sequence at `seed`.
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
