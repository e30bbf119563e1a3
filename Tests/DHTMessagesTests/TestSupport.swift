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

/// The `vectors` of a captured-datagram fixture (dht-rpc-messages, hyperdht-peers).
func capturedVectors(_ name: String) throws -> [[String: Any]] {
    try #require(try loadFixture(name)["vectors"] as? [[String: Any]])
}

extension Array where Element == UInt8 {
    /// Bytes from hex; traps on bad hex (fixtures are trusted).
    init(hex: String) {
        let digits = Array(hex.utf8)
        precondition(digits.count.isMultiple(of: 2), "odd hex length")
        self = stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
    }

    /// Lower-case hex.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// Bytes from hex as `Data`, the type of protobuf `bytes` fields.
func data(_ hex: String) -> Data { Data([UInt8](hex: hex)) }

/// A dht-rpc Request built from a fixture's field dictionary (command as text, the rest as hex).
func request(fields: [String: Any]) throws -> DhtRpc_Request {
    let known: Set = ["command", "id", "target", "forwardRequest", "forwardResponse", "roundtripToken", "value"]
    #expect(Set(fields.keys).isSubset(of: known), "unexpected Request fields \(fields.keys.sorted())")
    func bytes(_ key: String) -> Data? { (fields[key] as? String).map(data) }
    return DhtRpc_Request(
        command: try #require(fields["command"] as? String), id: bytes("id"), target: bytes("target"),
        forwardRequest: bytes("forwardRequest"), forwardResponse: bytes("forwardResponse"),
        roundtripToken: bytes("roundtripToken"), value: bytes("value"))
}

/// A dht-rpc Response built from a fixture's field dictionary (all hex).
func response(fields: [String: Any]) -> DhtRpc_Response {
    let known: Set = ["id", "nodes", "value", "roundtripToken"]
    #expect(Set(fields.keys).isSubset(of: known), "unexpected Response fields \(fields.keys.sorted())")
    func bytes(_ key: String) -> Data? { (fields[key] as? String).map(data) }
    return DhtRpc_Response(id: bytes("id"), nodes: bytes("nodes"), value: bytes("value"), roundtripToken: bytes("roundtripToken"))
}

/// A fixture `{"host", "port"}` as a PeerAddress.
func peer(_ object: Any) throws -> PeerAddress {
    let dict = try #require(object as? [String: Any])
    let port = try #require(dict["port"] as? Int)
    return PeerAddress(host: try IPAddress(parsing: try #require(dict["host"] as? String)), port: UInt16(port))
}

/// A fixture `{"id", "host", "port"}` as a CompactNode.
func node(_ object: Any) throws -> CompactNode {
    let dict = try #require(object as? [String: Any])
    return CompactNode(id: [UInt8](hex: try #require(dict["id"] as? String)), address: try peer(object))
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
