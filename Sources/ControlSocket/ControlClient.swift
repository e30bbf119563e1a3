import Monitor
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Why a call over the control socket did not get its answer.
public enum ControlClientError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No node is attached (it went away, or was never reached).
    case detached(path: String)
    /// The node answered with something other than what the call returns.
    case unexpectedReply(String)

    public var description: String {
        switch self {
        case .detached(let path): "detached: node gone (no node answers on \(path))"
        case .unexpectedReply(let reply): "unexpected reply from the node: \(reply)"
        }
    }
}

/// One connection to a node's control socket: calls with their replies matched by id, and the node's
/// event batches handed to `onEvents`. ``run(onEvents:)`` serves the connection until it ends; calls
/// still waiting then fail with ``ControlClientError/detached(path:)``.
public final class ControlClient: Sendable {
    /// The socket's path.
    public let path: String
    private let connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    private let outgoing: AsyncStream<ByteBuffer>
    private let outgoingContinuation: AsyncStream<ByteBuffer>.Continuation
    private let calls = NIOLockedValueBox((nextID: UInt64(1), waiting: [UInt64: CheckedContinuation<ControlReply, any Error>](),
                                           ended: false))
    private let helloBox = NIOLockedValueBox<ControlMessage?>(nil)

    /// Connects to the node at `path`.
    public static func connect(path: String, on group: any EventLoopGroup) async throws -> ControlClient {
        let connection = try await ClientBootstrap(group: group)
            .connect(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(ControlFrameDecoder(maximumFrameBytes: ControlProtocol.maximumMessageBytes)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return ControlClient(path: path, connection: connection)
    }

    private init(path: String, connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) {
        self.path = path
        self.connection = connection
        (outgoing, outgoingContinuation) = AsyncStream<ByteBuffer>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        send(ControlRequest(id: 0, call: .hello(version: ControlProtocol.version)))
    }

    /// Whether the node's hello arrived (it speaks our protocol version).
    public var isGreeted: Bool { helloBox.withLockedValue { $0 } != nil }

    /// The node's id from its hello, once it arrived.
    public var nodeID: String? {
        guard case .hello(_, let node) = helloBox.withLockedValue({ $0 }) else { return nil }
        return node?.hexString
    }

    /// Serves the connection until the node closes it (or sends what cannot be read, or the task is
    /// cancelled): writes the calls, answers them, hands event batches to `onEvents` and the hello to `onHello`.
    public func run(onHello: @escaping @Sendable () -> Void = {},
                    onEvents: @escaping @Sendable (MonitorEventBatch) -> Void) async throws {
        defer { endCalls() }
        try await connection.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await frame in self.outgoing { try await outbound.write(frame) }
                }
                defer { group.cancelAll() }
                for try await frame in inbound {
                    let message: ControlMessage
                    do {
                        message = try ControlProtocol.decode(ControlMessage.self, from: Array(frame.readableBytesView))
                    } catch {
                        throw ControlFrameError.garbage(reason: "\(error)")
                    }
                    switch message {
                    case .hello(let version, _):
                        guard version == ControlProtocol.version else { throw ControlFrameError.incompatibleVersion(version) }
                        helloBox.withLockedValue { $0 = message }
                        onHello()
                    case .events(let batch):
                        onEvents(batch)
                    case .reply(let id, let reply):
                        let waiter = calls.withLockedValue { $0.waiting.removeValue(forKey: id) }
                        waiter?.resume(returning: reply)
                    }
                }
            }
        }
    }

    /// Sends `call` and waits for its reply; throws ``ControlClientError/detached(path:)`` when the
    /// connection ends first, or the node's failure (``ControlFailure/monitorError``).
    public func call(_ call: ControlCall) async throws -> ControlReply {
        let reply: ControlReply = try await withCheckedThrowingContinuation { continuation in
            let id: UInt64? = calls.withLockedValue { state in
                guard !state.ended else { return nil }
                let id = state.nextID
                state.nextID += 1
                state.waiting[id] = continuation
                return id
            }
            guard let id else {
                continuation.resume(throwing: ControlClientError.detached(path: path))
                return
            }
            send(ControlRequest(id: id, call: call))
        }
        if case .failed(let failure) = reply { throw failure.monitorError }
        return reply
    }

    /// Asks the node to send its events.
    public func subscribe() {
        send(ControlRequest(id: 0, call: .subscribe))
    }

    /// Closes the connection.
    public func close() {
        connection.channel.close(promise: nil)
    }

    private func send(_ request: ControlRequest) {
        guard let payload = try? ControlProtocol.encode(request) else { return }
        outgoingContinuation.yield(ControlFraming.frame(payload))
    }

    private func endCalls() {
        outgoingContinuation.finish()
        let waiting = calls.withLockedValue { state in
            state.ended = true
            defer { state.waiting = [:] }
            return state.waiting
        }
        for waiter in waiting.values { waiter.resume(throwing: ControlClientError.detached(path: path)) }
    }
}
