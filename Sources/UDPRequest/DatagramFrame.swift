import DHTMessages
import SwiftProtobuf

/// One udp-request datagram: a 2-byte big-endian header (bit 15 set for a request, the low 15 bits
/// the transaction id) followed directly by a dht-rpc protobuf message, with no length or checksum.
public enum DatagramFrame: Sendable {
    /// A request (header bit 15 set) carrying a dht-rpc `Request`.
    case request(tid: UInt16, DhtRpc_Request)
    /// A response (header bit 15 clear) carrying a dht-rpc `Response`.
    case response(tid: UInt16, DhtRpc_Response)

    /// Bit 15 of the header: set on requests.
    public static let requestFlag: UInt16 = 0x8000
    /// The mask of the 15-bit transaction id.
    public static let tidMask: UInt16 = 0x7FFF

    /// The transaction id in the header.
    public var tid: UInt16 {
        switch self {
        case .request(let tid, _), .response(let tid, _): return tid
        }
    }

    /// Decodes a whole datagram. Never traps: short datagrams and bodies that are not a valid
    /// message (garbage, or a missing required field) throw a ``DatagramFrameError``.
    public static func decode(_ datagram: [UInt8]) throws(DatagramFrameError) -> DatagramFrame {
        guard datagram.count >= 2 else { throw .tooShort(length: datagram.count) }
        let header = UInt16(datagram[0]) << 8 | UInt16(datagram[1])
        let tid = header & tidMask
        let isRequest = header & requestFlag != 0
        do {
            if isRequest {
                let message = try datagram.withUnsafeBufferPointer { buffer in
                    try DhtRpc_Request(serializedBytes: RawSpan(_unsafeElements: UnsafeBufferPointer(rebasing: buffer[2...])))
                }
                return .request(tid: tid, message)
            } else {
                let message = try datagram.withUnsafeBufferPointer { buffer in
                    try DhtRpc_Response(serializedBytes: RawSpan(_unsafeElements: UnsafeBufferPointer(rebasing: buffer[2...])))
                }
                return .response(tid: tid, message)
            }
        } catch {
            throw isRequest ? .malformedRequest(tid: tid, reason: "\(error)") : .malformedResponse(tid: tid, reason: "\(error)")
        }
    }

    /// Encodes the datagram: header, then the message exactly as the reference encoder writes it
    /// (fields in number order, every set field written, empty bytes as tag + length 0).
    public func encode() throws(DatagramFrameError) -> [UInt8] {
        switch self {
        case .request(let tid, let message):
            return try Self.encode(header: Self.requestFlag | (tid & Self.tidMask), message)
        case .response(let tid, let message):
            if let datagram = message.datagram(header: tid & Self.tidMask) { return datagram }
            return try Self.encode(header: tid & Self.tidMask, message)
        }
    }

    private static func encode(header: UInt16, _ message: some SwiftProtobuf.Message) throws(DatagramFrameError) -> [UInt8] {
        do {
            let body: [UInt8] = try message.serializedBytes()
            var out = [UInt8]()
            out.reserveCapacity(body.count + 2)
            out.append(UInt8(header >> 8))
            out.append(UInt8(truncatingIfNeeded: header))
            out.append(contentsOf: body)
            return out
        } catch {
            throw .unencodable(reason: "\(error)")
        }
    }
}

/// Why a datagram could not be decoded or encoded.
public enum DatagramFrameError: Error, Equatable, Sendable {
    /// The datagram is shorter than the 2-byte header (the reference crashes on these).
    case tooShort(length: Int)
    /// The header marks a request but the body is not a valid dht-rpc `Request`.
    case malformedRequest(tid: UInt16, reason: String)
    /// The header marks a response but the body is not a valid dht-rpc `Response`.
    case malformedResponse(tid: UInt16, reason: String)
    /// The message lacks a required field and cannot be encoded.
    case unencodable(reason: String)
}
