import IPEncoding

/// The one shape of an address in `--json` output, in every command:
/// `{"host": "127.0.0.1", "port": 49737, "family": 4}` (`family` 6 for IPv6, IPv4-mapped ones included;
/// `host` is the canonical literal, without brackets).
struct JSONAddress: Codable, Sendable, Equatable {
    /// The IP literal.
    var host: String
    /// The UDP port.
    var port: UInt16
    /// 4 or 6.
    var family: Int

    /// The JSON form of `address`.
    init(_ address: PeerAddress) {
        host = address.host.description
        port = address.port
        family = address.host.isIPv4 ? 4 : 6
    }

    /// Reads the object back; a host that is no IP literal, or a family that does not match it, is a
    /// decoding error.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decode(String.self, forKey: .host)
        port = try container.decode(UInt16.self, forKey: .port)
        family = try container.decode(Int.self, forKey: .family)
        guard let ip = IPAddress(host), family == (ip.isIPv4 ? 4 : 6) else {
            throw DecodingError.dataCorruptedError(forKey: .host, in: container,
                                                   debugDescription: "not an IPv\(family) literal: \(host)")
        }
    }

    /// The address this object names (`nil` only for one built by hand with a bad host).
    var peerAddress: PeerAddress? {
        IPAddress(host).map { PeerAddress(host: $0, port: port) }
    }
}
