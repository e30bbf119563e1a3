import Foundation

/// One datagram captured off the wire from the nodejs reference (fixtures copied from
/// ../shared/vectors).
struct CapturedDatagram {
    var file: String
    var name: String
    var bytes: [UInt8]
    var isRequest: Bool
    var tid: UInt16
    var command: String?
    var from: String?
    var to: String?

    /// Every captured datagram in the UDPRequest fixtures.
    static func all() throws -> [CapturedDatagram] {
        var out: [CapturedDatagram] = []
        for file in ["dht-rpc-messages", "hyperdht-peers", "udp-request-frames"] {
            guard let url = Bundle.module.url(forResource: file, withExtension: "json", subdirectory: "Fixtures") else {
                throw FixtureError.missing(file)
            }
            let root = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]
            for vector in root?["vectors"] as? [[String: Any]] ?? [] {
                guard let hex = vector["hex"] as? String,
                      let decoded = vector["decoded"] as? [String: Any],
                      let header = decoded["header"] as? [String: Any] else { continue }
                let message = decoded["message"] as? [String: Any]
                out.append(CapturedDatagram(
                    file: file, name: vector["name"] as? String ?? "?",
                    bytes: try hexBytes(hex),
                    isRequest: header["type"] as? String == "request",
                    tid: UInt16(header["tid"] as? Int ?? -1),
                    command: (message?["command"] ?? decoded["command"]) as? String,
                    from: vector["from"] as? String, to: vector["to"] as? String
                ))
            }
        }
        return out
    }
}

enum FixtureError: Error { case missing(String), badHex(String) }

func hexBytes(_ hex: String) throws -> [UInt8] {
    guard hex.count % 2 == 0 else { throw FixtureError.badHex(hex) }
    var out: [UInt8] = []
    out.reserveCapacity(hex.count / 2)
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        guard let byte = UInt8(hex[index..<next], radix: 16) else { throw FixtureError.badHex(hex) }
        out.append(byte)
        index = next
    }
    return out
}
