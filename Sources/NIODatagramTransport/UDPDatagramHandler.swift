import NIOCore

/// The one handler in a transport's channel pipeline: forwards received envelopes, receive errors
/// and the channel's closing to its ``UDPDatagramTransport``, and writes envelopes for it.
///
/// Writes made while a read burst is being delivered (the datagrams NIO reads in one go: on Linux up
/// to four `recvmmsg` of 16) are queued and flushed once when the burst ends, so NIO sends the replies
/// to a burst with one `sendmmsg`; writes at any other time are flushed at once. The protocol above
/// never sees the difference: every write still goes out within the same event-loop tick.
///
/// Lives and runs on the channel's event loop only.
final class UDPDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// The transport to notify; cleared when the transport closes or abandons this channel.
    weak var transport: UDPDatagramTransport?
    private var context: ChannelHandlerContext?
    /// Whether NIO is delivering a read burst (set by the first read, cleared at read-complete).
    private var inReadBurst = false
    /// Whether writes are queued in the channel and not yet flushed.
    private var hasUnflushedWrites = false

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inReadBurst = true
        transport?.received(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inReadBurst = false
        flushIfNeeded(context)
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Datagram receive errors (ICMP unreachable and the like) are not fatal: count them and
        // keep the channel. NIO itself closes the channel on errors it deems fatal.
        transport?.receiveFailed(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        inReadBurst = false
        hasUnflushedWrites = false
        transport?.channelBecameInactive(from: self)
        context.fireChannelInactive()
    }

    /// Writes `envelope` – flushed at once, or at the end of the read burst being delivered;
    /// returns `false` if the handler is no longer in a pipeline.
    func write(_ envelope: AddressedEnvelope<ByteBuffer>, promise: EventLoopPromise<Void>?) -> Bool {
        guard let context else { return false }
        if inReadBurst {
            context.write(wrapOutboundOut(envelope), promise: promise)
            hasUnflushedWrites = true
        } else {
            context.writeAndFlush(wrapOutboundOut(envelope), promise: promise)
            transport?.countFlush()
        }
        return true
    }

    /// Flushes writes queued during the current read burst now (before the transport closes).
    func flushQueuedWrites() {
        guard let context else { return }
        flushIfNeeded(context)
    }

    private func flushIfNeeded(_ context: ChannelHandlerContext) {
        guard hasUnflushedWrites else { return }
        hasUnflushedWrites = false
        context.flush()
        transport?.countFlush()
    }
}
