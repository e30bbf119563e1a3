import NIOCore

/// The one handler in a transport's channel pipeline: forwards received envelopes, receive errors
/// and the channel's closing to its ``UDPDatagramTransport``, and writes envelopes for it.
///
/// Lives and runs on the channel's event loop only.
final class UDPDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// The transport to notify; cleared when the transport closes or abandons this channel.
    weak var transport: UDPDatagramTransport?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        transport?.received(unwrapInboundIn(data))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Datagram receive errors (ICMP unreachable and the like) are not fatal: count them and
        // keep the channel. NIO itself closes the channel on errors it deems fatal.
        transport?.receiveFailed(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        transport?.channelBecameInactive(from: self)
        context.fireChannelInactive()
    }

    /// Writes and flushes `envelope`; returns `false` if the handler is no longer in a pipeline.
    func write(_ envelope: AddressedEnvelope<ByteBuffer>, promise: EventLoopPromise<Void>) -> Bool {
        guard let context else { return false }
        context.writeAndFlush(wrapOutboundOut(envelope), promise: promise)
        return true
    }
}
