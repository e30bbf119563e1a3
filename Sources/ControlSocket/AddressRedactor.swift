import Foundation

/// Replaces every IP address in a recording's JSON text (`--record FILE --redact`) – address fields and
/// addresses inside free text such as a punch diagnosis – with a stand-in from the documentation and
/// benchmarking ranges (IPv4 `198.18.x.y`, IPv6 `2001:db8::ff:n`), the same stand-in for the same
/// address throughout, so the recording still replays and peers stay apart. Ports are kept.
public struct AddressRedactor: Sendable {
    private static let ipv4 = try? NSRegularExpression(
        pattern: #"(?<![0-9A-Za-z.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9A-Za-z])"#)
    private static let ipv6 = try? NSRegularExpression(
        pattern: #"(?<![0-9A-Za-z:.])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?:%[0-9A-Za-z]+)?(?![0-9A-Za-z:])"#)

    private var standIns: [String: String] = [:]
    private var nextV4 = 1
    private var nextV6 = 1

    /// A redactor with no addresses seen yet.
    public init() {}

    /// `text` with its addresses replaced.
    public mutating func redact(_ text: String) -> String {
        var result = replace(Self.ipv4, in: text) { redactor in
            defer { redactor.nextV4 += 1 }
            return "198.18.\(redactor.nextV4 / 256 % 256).\(redactor.nextV4 % 256)"
        }
        result = replace(Self.ipv6, in: result) { redactor in
            defer { redactor.nextV6 += 1 }
            return "2001:db8::ff:\(String(redactor.nextV6 % 0x10000, radix: 16))"
        }
        return result
    }

    private mutating func replace(_ pattern: NSRegularExpression?, in text: String,
                                  make: (inout AddressRedactor) -> String) -> String {
        guard let pattern else { return text }
        let source = text as NSString
        var result = ""
        var last = 0
        for match in pattern.matches(in: text, range: NSRange(location: 0, length: source.length)) {
            result += source.substring(with: NSRange(location: last, length: match.range.location - last))
            let original = source.substring(with: match.range)
            if let known = standIns[original] {
                result += known
            } else {
                let standIn = make(&self)
                standIns[original] = standIn
                result += standIn
            }
            last = match.range.location + match.range.length
        }
        result += source.substring(from: last)
        return result
    }
}
