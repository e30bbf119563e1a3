// The cheapest load generator we could write: one blocking POSIX UDP socket, connected to the server on 127.0.0.1,
// sending pre-encoded datagrams whose 2-byte udp-request header is patched with a fresh transaction id, and keeping
// a fixed number of requests outstanding (a closed loop). It allocates nothing per request.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a socket could not be set up.
public struct SocketError: Error, CustomStringConvertible {
    public let description: String
    init(_ what: String) { description = "\(what): \(String(cString: strerror(errno)))" }
}

/// Opens a UDP socket bound to 127.0.0.1 (`port` 0: any free port); returns the descriptor and the bound port.
public func openLoopbackUDPSocket(port: UInt16 = 0) throws -> (fd: Int32, port: UInt16) {
    #if canImport(Glibc)
    let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    #else
    let fd = socket(AF_INET, SOCK_DGRAM, 0)
    #endif
    guard fd >= 0 else { throw SocketError("socket") }
    var address = loopbackAddress(port: port)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else {
        close(fd)
        throw SocketError("bind")
    }
    var local = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &local) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return (fd, UInt16(bigEndian: local.sin_port))
}

/// 127.0.0.1:`port` as a `sockaddr_in`.
public func loopbackAddress(port: UInt16) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = port.bigEndian
    address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
    return address
}

/// A closed-loop UDP request generator on 127.0.0.1.
public final class LoopbackLoadGenerator {
    /// What one ``run(templates:window:count:latencies:)`` did.
    public struct Run: Sendable {
        /// Requests answered.
        public var completed = 0
        /// Requests given up after the receive timeout (none expected on loopback).
        public var lost = 0
        /// Wall time of the run.
        public var elapsedNanoseconds: UInt64 = 0
        /// Answers per second.
        public var requestsPerSecond: Double { Double(completed) * 1e9 / Double(max(1, elapsedNanoseconds)) }
    }

    /// The generator's UDP port (the source port the server sees).
    public let port: UInt16
    private let fd: Int32
    private let acceptsRequestFrames: Bool
    private var sentAt = [UInt64](repeating: 0, count: 1 << 15)
    private var sequence = 0
    private var receiveBuffer = [UInt8](repeating: 0, count: 65_536)

    /// Connects to 127.0.0.1:`serverPort`. With `acceptsRequestFrames` false only udp-request responses (header bit
    /// 15 clear) count as answers, so a `_ping` the server sends us is ignored; an echo server needs `true`.
    public init(serverPort: UInt16, acceptsRequestFrames: Bool = false, timeoutMilliseconds: Int = 250) throws {
        (fd, port) = try openLoopbackUDPSocket()
        self.acceptsRequestFrames = acceptsRequestFrames
        var server = loopbackAddress(port: serverPort)
        let connected = withUnsafePointer(to: &server) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw SocketError("connect")
        }
        var timeout = timeval(tv_sec: timeoutMilliseconds / 1000, tv_usec: (timeoutMilliseconds % 1000) * 1000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: Int32 = 1 << 20
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Sends one datagram and waits for the next answer (setup use: fetching a token, storing announcements).
    public func exchange(_ datagram: [UInt8]) -> [UInt8]? {
        let sent = datagram.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard sent == datagram.count else { return nil }
        while true {
            let received = receiveBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard received >= 2 else { return nil }
            if !acceptsRequestFrames && receiveBuffer[0] & 0x80 != 0 { continue }
            return Array(receiveBuffer[0..<received])
        }
    }

    /// Sends `count` requests, cycling through `templates` (whole datagrams; their first two bytes are replaced by a
    /// request header with a fresh tid), keeping `window` outstanding; each answer's latency in nanoseconds is
    /// appended to `latencies`. Requests unanswered for the receive timeout count as lost and are replaced.
    public func run(templates: [[UInt8]], window: Int, count: Int, latencies: inout [UInt64]) -> Run {
        var run = Run()
        var outstanding = 0
        var sent = 0
        var next = 0
        var buffers = templates
        let start = monotonicNanoseconds()

        func sendOne() {
            let tid = sequence & 0x7FFF
            sequence &+= 1
            let now = monotonicNanoseconds()
            sentAt[tid] = now
            buffers[next][0] = 0x80 | UInt8(tid >> 8)
            buffers[next][1] = UInt8(truncatingIfNeeded: tid)
            _ = buffers[next].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            next = next + 1 == buffers.count ? 0 : next + 1
            sent += 1
            outstanding += 1
        }

        while outstanding < window && sent < count { sendOne() }
        while outstanding > 0 {
            let received = receiveBuffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if received < 0 {
                // Timed out: whatever is still outstanding is lost; forget it and refill the window.
                for index in sentAt.indices { sentAt[index] = 0 }
                run.lost += outstanding
                outstanding = 0
                while outstanding < window && sent < count { sendOne() }
                continue
            }
            guard received >= 2 else { continue }
            if !acceptsRequestFrames && receiveBuffer[0] & 0x80 != 0 { continue }
            let tid = (Int(receiveBuffer[0]) & 0x7F) << 8 | Int(receiveBuffer[1])
            let sentTime = sentAt[tid]
            guard sentTime != 0 else { continue }
            sentAt[tid] = 0
            latencies.append(monotonicNanoseconds() &- sentTime)
            outstanding -= 1
            run.completed += 1
            if sent < count { sendOne() }
        }
        run.elapsedNanoseconds = monotonicNanoseconds() &- start
        return run
    }
}
