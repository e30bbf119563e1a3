import Foundation

extension DhtRpc_Response {
    /// The whole datagram for this response: the 2-byte udp-request `header`, then the message's binary encoding,
    /// built in one allocation. Every node answer goes through here, so it skips SwiftProtobuf's visitor and the
    /// copy of its output; the bytes are exactly what `serializedBytes()` writes (fields in number order, every set
    /// field written, empty bytes as tag + length 0). Returns `nil` when the message carries unknown fields (only a
    /// decoded message can): those callers take the general encoder.
    public func datagram(header: UInt16) -> [UInt8]? {
        guard unknownFields.data.isEmpty else { return nil }
        var size = 2
        if hasID { size += Self.fieldSize(id.count) }
        if hasNodes { size += Self.fieldSize(nodes.count) }
        if hasValue { size += Self.fieldSize(value.count) }
        if hasRoundtripToken { size += Self.fieldSize(roundtripToken.count) }
        var out: [UInt8] = []
        out.reserveCapacity(size)
        out.append(UInt8(header >> 8))
        out.append(UInt8(truncatingIfNeeded: header))
        if hasID { Self.append(tag: 0x0A, id, to: &out) }
        if hasNodes { Self.append(tag: 0x12, nodes, to: &out) }
        if hasValue { Self.append(tag: 0x1A, value, to: &out) }
        if hasRoundtripToken { Self.append(tag: 0x22, roundtripToken, to: &out) }
        return out
    }

    /// Tag byte, varint length, bytes.
    private static func fieldSize(_ length: Int) -> Int {
        1 + varintSize(UInt64(length)) + length
    }

    private static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var rest = value >> 7
        while rest != 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    private static func append(tag: UInt8, _ bytes: Data, to out: inout [UInt8]) {
        out.append(tag)
        var length = UInt64(bytes.count)
        while length >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: length) | 0x80)
            length >>= 7
        }
        out.append(UInt8(length))
        // Through a raw buffer: one copy, where appending `Data` as a sequence goes byte by byte.
        bytes.withUnsafeBytes { out.append(contentsOf: $0) }
    }
}
