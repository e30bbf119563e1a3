// Parsing literal IPv4 and IPv6 addresses. Host names are not resolved here: the command-line layer resolves DNS
// names and hands literal addresses down.

extension IPAddress {
    /// Parses a literal address: dotted-decimal IPv4 (`192.168.1.5`, no leading zeros) or IPv6 in any RFC 4291
    /// text form (`::1`, `2001:db8::7`, `::ffff:1.2.3.4`), without brackets or a zone (`%eth0`).
    ///
    /// - Throws: ``IPEncodingError/invalidHost(_:)`` naming `text`. Host names are not resolved: do that first.
    public init(parsing text: some StringProtocol) throws(IPEncodingError) {
        let utf8 = Array(text.utf8)
        if let v4 = Self.parseIPv4(utf8[...]) {
            self = .v4(v4)
        } else if let (high, low) = Self.parseIPv6(utf8[...]) {
            self = .v6(high: high, low: low)
        } else {
            throw .invalidHost(String(text))
        }
    }

    /// Dotted-decimal IPv4: exactly 4 decimal parts of 1–3 digits, each at most 255, no leading zeros.
    static func parseIPv4(_ text: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        var parts = 0
        var part: UInt32 = 0
        var digits = 0
        var index = text.startIndex
        while true {
            let atEnd = index == text.endIndex
            let byte = atEnd ? UInt8(ascii: ".") : text[index]
            if byte == UInt8(ascii: ".") {
                guard digits > 0 else { return nil }
                value = value << 8 | part
                parts += 1
                if atEnd { break }
                guard parts < 4 else { return nil }
                part = 0
                digits = 0
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if digits == 1 && part == 0 { return nil }  // leading zero: "01" is octal to some parsers
                digits += 1
                part = part * 10 + UInt32(byte - UInt8(ascii: "0"))
                guard digits <= 3, part <= 255 else { return nil }
            } else {
                return nil
            }
            index += 1
        }
        return parts == 4 ? value : nil
    }

    /// RFC 4291 IPv6 text: up to 8 groups of 1–4 hex digits, at most one `::`, an optional dotted IPv4 tail.
    static func parseIPv6(_ text: ArraySlice<UInt8>) -> (UInt64, UInt64)? {
        guard !text.isEmpty, text.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        head.reserveCapacity(8)
        var sawDoubleColon = false
        var index = text.startIndex
        // A leading "::" is the only place a group may start with a colon.
        if text[index] == UInt8(ascii: ":") {
            guard text.count >= 2, text[index + 1] == UInt8(ascii: ":") else { return nil }
            sawDoubleColon = true
            index += 2
        }
        while index < text.endIndex {
            // Read one group: hex digits up to ':' or end, or an IPv4 tail if a '.' comes first.
            var end = index
            var sawDot = false
            while end < text.endIndex && text[end] != UInt8(ascii: ":") {
                if text[end] == UInt8(ascii: ".") { sawDot = true }
                end += 1
            }
            if sawDot {
                guard end == text.endIndex, let v4 = parseIPv4(text[index..<end]) else { return nil }
                let groups = [UInt16(truncatingIfNeeded: v4 >> 16), UInt16(truncatingIfNeeded: v4)]
                if sawDoubleColon { tail += groups } else { head += groups }
                index = end
                break
            }
            guard end > index, end - index <= 4 else { return nil }
            var group: UInt16 = 0
            for position in index..<end {
                guard let nibble = hexValue(text[position]) else { return nil }
                group = group << 4 | UInt16(nibble)
            }
            if sawDoubleColon { tail.append(group) } else { head.append(group) }
            index = end
            guard index < text.endIndex else { break }
            // At a ':' – either a separator or the start of the one "::".
            index += 1
            guard index < text.endIndex else { return nil }  // trailing single ':'
            if text[index] == UInt8(ascii: ":") {
                guard !sawDoubleColon else { return nil }
                sawDoubleColon = true
                index += 1
            }
            guard head.count + tail.count <= 8 else { return nil }
        }
        let total = head.count + tail.count
        if sawDoubleColon {
            guard total <= 7 else { return nil }
        } else {
            guard total == 8 else { return nil }
        }
        let groups = head + [UInt16](repeating: 0, count: 8 - total) + tail
        var high: UInt64 = 0
        var low: UInt64 = 0
        for position in 0..<4 {
            high = high << 16 | UInt64(groups[position])
            low = low << 16 | UInt64(groups[4 + position])
        }
        return (high, low)
    }

    /// The value of one ASCII hex digit.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension IPAddress: LosslessStringConvertible {
    /// Parses a literal address as ``init(parsing:)`` does; `nil` where that throws.
    public init?(_ description: String) {
        guard let address = try? IPAddress(parsing: description) else { return nil }
        self = address
    }
}
