import ControlSocket
import DHTRPC
import Foundation
import IPEncoding
import KBucket
import Monitor
import NIOPosix
import Testing
import UDPRequest

/// The server over a fake node: calls and events reach an attached backend; broken and slow clients
/// are counted and dropped while other clients go on being served; a node that goes away and comes
/// back is reattached.
@Suite(.timeLimit(.minutes(6)))
final class ControlServerTests: Sendable {
    /// A loop of the suite's own: the shared singleton is busy with other suites' floods in a full run.
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    deinit { try? group.syncShutdownGracefully() }

    @Test func anAttachedBackendGetsCallsAndEvents() async throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let fake = FakeBackend()
        let server = try await ControlServer.start(path: directory.file("n.sock"), backend: fake, on: group)
        let backend = AttachedMonitorBackend(path: server.path, on: group) { _, _ in }
        backend.start()
        defer { backend.stop() }
        #expect(await eventually { backend.isAttached })

        let status = try await backend.status()
        #expect(status == (try await fake.status()))
        #expect(try await backend.bootstrap() == 7)
        #expect(try await backend.lookup(.topic("x")).peers.map(\.publicAddress) == [FakeBackend.address])
        #expect(try await backend.ping(FakeBackend.address).roundTripTime == .milliseconds(3))
        await #expect(throws: MonitorError.holepunchFailed(label: "peer silent", explanation: "nothing came back")) {
            _ = try await backend.holepunch(peer: FakeBackend.address, referrer: FakeBackend.address)
        }
        await #expect(throws: MonitorError.unavailable("announce needs the HyperDHT layer, which this node does not run")) {
            _ = try await backend.announce(.topic("x"))
        }
        #expect(try await backend.storedAnnouncements() == nil)

        let event = MonitorEvent.requestSent(tid: 9, command: "_ping", to: FakeBackend.address, bytes: 60)
        let events = try await backend.events()
        fake.feed.yield(MonitorEventBatch([event], times: [Timestamp(nanoseconds: 10)], handedOverAt: Timestamp(nanoseconds: 20)))
        var iterator = events.makeAsyncIterator()
        let batch = await iterator.next()
        #expect(batch?.events == [event])
        #expect(batch?.times == [Timestamp(nanoseconds: 10)])
        await server.close()
    }

    @Test(arguments: [
        ("garbage", [UInt8](Array("\u{0}\u{0}\u{0}\u{5}hello".utf8))),
        ("not a request", [UInt8]([0, 0, 0, 2]) + Array("{}".utf8)),
        ("oversized", [0x7F, 0xFF, 0xFF, 0xFF, 1, 2, 3]),
        ("empty", [0, 0, 0, 0]),
        ("wrong version", [UInt8]([0, 0, 0, 39]) + Array("{\"id\":1,\"call\":{\"hello\":{\"version\":99}}}".utf8)),
    ])
    func aBadFrameDropsTheClientAndIsCounted(name: String, bytes: [UInt8]) async throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let server = try await ControlServer.start(path: directory.file("n.sock"), backend: FakeBackend(), on: group)
        let client = try RawClient(path: server.path)
        client.write(bytes)
        #expect(await client.waitForClose(timeout: .seconds(90)), "\(name): the server closes the connection")
        #expect(await eventually { server.counters.malformedFrames == 1 }, "\(name): \(server.counters)")
        // Others are still served.
        let backend = AttachedMonitorBackend(path: server.path, on: group) { _, _ in }
        backend.start()
        defer { backend.stop() }
        #expect(await eventually { backend.isAttached })
        #expect(try await backend.status().id == FakeBackend.id)
        await server.close()
    }

    @Test func aTruncatedFrameIsCountedWhenTheClientGoes() async throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let server = try await ControlServer.start(path: directory.file("n.sock"), backend: FakeBackend(), on: group)
        let client = try RawClient(path: server.path)
        client.write([0, 0, 0, 50] + Array("{\"id\":1,".utf8))
        client.shutdownWriting()
        #expect(await client.waitForClose(timeout: .seconds(90)))
        #expect(await eventually { server.counters.malformedFrames == 1 }, "\(server.counters)")
        await server.close()
    }

    @Test func aClientThatStopsReadingIsDroppedAndTheNodeGoesOn() async throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let fake = FakeBackend()
        let server = try await ControlServer.start(path: directory.file("n.sock"), backend: fake, on: group,
                                                   outboxLimit: 256 * 1024)
        let slow = try RawClient(path: server.path)
        slow.send(json: "{\"id\":0,\"call\":{\"subscribe\":{}}}")
        let event = MonitorEvent.requestReceived(tid: 1, command: "_find_node", from: FakeBackend.address)
        let batch = MonitorEventBatch(Array(repeating: event, count: 200), times: Array(repeating: Timestamp(nanoseconds: 1), count: 200),
                                      handedOverAt: Timestamp(nanoseconds: 2))
        // Feed until the server gives up on the client; the feed itself never waits.
        let dropped = await eventually(timeout: .seconds(90)) {
            for _ in 0..<20 { fake.feed.yield(batch) }
            return server.counters.slowClientsDropped == 1
        }
        #expect(dropped, "\(server.counters)")
        let backend = AttachedMonitorBackend(path: server.path, on: group) { _, _ in }
        backend.start()
        defer { backend.stop() }
        // (With the outbox limit this small a burst of buffered batches can drop it too; it reattaches.)
        #expect(await eventually { (try? await backend.bootstrap()) == 7 })
        await server.close()
    }

    @Test func theBackendDetachesWhenTheNodeGoesAndReattachesWhenItReturns() async throws {
        let directory = try PrivateDirectory()
        defer { directory.remove() }
        let path = directory.file("n.sock")
        let notices = NoticeLog()
        let backend = AttachedMonitorBackend(path: path, on: group, retryInterval: .milliseconds(100)) { text, isError in
            notices.add(text, isError)
        }
        backend.start()
        defer { backend.stop() }
        #expect(await eventually { notices.contains("detached: no node answers on \(path)") })

        var server = try await ControlServer.start(path: path, backend: FakeBackend(), on: group)
        #expect(await eventually { backend.isAttached })
        #expect(await eventually { notices.contains("attached to node abababababababab…") })
        await server.close()
        #expect(await eventually { !backend.isAttached && notices.contains("detached: node gone") })
        await #expect(throws: ControlClientError.detached(path: path)) { _ = try await backend.bootstrap() }

        server = try await ControlServer.start(path: path, backend: FakeBackend(), on: group)
        #expect(await eventually { backend.isAttached })
        #expect(try await backend.bootstrap() == 7)
        await server.close()
    }

    @Test func aRestartedNodesEventTimesContinueTheTimeline() {
        var timeline = ReattachTimeline()
        let start = ContinuousClock.now
        func batch(at nanoseconds: Int64) -> MonitorEventBatch {
            MonitorEventBatch([.ready], times: [Timestamp(nanoseconds: nanoseconds)], handedOverAt: Timestamp(nanoseconds: nanoseconds))
        }
        #expect(timeline.continuing(batch(at: 5_000_000_000), arrival: start).times == [Timestamp(nanoseconds: 5_000_000_000)])
        timeline.nodeLeft()
        // The new node's clock starts again at 1 ms, two seconds later: its times follow on.
        let next = timeline.continuing(batch(at: 1_000_000), arrival: start + .seconds(2))
        #expect(next.times == [Timestamp(nanoseconds: 7_000_000_000)])
        #expect(next.handedOverAt == Timestamp(nanoseconds: 7_000_000_000))
        let later = timeline.continuing(batch(at: 501_000_000), arrival: start + .seconds(3))
        #expect(later.times == [Timestamp(nanoseconds: 7_500_000_000)])
    }
}

/// Notices the backend showed, for assertions.
final class NoticeLog: @unchecked Sendable {
    private let lock = NSLock()
    private var texts: [String] = []

    func add(_ text: String, _ isError: Bool) {
        lock.lock()
        texts.append(text)
        lock.unlock()
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return texts.count
    }

    func contains(_ fragment: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return texts.contains { $0.contains(fragment) }
    }
}
