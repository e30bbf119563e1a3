import NIOCore

/// The one handler in a transport's channel pipeline: forwards received envelopes, receive errors
/// and the channel's closing to its ``UDPDatagramTransport``, and writes envelopes for it.
///
/// Writes made while a read burst is being delivered (the datagrams NIO reads in one go: on Linux up
/// to four `recvmmsg` of 16) are held and written when the burst ends, all but the last without a
/// promise (the last one's covers them in the ``WriteLedger``), then flushed once, so NIO sends the
/// replies to a burst with one `sendmmsg` and completes one promise instead of one per reply. Writes
/// at any other time are written and flushed at once. The protocol above never sees the difference:
/// every write still goes out within the same event-loop tick.
///
/// Lives and runs on the channel's event loop only.
final class UDPDatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    /// The transport to notify; cleared when the transport closes or abandons this channel.
    weak var transport: UDPDatagramTransport?
    /// The transport's account of queued bytes and failed writes; set with ``transport``.
    var ledger: WriteLedger?
    private var context: ChannelHandlerContext?
    /// Whether NIO is delivering a read burst (set by the first read, cleared at read-complete).
    private var inReadBurst = false
    /// Writes made during the current read burst, in order (at most one per datagram read).
    private var held: [AddressedEnvelope<ByteBuffer>] = []

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        held.reserveCapacity(64)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        dropHeldWrites()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        inReadBurst = true
        transport?.received(unwrapInboundIn(data))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inReadBurst = false
        writeHeld(context)
        context.fireChannelReadComplete()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Datagram receive errors (ICMP unreachable and the like) are not fatal: count them and
        // keep the channel. NIO itself closes the channel on errors it deems fatal.
        transport?.receiveFailed(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        inReadBurst = false
        dropHeldWrites()
        transport?.channelBecameInactive(from: self)
        context.fireChannelInactive()
    }

    /// Writes `envelope` of `size` bytes – at once, or when the read burst being delivered ends;
    /// returns `false` (and writes nothing) if the handler is no longer in a pipeline.
    func write(_ envelope: AddressedEnvelope<ByteBuffer>, size: Int) -> Bool {
        guard let context, let ledger else { return false }
        if inReadBurst {
            ledger.recordWriteWithoutPromise(of: size)
            held.append(envelope)
        } else {
            context.writeAndFlush(wrapOutboundOut(envelope), promise: ledger.promise(forWriteOf: size, on: context.eventLoop))
            transport?.countFlush()
        }
        return true
    }

    /// Writes and flushes what the current read burst holds now (before the transport closes).
    func flushQueuedWrites() {
        guard let context else { return }
        writeHeld(context)
    }

    private func writeHeld(_ context: ChannelHandlerContext) {
        guard let last = held.indices.last, let ledger else { return }
        for index in 0..<last {
            context.write(wrapOutboundOut(held[index]), promise: nil)
        }
        context.write(wrapOutboundOut(held[last]), promise: ledger.promise(forWriteOf: 0, on: context.eventLoop))
        held.removeAll(keepingCapacity: true)
        context.flush()
        transport?.countFlush()
    }

    private func dropHeldWrites() {
        guard !held.isEmpty else { return }
        held.removeAll(keepingCapacity: true)
        ledger?.discardUncoveredWrites()
    }
}
