import Crypto
import IPEncoding
import KBucket

/// Privacy mode (`r`): addresses are replaced by pseudonyms so screenshots can be shared.
///
/// A mask is a keyed hash (HMAC-SHA256, truncated) under a key drawn at random once per run: the same
/// address always gets the same mask within a run, so a reader can still follow a peer, but masks
/// differ from run to run and cannot be reversed by hashing candidate addresses – without the key,
/// `host-3f9a0c` says nothing about which host it stands for. Ports are masked too (`:p` and four
/// hex digits, keyed on host and port), since a port next to a known network narrows a host down.
public struct AddressMasking: Sendable, Equatable {
    /// Whether masking is on.
    public var isEnabled: Bool
    /// The key of the hash.
    private let key: SymmetricKey

    /// The key of this run: drawn from the system's random source when first used, then kept.
    public static let runKey = SymmetricKey(size: .bits256)

    /// Creates a masker using this run's key (tests may pass their own).
    public init(isEnabled: Bool = false, key: SymmetricKey = AddressMasking.runKey) {
        self.isEnabled = isEnabled
        self.key = key
    }

    /// `address` as text: itself, or `host-XXXXXX:pYYYY` with both parts keyed hashes.
    public func text(_ address: PeerAddress) -> String {
        guard isEnabled else { return address.description }
        return "\(mask(address.host)):\(maskPort(address))"
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

    /// The masked form of a host: `host-` and six hex digits (24 bits, so a run's few hundred hosts
    /// rarely share one) of the keyed hash of its octets.
    public func mask(_ host: IPAddress) -> String {
        "host-" + hexDigits(of: [0x68] + host.octets, count: 6)  // "h": a host, not a port
    }

    /// The masked form of `address`'s port: `p` and four hex digits of the keyed hash of host and port,
    /// so the same port on two hosts does not link them.
    public func maskPort(_ address: PeerAddress) -> String {
        "p" + hexDigits(of: [0x70] + address.host.octets + [UInt8(address.port >> 8), UInt8(address.port & 0xFF)], count: 4)
    }

    private func hexDigits(of message: [UInt8], count: Int) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: message, using: key)
        let digits = "0123456789abcdef".utf8.map { Character(UnicodeScalar($0)) }
        var text = ""
        text.reserveCapacity(count)
        for byte in code.prefix((count + 1) / 2) {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(text.prefix(count))
    }
}
