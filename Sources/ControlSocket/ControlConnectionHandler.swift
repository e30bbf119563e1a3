import NIOCore

/// The pipeline end of one client connection on the node's side: hands the client's frames to the
/// connection's task as a bounded stream, which ends when the client goes and throws when a frame
/// could not be read (``ControlFrameDecoder``) or the client sends faster than the node answers.
final class ControlConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    /// Frames not yet taken by the connection's task; more close the connection.
    static let bufferedFrames = 256

    /// The client's frames, in order.
    let frames: AsyncThrowingStream<ByteBuffer, any Error>
    private let continuation: AsyncThrowingStream<ByteBuffer, any Error>.Continuation

    init() {
        (frames, continuation) = AsyncThrowingStream<ByteBuffer, any Error>.makeStream(
            bufferingPolicy: .bufferingOldest(Self.bufferedFrames))
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .dropped = continuation.yield(unwrapInboundIn(data)) {
            continuation.finish(throwing: ControlFrameError.flooded(limit: Self.bufferedFrames))
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        continuation.finish(throwing: error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        continuation.finish()
        context.fireChannelInactive()
    }
}
