/// A node id in JSON: its lower-case hex string (what the monitor and the command line print). Used by
/// the control socket's JSON lines (`docs/CONTROL-PROTOCOL.md`).
extension NodeID: Codable {
    /// Reads the hex string; anything else (odd length, non-hex digits) is a decoding error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard text.utf8.count <= 512, let id = try? NodeID(hex: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a hex node id")
        }
        self = id
    }

    /// Writes the hex string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hexString)
    }
}
