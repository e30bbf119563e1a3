import ControlSocket
import DHTRPC
import Foundation
import IPEncoding
import KBucket
import Monitor
import NIOPosix
import UDPRequest
#if canImport(Glibc)
import Glibc
#endif

/// A directory only this user can write (mode 0700), removed by ``remove()``.
struct PrivateDirectory {
    let path: String

    init() throws {
        path = "/tmp/hdc-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A node that does not exist: fixed answers, and an event stream the test feeds.
final class FakeBackend: MonitorBackend {
    let stream: AsyncStream<MonitorEventBatch>
    let feed: AsyncStream<MonitorEventBatch>.Continuation

    static let id = NodeID(Array(repeating: 0xAB, count: 32))
    static let address = PeerAddress(host: IPAddress(127, 0, 0, 1), port: 40001)

    init() {
        (stream, feed) = AsyncStream<MonitorEventBatch>.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    func events() async throws -> AsyncStream<MonitorEventBatch> { stream }

    func status() async throws -> NodeStatus {
        NodeStatus(id: Self.id, localAddress: Self.address, isReady: true, uptime: .seconds(5), now: Timestamp(nanoseconds: 5_000),
                   buckets: [BucketStatus(prefix: "", containsLocalID: true, capacity: 20,
                                          contacts: [ContactStatus(id: NodeID(Array(repeating: 1, count: 32)), address: Self.address,
                                                                   lastSeen: Timestamp(nanoseconds: 4_000))])])
    }

    func ping(_ address: PeerAddress) async throws -> PingOutcome {
        PingOutcome(responder: address, responderID: Self.id, observedAddress: Self.address, roundTripTime: .milliseconds(3))
    }

    func holepunch(peer: PeerAddress, referrer: PeerAddress) async throws -> PingOutcome {
        throw MonitorError.holepunchFailed(label: "peer silent", explanation: "nothing came back")
    }

    func bootstrap() async throws -> Int { 7 }

    func query(command: String, target: NodeID) async throws -> QueryOutcome {
        QueryOutcome(responses: 3, errors: 0, hops: 1, duration: .milliseconds(20), closest: [])
    }

    func lookup(_ target: LookupTarget) async throws -> LookupOutcome {
        LookupOutcome(peers: [AnnouncedPeer(publicAddress: Self.address, age: .zero, expiresIn: .zero)], closest: [],
                      duration: .milliseconds(40))
    }
}

/// A blocking Unix socket client that writes raw bytes – what a broken or hostile client sends.
final class RawClient {
    let fd: Int32

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    func write(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    /// A frame of `json`.
    func send(json: String) {
        let payload = Array(json.utf8)
        write(withUnsafeBytes(of: UInt32(payload.count).bigEndian, Array.init) + payload)
    }

    /// Reads until the server closes the connection or `timeout` passes; whether it closed. Polls
    /// without blocking (a blocked thread of the shared pool would starve the server under test).
    func waitForClose(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) >= 0 else { return false }
            if poller.revents != 0 {
                if read(fd, &buffer, buffer.count) <= 0 { return true }
                continue
            }
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    func shutdownWriting() { shutdown(fd, Int32(SHUT_WR)) }

    deinit { close(fd) }
}

/// Polls `condition` every 50 ms for at most `timeout` (generous: a full run on two cores starves
/// processes for a minute), then once more.
func eventually(timeout: Duration = .seconds(90), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(50))
    }
    return await condition()
}
