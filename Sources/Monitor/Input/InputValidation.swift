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
    /// A host name (other than `localhost`), which this parser does not look up.
    case hostName(String)

    /// The message shown to the user.
    public var description: String {
        switch self {
        case .empty(let expected): "type \(expected)"
        case .keyLength(let digits):
            "\(digits) hex digits: a key has exactly 64 (add a non-hex character to use the text as a topic)"
        case .tooLong(let limit): "too long: at most \(limit) characters"
        case .address(.invalidHost(let text)):
            "invalid host in \"\(text)\" (expected an IPv4 address, [IPv6] or localhost, with :port)"
        case .address(let error): "\(error)"
        case .hostName(let name):
            "\"\(name)\" is a host name: type its IP address (names are not looked up here; localhost works)"
        }
    }
}

/// The one reading of keys and addresses typed by a person, for the monitor's prompts and the command
/// line alike: a key is exactly 64 hex digits, all-hex text of 48 or more other digits is a mistyped
/// key (not a topic), other text up to 256 characters is a topic; an address is a literal IPv4,
/// `[IPv6]` or `localhost`, with `:port` (hyperdht's default port when none). The command line goes
/// one step further and resolves other host names; the monitor never blocks on a name lookup.
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

    /// A literal `host:port` (IPv4, `[IPv6]:port` or `localhost:port`, which is 127.0.0.1); a bare host
    /// gets hyperdht's default port. Any other host name is ``InputError/hostName(_:)``.
    public static func address(_ text: String) -> Result<PeerAddress, InputError> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return .failure(.empty(expected: "host:port, e.g. 127.0.0.1:49737")) }
        do {
            return .success(try PeerAddress(parsing: trimmed))
        } catch .invalidHost {
            guard let (host, port) = try? PeerAddress.splitHostAndPort(trimmed) else { return .failure(.address(.invalidHost(trimmed))) }
            if host.lowercased() == "localhost" { return .success(PeerAddress(host: .loopbackV4, port: port)) }
            return .failure(isHostName(host) ? .hostName(host) : .address(.invalidHost(trimmed)))
        } catch {
            return .failure(.address(error))
        }
    }

    /// Whether `text` has the shape of a DNS name (letters, digits, hyphens and dots, not all digits and dots).
    static func isHostName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 253
            && text.unicodeScalars.allSatisfy { $0.properties.isASCIIHexDigit || ("a"..."z").contains($0) || ("A"..."Z").contains($0)
                || $0 == "-" || $0 == "." }
            && text.contains { $0.isLetter } && !text.hasPrefix(".") && !text.hasPrefix("-")
    }
}
