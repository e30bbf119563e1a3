/// An address in JSON: its text (`1.2.3.4:5678`, `[::1]:5678`), which ``PeerAddress/init(parsing:defaultPort:allowsPortZero:)``
/// reads back (port 0 allowed: a bind address). Used by the control socket's JSON lines.
extension PeerAddress: Codable {
    /// Reads the address text; anything that does not parse is a decoding error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard text.utf8.count <= 128, let address = try? PeerAddress(parsing: text, allowsPortZero: true) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an address")
        }
        self = address
    }

    /// Writes the address text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A host in JSON: its literal text (`1.2.3.4`, `::1`).
extension IPAddress: Codable {
    /// Reads the literal; anything else is a decoding error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard text.utf8.count <= 64, let address = IPAddress(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an IP address")
        }
        self = address
    }

    /// Writes the literal.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
