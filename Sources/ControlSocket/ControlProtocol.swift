import Foundation

/// The control socket's protocol constants (documented in `docs/CONTROL-PROTOCOL.md`): frames are a
/// 4-byte big-endian length and that many bytes of one JSON object.
public enum ControlProtocol {
    /// The protocol version both sides announce in their hello; a peer with another version is refused.
    public static let version = 1
    /// The largest frame a node accepts from a client (requests are small: an address, a key, a topic).
    public static let maximumRequestBytes = 64 * 1024
    /// The largest frame a client accepts from a node (a status with a full routing table fits easily).
    public static let maximumMessageBytes = 16 * 1024 * 1024

    /// Encodes `value` as one frame's JSON payload.
    static func encode(_ value: some Encodable) throws -> Data {
        try JSONEncoder().encode(value)
    }

    /// Decodes one frame's JSON payload.
    static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        try JSONDecoder().decode(type, from: Data(bytes))
    }
}
