import NIOCore
import NIOHTTP1

/// Answers one HTTP/1 request per connection: `GET /metrics` (or `HEAD`) with the exposition text,
/// another method on /metrics with 405, any other path with 404, a request with a body or one that
/// does not parse with 400 – each with `Connection: close`, then the connection is closed.
final class MetricsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    /// The exposition's content type (Prometheus text format 0.0.4).
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let render: @Sendable () async -> String
    private var head: HTTPRequestHead?
    private var hasBody = false
    private var answered = false
    /// Whether the connection went (closed at its deadline) while the text was being rendered.
    private var removed = false

    init(render: @escaping @Sendable () async -> String) {
        self.render = render
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            hasBody = true
        case .end:
            guard let head else { return }
            answer(head, context: context)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        removed = true
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !answered else { return }
        respond(.badRequest, "bad request\n", version: .http1_1, includeBody: true, context: context)
    }

    private func answer(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        guard path == "/metrics" else {
            respond(.notFound, "not found: only GET /metrics is served here\n", version: head.version, includeBody: true, context: context)
            return
        }
        guard head.method == .GET || head.method == .HEAD else {
            respond(.methodNotAllowed, "method not allowed: use GET\n", version: head.version, includeBody: true,
                    context: context, extraHeaders: [("Allow", "GET, HEAD")])
            return
        }
        guard !hasBody else {
            respond(.badRequest, "a GET /metrics takes no body\n", version: head.version, includeBody: true, context: context)
            return
        }
        answered = true
        let render = self.render
        let promise = context.eventLoop.makePromise(of: String.self)
        promise.completeWithTask { await render() }
        promise.futureResult.assumeIsolated().whenSuccess { text in
            guard !self.removed else { return }
            self.respond(.ok, text, version: head.version, includeBody: head.method == .GET, context: context,
                         contentType: Self.contentType)
        }
    }

    private func respond(_ status: HTTPResponseStatus, _ body: String, version: HTTPVersion, includeBody: Bool,
                         context: ChannelHandlerContext, contentType: String = "text/plain; charset=utf-8",
                         extraHeaders: [(String, String)] = []) {
        answered = true
        var headers = HTTPHeaders([("Content-Type", contentType), ("Content-Length", "\(body.utf8.count)"),
                                   ("Connection", "close")])
        headers.add(contentsOf: extraHeaders)
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        if includeBody { context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil) }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
