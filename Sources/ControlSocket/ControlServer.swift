import Monitor
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Serves a node's ``MonitorBackend`` – its event stream, status, store and the monitor's commands –
/// to local clients on a Unix domain socket (protocol: `docs/CONTROL-PROTOCOL.md`). The socket is
/// created only where ``ControlSocketPath/prepare(_:)`` allows, mode 0600, and removed on ``close()``.
/// Each client has its own event subscription and a byte-bounded outbox (``ControlOutbox``): a client
/// that falls behind is dropped, the node never waits for one.
public final class ControlServer: Sendable {
    /// Where the socket is.
    public let path: String
    /// Clients served at once; more are refused (counted).
    public let maximumClients: Int
    /// Unwritten bytes a client may have queued before it is dropped.
    public let outboxLimit: Int
    /// Requests one client may have running at once; more are answered with a failure at once.
    public let maximumRequestsPerClient: Int

    private let backend: any MonitorBackend
    private let listener = NIOLockedValueBox<(any Channel)?>(nil)
    private let state = NIOLockedValueBox(ServerState())
    private let pumpTask = NIOLockedValueBox<Task<Void, Never>?>(nil)
    private let fanOut = NIOLockedValueBox(EventFanOut())

    /// Events kept for a client that subscribes later (so its timeline, NAT panel and punch log start
    /// with what the node saw recently, not empty).
    public static let historyEvents = 1_000

    /// The clients and counts, under one lock.
    private struct ServerState {
        var counters = ControlServerCounters()
        var closing = false
        var clients: [ObjectIdentifier: (channel: any Channel, task: Task<Void, Never>?)] = [:]
    }

    /// Listens on `path` (after ``ControlSocketPath/prepare(_:)``) and serves `backend`'s node.
    public static func start(path: String, backend: any MonitorBackend, on group: any EventLoopGroup,
                             maximumClients: Int = 16, outboxLimit: Int = 32 * 1024 * 1024,
                             maximumRequestsPerClient: Int = 64) async throws -> ControlServer {
        try ControlSocketPath.prepare(path)
        let server = ControlServer(path: path, backend: backend, maximumClients: maximumClients, outboxLimit: outboxLimit,
                                   maximumRequestsPerClient: maximumRequestsPerClient)
        let events = try await backend.events()
        let listener = try await ServerBootstrap(group: group)
            .childChannelInitializer { child in server.admit(child) }
            .bind(unixDomainSocketPath: path).get()
        server.listener.withLockedValue { $0 = listener }
        do {
            try ControlSocketPath.restrict(path)
        } catch {
            await server.close()
            throw error
        }
        server.pumpTask.withLockedValue { $0 = Task { await server.pump(events) } }
        return server
    }

    private init(path: String, backend: any MonitorBackend, maximumClients: Int, outboxLimit: Int,
                 maximumRequestsPerClient: Int) {
        self.path = path
        self.backend = backend
        self.maximumClients = maximumClients
        self.outboxLimit = outboxLimit
        self.maximumRequestsPerClient = maximumRequestsPerClient
    }

    /// The counts so far.
    public var counters: ControlServerCounters { state.withLockedValue { $0.counters } }

    /// Stops listening, drops every client and removes the socket file.
    public func close() async {
        let clients = state.withLockedValue { state in
            state.closing = true
            return Array(state.clients.values)
        }
        try? await listener.withLockedValue({ $0 })?.close()
        for client in clients { client.channel.close(promise: nil) }
        for client in clients { await client.task?.value }
        let pump = pumpTask.withLockedValue { $0 }
        pump?.cancel()
        await pump?.value
        if ControlSocketPath.isSocket(path) { ControlSocketPath.remove(path) }
    }

    private func count(_ update: (inout ControlServerCounters) -> Void) {
        state.withLockedValue { update(&$0.counters) }
    }

    /// Sets up an accepted connection (on its event loop): refused when closing or full, else framed
    /// and served by a task of its own.
    private func admit(_ channel: any Channel) -> EventLoopFuture<Void> {
        let key = ObjectIdentifier(channel)
        let admitted = state.withLockedValue { state in
            guard !state.closing else { return false }
            guard state.clients.count < maximumClients else {
                state.counters.clientsRefused += 1
                return false
            }
            state.counters.clientsAccepted += 1
            state.clients[key] = (channel, nil)
            return true
        }
        guard admitted else {
            channel.close(promise: nil)
            return channel.eventLoop.makeSucceededVoidFuture()
        }
        let handler = ControlConnectionHandler()
        do {
            try channel.pipeline.syncOperations.addHandler(
                ByteToMessageHandler(ControlFrameDecoder(maximumFrameBytes: ControlProtocol.maximumRequestBytes)))
            try channel.pipeline.syncOperations.addHandler(handler)
        } catch {
            state.withLockedValue { _ = $0.clients.removeValue(forKey: key) }
            return channel.eventLoop.makeFailedFuture(error)
        }
        let frames = handler.frames
        let task = Task {
            await self.serve(channel, frames: frames)
            self.state.withLockedValue { _ = $0.clients.removeValue(forKey: key) }
        }
        state.withLockedValue { state in
            if state.clients[key] != nil { state.clients[key]?.task = task }
        }
        return channel.eventLoop.makeSucceededVoidFuture()
    }

    /// Hands the node's batches to every subscribed client (encoded once) and keeps the recent ones.
    private func pump(_ events: AsyncStream<MonitorEventBatch>) async {
        for await batch in events {
            guard let payload = try? ControlProtocol.encode(ControlMessage.events(batch)) else { continue }
            let frame = ControlFraming.frame(payload)
            fanOut.withLockedValue { fanOut in
                fanOut.remember(batch, limit: Self.historyEvents)
                for outbox in fanOut.subscribers.values { outbox.send(frame) }
            }
        }
    }

    /// Subscribes `outbox`: the recent events first, then every batch (atomically, so none is missed or doubled).
    private func subscribe(_ outbox: ControlOutbox) -> ObjectIdentifier {
        let key = ObjectIdentifier(outbox)
        fanOut.withLockedValue { fanOut in
            if let history = fanOut.history(), let payload = try? ControlProtocol.encode(ControlMessage.events(history)) {
                outbox.send(ControlFraming.frame(payload))
            }
            fanOut.subscribers[key] = outbox
        }
        return key
    }

    /// Serves one client until it disconnects, sends a frame that cannot be read, or falls behind.
    private func serve(_ channel: any Channel, frames: AsyncThrowingStream<ByteBuffer, any Error>) async {
        let outbox = ControlOutbox(limit: outboxLimit) { [weak self] in
            self?.count { $0.slowClientsDropped += 1 }
            channel.close(promise: nil)
        }
        let running = NIOLockedValueBox(0)
        let hello = ControlMessage.hello(version: ControlProtocol.version, node: try? await backend.status().id)
        var subscription: ObjectIdentifier?
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // One write at a time, each awaited: a client that does not read leaves them queued in
                // the outbox, which drops it once over its limit.
                for await frame in outbox.frames {
                    let size = frame.readableBytes
                    do { try await channel.writeAndFlush(frame).get() } catch { break }
                    outbox.written(size)
                }
            }
            Self.send(hello, to: outbox)
            do {
                for try await frame in frames {
                    let request: ControlRequest
                    do {
                        request = try ControlProtocol.decode(ControlRequest.self, from: Array(frame.readableBytesView))
                    } catch {
                        throw ControlFrameError.garbage(reason: "\(error)")
                    }
                    switch request.call {
                    case .hello(let version):
                        guard version == ControlProtocol.version else { throw ControlFrameError.incompatibleVersion(version) }
                        Self.send(.reply(id: request.id, .accepted), to: outbox)
                    case .subscribe:
                        Self.send(.reply(id: request.id, .accepted), to: outbox)
                        if subscription == nil { subscription = subscribe(outbox) }
                    default:
                        let admitted = running.withLockedValue { count in
                            guard count < maximumRequestsPerClient else { return false }
                            count += 1
                            return true
                        }
                        guard admitted else {
                            Self.send(.reply(id: request.id, .failed(ControlFailure(
                                message: "too many requests running (at most \(maximumRequestsPerClient))"))), to: outbox)
                            continue
                        }
                        let backend = self.backend
                        group.addTask {
                            let reply = await Self.perform(request.call, on: backend)
                            running.withLockedValue { $0 -= 1 }
                            if Self.send(.reply(id: request.id, reply), to: outbox) {
                                self.count { $0.requestsAnswered += 1 }
                            }
                        }
                    }
                }
            } catch {
                count { $0.malformedFrames += 1 }
            }
            if let subscription { _ = fanOut.withLockedValue { $0.subscribers.removeValue(forKey: subscription) } }
            outbox.close()
            try? await channel.close()
            group.cancelAll()
        }
    }

    /// Encodes `message` into `outbox`; `false` when the client is gone or was dropped.
    @discardableResult
    private static func send(_ message: ControlMessage, to outbox: ControlOutbox) -> Bool {
        guard let payload = try? ControlProtocol.encode(message) else { return true }  // unencodable: skip it
        return outbox.send(ControlFraming.frame(payload))
    }

    /// Runs `call` on `backend`.
    static func perform(_ call: ControlCall, on backend: any MonitorBackend) async -> ControlReply {
        do {
            switch call {
            case .hello, .subscribe: return .accepted
            case .status: return .status(try await backend.status())
            case .storedAnnouncements: return .store(try await backend.storedAnnouncements())
            case .ping(let address): return .ping(try await backend.ping(address))
            case .holepunch(let peer, let referrer): return .ping(try await backend.holepunch(peer: peer, referrer: referrer))
            case .bootstrap: return .bootstrapped(responses: try await backend.bootstrap())
            case .query(let command, let target): return .query(try await backend.query(command: command, target: target))
            case .lookup(let target): return .lookup(try await backend.lookup(target))
            case .announce(let target): return .lookup(try await backend.announce(target))
            case .unannounce(let target): return .lookup(try await backend.unannounce(target))
            }
        } catch {
            return .failed(ControlFailure(error))
        }
    }
}
