import NIOCore

/// Why a stream of frames could not be read; the connection is dropped and the reason counted.
public enum ControlFrameError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A frame announced `length` bytes, more than the `maximum` this side accepts.
    case oversized(length: Int, maximum: Int)
    /// A frame announced zero bytes (no JSON object is empty).
    case empty
    /// The stream ended inside a frame: `bytes` were left over.
    case truncated(bytes: Int)
    /// A frame's payload was not the JSON this side expects (`reason` from the decoder).
    case garbage(reason: String)
    /// The peer announced another protocol version.
    case incompatibleVersion(Int)
    /// The peer sent more than `limit` frames ahead of the answers.
    case flooded(limit: Int)

    public var description: String {
        switch self {
        case .oversized(let length, let maximum): "frame of \(length) bytes is over the \(maximum)-byte limit"
        case .empty: "empty frame"
        case .truncated(let bytes): "stream ended inside a frame (\(bytes) bytes left over)"
        case .garbage(let reason): "frame is not a valid message: \(reason)"
        case .incompatibleVersion(let version): "peer speaks control protocol version \(version), this side \(ControlProtocol.version)"
        case .flooded(let limit): "peer sent more than \(limit) frames ahead of the answers"
        }
    }
}

/// The length-prefixed framing: a 4-byte big-endian length, then that many payload bytes.
public enum ControlFraming {
    /// Bytes before each payload.
    public static let headerBytes = 4

    /// Takes the next whole frame's payload off the front of `buffer`; `nil` (and nothing consumed)
    /// while the frame is incomplete. Throws for a length over `maximum` or of zero, before any of
    /// that payload is buffered – an oversized length never makes this side allocate it.
    public static func nextFrame(from buffer: inout ByteBuffer, maximum: Int) throws(ControlFrameError) -> ByteBuffer? {
        guard let length32 = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else { return nil }
        let length = Int(length32)
        guard length > 0 else { throw .empty }
        guard length <= maximum else { throw .oversized(length: length, maximum: maximum) }
        guard buffer.readableBytes >= headerBytes + length else { return nil }
        buffer.moveReaderIndex(forwardBy: headerBytes)
        return buffer.readSlice(length: length)
    }

    /// `payload` as one frame.
    public static func frame(_ payload: some Collection<UInt8>, allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: headerBytes + payload.count)
        buffer.writeInteger(UInt32(truncatingIfNeeded: payload.count), endianness: .big)
        buffer.writeBytes(payload)
        return buffer
    }
}

/// Splits a connection's bytes into frames (``ControlFraming``) for the pipeline; an oversized or
/// empty length, or a stream ending inside a frame, is an error that closes the connection.
public struct ControlFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The largest payload accepted.
    public let maximumFrameBytes: Int

    /// Creates a decoder accepting payloads of up to `maximumFrameBytes`.
    public init(maximumFrameBytes: Int) {
        self.maximumFrameBytes = maximumFrameBytes
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try ControlFraming.nextFrame(from: &buffer, maximum: maximumFrameBytes) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            let left = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: left)
            throw ControlFrameError.truncated(bytes: left)
        }
        return .needMoreData
    }
}
