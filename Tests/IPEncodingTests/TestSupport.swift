import Foundation
import IPEncoding
import Testing

/// Reads a JSON fixture bundled under `Fixtures/`.
func loadFixture(_ name: String) throws -> [String: Any] {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
    return try #require(object as? [String: Any])
}

extension Array where Element == UInt8 {
    /// Bytes from lower- or upper-case hex; traps on bad hex (fixtures are trusted).
    init(hex: String) {
        let digits = Array(hex.utf8)
        precondition(digits.count.isMultiple(of: 2), "odd hex length")
        self = stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)! }
    }

    /// Lower-case hex.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}

/// A fixture `{"host": "...", "port": n}` as a PeerAddress.
func peer(_ object: Any) throws -> PeerAddress {
    let dict = try #require(object as? [String: Any])
    let host = try #require(dict["host"] as? String)
    let port = try #require(dict["port"] as? Int)
    return PeerAddress(host: try IPAddress(parsing: host), port: UInt16(port))
}

/// A fixture `{"id": hex, "host": "...", "port": n}` as a CompactNode.
func node(_ object: Any) throws -> CompactNode {
    let dict = try #require(object as? [String: Any])
    let id = try #require(dict["id"] as? String)
    return CompactNode(id: [UInt8](hex: id), address: try peer(object))
}
