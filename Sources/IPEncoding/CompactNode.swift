/// One entry of a dht-rpc `nodes` list: a node id and the UDP endpoint it was seen at.
public struct CompactNode: Hashable, Sendable {
    /// The node id, exactly the list's id length (32 bytes in dht-rpc).
    public var id: [UInt8]
    /// Where the node answers.
    public var address: PeerAddress

    /// Creates an entry from an id and an endpoint.
    public init(id: [UInt8], address: PeerAddress) {
        self.id = id
        self.address = address
    }
}

extension CompactNode: CustomStringConvertible {
    /// The whole id in lower-case hex, `@`, then the endpoint, e.g. `693d…9c64@127.0.0.1:49801` (id shortened here).
    public var description: String {
        let digits: [Character] = Array("0123456789abcdef")
        var hex = ""
        hex.reserveCapacity(id.count * 2)
        for byte in id {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return "\(hex)@\(address)"
    }
}
