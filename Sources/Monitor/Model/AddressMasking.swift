import IPEncoding
import KBucket

/// Privacy mode (`r`): addresses are replaced by stable pseudonyms so screenshots can be shared.
/// The same address always gets the same mask within a run, so a reader can still follow a peer.
public struct AddressMasking: Sendable {
    /// Whether masking is on.
    public var isEnabled: Bool

    /// Creates a masker.
    public init(isEnabled: Bool = false) {
        self.isEnabled = isEnabled
    }

    /// `address` as text: itself, or `peer-XXXX:port` with XXXX derived from the host.
    public func text(_ address: PeerAddress) -> String {
        guard isEnabled else { return address.description }
        return "\(mask(address.host)):\(address.port)"
    }

    /// An address or `-` for none.
    public func text(_ address: PeerAddress?) -> String {
        address.map { text($0) } ?? "-"
    }

    /// `text` with every `host:port` in it masked (words that parse as an address, trailing
    /// punctuation kept) – for sentences such as the NAT panel's evidence.
    public func text(masking sentence: String) -> String {
        guard isEnabled else { return sentence }
        return sentence.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let characters = Array(word)
            var start = 0, end = characters.count
            while start < end, characters[start] == "(" { start += 1 }
            while end > start, ",;:()".contains(characters[end - 1]) { end -= 1 }
            let core = String(characters[start..<end])
            guard core.contains(":"), let address = try? PeerAddress(parsing: core, allowsPortZero: true) else {
                return String(word)
            }
            return String(characters[..<start]) + text(address) + String(characters[end...])
        }.joined(separator: " ")
    }

    /// The masked form of a host: `host-` and four hex digits of a hash of its octets (FNV-1a, so
    /// it is stable across runs and platforms).
    public func mask(_ host: IPAddress) -> String {
        var hash: UInt32 = 2_166_136_261
        for octet in host.octets {
            hash ^= UInt32(octet)
            hash = hash &* 16_777_619
        }
        let digits = String(hash & 0xFFFF, radix: 16)
        return "host-" + String(repeating: "0", count: 4 - digits.count) + digits
    }
}
