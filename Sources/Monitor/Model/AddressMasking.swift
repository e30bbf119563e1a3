import IPEncoding
import KBucket

/// Privacy mode (`r`): addresses are replaced by stable pseudonyms so screenshots can be shared.
/// The same address always gets the same mask within a run, so a reader can still follow a peer.
public struct AddressMasking: Sendable, Equatable {
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

    /// `sentence` with every literal address in it masked – `host:port`, `[v6]:port` and bare hosts,
    /// wherever they stand (in brackets, before a full stop, inside an error message) – for any text
    /// the monitor shows. A run of address characters that touches a letter or digit (`1.5ms`,
    /// `h1:3`) is not an address and stays as it is.
    public func text(masking sentence: String) -> String {
        guard isEnabled, sentence.contains(where: { $0 == "." || $0 == ":" }) else { return sentence }
        let characters = Array(sentence)
        var output = ""
        output.reserveCapacity(sentence.utf8.count)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            guard Self.isAddressCharacter(character) else {
                output.append(character)
                index += 1
                continue
            }
            var end = index
            while end < characters.count, Self.isAddressCharacter(characters[end]) { end += 1 }
            if index > 0 && Self.isWordCharacter(characters[index - 1]) {  // the tail of a word (`v1.2.3.4`)
                output += String(characters[index..<end])
                index = end
                continue
            }
            var coreEnd = end  // a full stop or colon after an address ends the sentence or clause
            while coreEnd > index, characters[coreEnd - 1] == "." || characters[coreEnd - 1] == ":" { coreEnd -= 1 }
            let standsAlone = end == characters.count || !Self.isWordCharacter(characters[end])
            if standsAlone, let masked = maskedAddress(String(characters[index..<coreEnd])) {
                output += masked
                output += String(characters[coreEnd..<end])
            } else {
                output += String(characters[index..<end])
            }
            index = end
        }
        return output
    }

    /// `text` masked if it is a literal host or address.
    private func maskedAddress(_ text: String) -> String? {
        guard text.contains(where: { $0 == "." || $0 == ":" }) else { return nil }
        if let host = try? IPAddress(parsing: text) { return mask(host) }
        if text.contains(":"), let address = try? PeerAddress(parsing: text, allowsPortZero: true) { return self.text(address) }
        return nil
    }

    private static func isAddressCharacter(_ character: Character) -> Bool {
        character.isHexDigit || character == "." || character == ":" || character == "[" || character == "]"
    }

    private static func isWordCharacter(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_"
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
