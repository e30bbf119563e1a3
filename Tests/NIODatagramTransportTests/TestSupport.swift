import Foundation
import IPEncoding
import NIOCore
import NIODatagramTransport
import NIOPosix
import Testing

/// One received datagram, as a Sendable value.
struct Received: Sendable, Equatable {
    var bytes: [UInt8]
    var source: PeerAddress
}

/// Thrown when a bounded wait runs out.
struct TimedOut: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body` on a fresh one-thread event loop group that is shut down afterwards.
func withEventLoop<R: Sendable>(_ body: (any EventLoop) async throws -> R) async throws -> R {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    do {
        let result = try await body(group.next())
        try await group.shutdownGracefully()
        return result
    } catch {
        try? await group.shutdownGracefully()
        throw error
    }
}

/// Points `handle`'s receiver at a stream.
func inbox(of handle: UDPTransportHandle) async throws -> AsyncStream<Received> {
    let (stream, continuation) = AsyncStream.makeStream(of: Received.self)
    try await handle.withTransport { transport in
        transport.setReceiver { bytes, source in continuation.yield(Received(bytes: bytes, source: source)) }
    }
    return stream
}

/// The first `count` elements of `stream`, or `TimedOut` after `limit`.
func first(_ count: Int, of stream: AsyncStream<Received>, within limit: Duration = .seconds(5)) async throws -> [Received] {
    try await withThrowingTaskGroup(of: [Received]?.self) { group in
        group.addTask {
            var collected: [Received] = []
            for await item in stream {
                collected.append(item)
                if collected.count == count { return collected }
            }
            return nil
        }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let result = try await group.next(), let collected = result else {
            throw TimedOut(what: "\(count) datagram(s)")
        }
        return collected
    }
}

/// Polls `condition` every 10 ms until it holds, or throws `TimedOut` after `limit`.
func eventually(_ what: String, within limit: Duration = .seconds(5), _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw TimedOut(what: what)
}

/// Whether this machine has the IPv6 loopback address ::1 configured.
let hasIPv6Loopback: Bool = {
    #if os(Linux)
    guard let table = try? String(contentsOfFile: "/proc/net/if_inet6", encoding: .utf8) else { return false }
    return table.split(separator: "\n").contains { $0.hasPrefix("00000000000000000000000000000001") }
    #else
    return true
    #endif
}()

/// Whether the tests run on Linux, whose socket errors some tests provoke on purpose.
let isLinux: Bool = {
    #if os(Linux)
    return true
    #else
    return false
    #endif
}()
