// Two minimal UDP echo servers on 127.0.0.1: the ceiling any request/response server on this machine can reach with
// the same load generator. The POSIX one is a blocking recvfrom/sendto loop on its own thread (what PROTOCOL.md's
// "minimal C UDP echo" does); the NIO one is a one-handler DatagramBootstrap pipeline on one event loop, the same
// I/O stack the Swift node runs on.
import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking recvfrom/sendto echo loop on a thread of its own.
public final class POSIXEchoServer: Sendable {
    /// The bound port on 127.0.0.1.
    public let port: UInt16
    /// The CPU-time clock of the echo thread.
    public let cpuClock: clockid_t
    private let fd: Int32
    private let finished = DispatchSemaphore(value: 0)

    public init() throws {
        (fd, port) = try openLoopbackUDPSocket()
        let fd = self.fd
        let finished = self.finished
        let started = DispatchSemaphore(value: 0)
        let clock = ClockBox()
        let thread = Thread {
            clock.value = currentThreadCPUClock()
            started.signal()
            var buffer = [UInt8](repeating: 0, count: 65_536)
            var source = sockaddr_storage()
            while true {
                var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
                let received = buffer.withUnsafeMutableBytes { bytes in
                    withUnsafeMutablePointer(to: &source) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            recvfrom(fd, bytes.baseAddress, bytes.count, 0, $0, &length)
                        }
                    }
                }
                if received < 0 { continue }
                if received <= 1 { break }  // the stop datagram
                _ = buffer.withUnsafeBytes { bytes in
                    withUnsafePointer(to: &source) {
                        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                            sendto(fd, bytes.baseAddress, received, 0, $0, length)
                        }
                    }
                }
            }
            finished.signal()
        }
        thread.start()
        started.wait()
        cpuClock = clock.value
    }

    /// Stops the loop (with a 1-byte datagram) and closes the socket.
    public func stop() {
        if let (stopper, _) = try? openLoopbackUDPSocket() {
            var server = loopbackAddress(port: port)
            var byte: UInt8 = 0
            _ = withUnsafePointer(to: &server) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(stopper, &byte, 1, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(stopper)
            finished.wait()
        }
        close(fd)
    }
}

/// Hands the echo thread's clock to `init` (written before `started.signal()`, read after `started.wait()`).
private final class ClockBox: @unchecked Sendable {
    var value = clockid_t()
}

/// Writes every datagram back to its sender; flushes once per read burst.
private final class EchoHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: envelope.data)),
                      promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        context.flush()
    }
}

/// A SwiftNIO datagram channel that echoes, with NIO's default channel options.
public struct NIOEchoServer: Sendable {
    /// The bound port on 127.0.0.1.
    public let port: UInt16
    /// The CPU-time clock of the event loop's thread.
    public let cpuClock: clockid_t
    private let channel: any Channel

    /// Binds on `eventLoop`.
    public static func start(on eventLoop: any EventLoop) async throws -> NIOEchoServer {
        let channel = try await DatagramBootstrap(group: eventLoop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(EchoHandler()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let clock = try await eventLoop.submit { currentThreadCPUClock() }.get()
        return NIOEchoServer(port: UInt16(channel.localAddress?.port ?? 0), cpuClock: clock, channel: channel)
    }

    /// Closes the channel.
    public func stop() async {
        try? await channel.close()
    }
}
