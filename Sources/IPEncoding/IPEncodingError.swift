/// Everything that can go wrong while encoding or decoding compact addresses or parsing address text.
///
/// Decoders throw these instead of trapping; a caller handling a datagram drops the field or the packet
/// (the nodejs reference catches ipv4-peers' exceptions the same way).
public enum IPEncodingError: Error, Hashable, Sendable {
    /// The input (`byteCount` bytes) is not a whole number of `recordLength`-byte records.
    case partialRecord(byteCount: Int, recordLength: Int)
    /// The record at `recordIndex` carries port 0, which ipv4-peers rejects ("Port should be > 0 and < 65536").
    case zeroPort(recordIndex: Int)
    /// A fixed-size encoding (one peer, a hyperdht localAddress) was `actual` bytes instead of `expected`.
    case invalidLength(expected: Int, actual: Int)
    /// A node to encode has an id of `actual` bytes where the list's records hold `expected`-byte ids.
    case idLengthMismatch(expected: Int, actual: Int)
    /// An address that does not fit the record format: an IPv6 address in an IPv4-only encoding, or the reverse.
    case addressFamilyMismatch(PeerAddress)
    /// Address text whose shape is wrong (empty, unbalanced brackets, junk after the port); holds the whole text.
    case malformedAddress(String)
    /// Address text whose host is not a literal IPv4 or IPv6 address; holds the whole text.
    case invalidHost(String)
    /// Address text whose port is missing, not decimal, or out of range; holds the whole text.
    case invalidPort(String)
}

extension IPEncodingError: CustomStringConvertible {
    /// A one-line English explanation, naming the offending text for parse errors.
    public var description: String {
        switch self {
        case .partialRecord(let byteCount, let recordLength):
            return "\(byteCount) bytes is not a whole number of \(recordLength)-byte records"
        case .zeroPort(let index):
            return "record \(index) has port 0"
        case .invalidLength(let expected, let actual):
            return "expected \(expected) bytes, got \(actual)"
        case .idLengthMismatch(let expected, let actual):
            return "node id is \(actual) bytes, records hold \(expected)-byte ids"
        case .addressFamilyMismatch(let address):
            return "\(address) does not fit this address family's records"
        case .malformedAddress(let text):
            return "malformed address \"\(text)\" (expected host, host:port or [ipv6]:port)"
        case .invalidHost(let text):
            return "invalid host in \"\(text)\" (only literal IPv4/IPv6 addresses; names are resolved by the caller)"
        case .invalidPort(let text):
            return "invalid port in \"\(text)\" (expected 1-65535)"
        }
    }
}
