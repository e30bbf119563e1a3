// Parsing and splitting `host:port` text. Only literal addresses become a `PeerAddress`; the command-line layer
// resolves DNS names (use `splitHostAndPort` to get the name and port, then resolve the name).

extension PeerAddress {
    /// Parses `1.2.3.4:5678`, `[2001:db8::1]:5678`, or a bare literal host (`1.2.3.4`, `[::1]`, `::1`), which
    /// gets `defaultPort` – hyperdht's 49737 unless told otherwise, as the reference does for bootstrap addresses.
    ///
    /// - Parameters:
    ///   - allowsPortZero: accept port 0 (for a bind address meaning "any port"); otherwise 0 is an invalid port.
    /// - Throws: ``IPEncodingError/malformedAddress(_:)``, ``IPEncodingError/invalidHost(_:)`` or
    ///   ``IPEncodingError/invalidPort(_:)``, each naming `text`. Host names are not resolved and throw
    ///   `invalidHost`.
    public init(
        parsing text: String, defaultPort: UInt16 = PeerAddress.defaultBootstrapPort, allowsPortZero: Bool = false
    ) throws(IPEncodingError) {
        let (host, port) = try Self.splitHostAndPort(text, defaultPort: defaultPort, allowsPortZero: allowsPortZero)
        guard let address = IPAddress(host), address.isIPv4 == false || !text.hasPrefix("[") else {
            throw .invalidHost(text)  // not a literal, or an IPv4 address in brackets
        }
        self.init(host: address, port: port)
    }

    /// Splits address text into host and port without interpreting the host, so a caller can resolve a name:
    /// `example.org:3282` → (`example.org`, 3282); `[::1]:9` → (`::1`, 9); `example.org` → (`example.org`,
    /// `defaultPort`). Text with two or more colons and no brackets is a bare IPv6 host.
    ///
    /// - Throws: ``IPEncodingError/malformedAddress(_:)`` (empty text, empty host, unbalanced brackets, junk after
    ///   `]`) or ``IPEncodingError/invalidPort(_:)`` (not 1–65535 in decimal), each naming `text`.
    public static func splitHostAndPort(
        _ text: String, defaultPort: UInt16 = PeerAddress.defaultBootstrapPort, allowsPortZero: Bool = false
    ) throws(IPEncodingError) -> (host: String, port: UInt16) {
        let host: Substring
        let portText: Substring?
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .malformedAddress(text) }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            if rest.isEmpty {
                portText = nil
            } else if rest.first == ":" {
                portText = rest.dropFirst()
            } else {
                throw .malformedAddress(text)
            }
        } else {
            let colons = text.count(where: { $0 == ":" })
            if colons == 1, let colon = text.firstIndex(of: ":") {
                host = text[..<colon]
                portText = text[text.index(after: colon)...]
            } else {
                host = text[...]
                portText = nil
            }
        }
        guard !host.isEmpty, !host.contains("[") && !host.contains("]") else { throw .malformedAddress(text) }
        guard let portText else { return (String(host), defaultPort) }
        guard let port = parsePort(portText), port != 0 || allowsPortZero else { throw .invalidPort(text) }
        return (String(host), port)
    }

    /// A decimal port of 1–5 ASCII digits, at most 65535.
    private static func parsePort(_ text: Substring) -> UInt16? {
        guard (1...5).contains(text.utf8.count) else { return nil }
        var value: UInt32 = 0
        for byte in text.utf8 {
            guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + UInt32(byte - UInt8(ascii: "0"))
        }
        return value <= 0xFFFF ? UInt16(value) : nil
    }
}

extension PeerAddress: LosslessStringConvertible {
    /// Parses address text as ``init(parsing:defaultPort:allowsPortZero:)`` does with its defaults; `nil` where
    /// that throws.
    public init?(_ description: String) {
        guard let address = try? PeerAddress(parsing: description) else { return nil }
        self = address
    }
}
