import NIOCore

/// The first handler of a metrics connection: bounds what one client can cost. A connection gets at
/// most `maximumRequestBytes` in (a request beyond that is answered 431 and closed, before any
/// HTTP parsing buffers it) and lives at most `lifetime` from accept, idle or not (a client that
/// opens a connection and sends nothing, or trickles bytes, is closed then).
final class ConnectionGuard: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let maximumRequestBytes: Int
    private let lifetime: TimeAmount
    private var received = 0
    private var refused = false
    private var deadline: Scheduled<Void>?

    init(maximumRequestBytes: Int, lifetime: TimeAmount) {
        self.maximumRequestBytes = maximumRequestBytes
        self.lifetime = lifetime
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: lifetime) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refused else { return }
        received += unwrapInboundIn(data).readableBytes
        guard received <= maximumRequestBytes else {
            refused = true
            let body = "request larger than \(maximumRequestBytes) bytes\n"
            let response = "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: response))).whenComplete { _ in
                channel.close(promise: nil)
            }
            return
        }
        context.fireChannelRead(data)
    }
}
