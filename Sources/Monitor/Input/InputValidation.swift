import Foundation
import IPEncoding
import KBucket

/// What is wrong with text typed into a prompt; the message is shown under the prompt and the text
/// stays as typed.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing was typed; names what is expected.
    case empty(expected: String)
    /// All hex digits, but not 64 of them: probably a mistyped key.
    case keyLength(digits: Int)
    /// Longer than a topic may be.
    case tooLong(limit: Int)
    /// The address did not parse; carries the parser's explanation.
    case address(IPEncodingError)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .empty(let expected): "type \(expected)"
        case .keyLength(let digits):
            "\(digits) hex digits: a key has exactly 64 (add a non-hex character to use the text as a topic)"
        case .tooLong(let limit): "too long: at most \(limit) characters"
        case .address(let error): "\(error)"
        }
    }
}

/// Validates prompt input.
public enum InputValidation {
    /// The longest topic text accepted.
    public static let topicLimit = 256

    /// A key (exactly 64 hex digits) or topic text (anything else that is not empty). All-hex text of
    /// 48 or more digits other than 64 is rejected as a probable typo in a key.
    public static func lookupTarget(_ text: String) -> Result<LookupTarget, InputError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .failure(.empty(expected: "a key (64 hex digits) or a topic")) }
        let isHex = trimmed.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit }
        if isHex && trimmed.count == 64, let id = try? NodeID(hex: trimmed) { return .success(.key(id)) }
        if isHex && trimmed.count >= 48 { return .failure(.keyLength(digits: trimmed.count)) }
        guard trimmed.count <= topicLimit else { return .failure(.tooLong(limit: topicLimit)) }
        return .success(.topic(trimmed))
    }

    /// A literal `host:port` (IPv4, or `[IPv6]:port`); a bare host gets hyperdht's default port.
    public static func address(_ text: String) -> Result<PeerAddress, InputError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .failure(.empty(expected: "host:port, e.g. 127.0.0.1:49737")) }
        do {
            return .success(try PeerAddress(parsing: trimmed))
        } catch {
            return .failure(.address(error))
        }
    }
}
