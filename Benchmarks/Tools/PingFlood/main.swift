// PingFlood: sends dht-rpc `_ping` requests at a steady rate to a node on 127.0.0.1 over real UDP and counts the
// answers. The load generator of `Benchmarks/monitor-cpu` (the monitor's CPU under 10,000 events a second: every
// request a node receives is one `requestReceived` event for the monitor).
//
// Usage: PingFlood --port PORT [--rate 10000] [--seconds 25]
//
// Every datagram is encoded with the project's `DatagramFrame` (udp-request header with a fresh 15-bit tid, then a
// protobuf `DhtRpc_Request{command: "_ping"}` without an id, as an ephemeral client sends it), on one UDP socket
// `connect`ed to 127.0.0.1:PORT. Sending is paced: every millisecond the sender catches up to `rate × elapsed`. A
// second thread decodes what comes back and counts the responses whose tid is outstanding. The last line is
// machine-readable: `pingflood sent=N answered=N seconds=S rate=R`.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import DHTMessages
import Foundation
import UDPRequest

/// Command-line options.
struct Options {
    var port: UInt16 = 0
    var rate = 10_000
    var seconds = 25.0

    init(_ arguments: [String]) {
        var index = 0
        func value() -> String {
            index += 1
            guard index < arguments.count else { fail("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--port": port = UInt16(value()) ?? 0
            case "--rate": rate = Int(value()) ?? 0
            case "--seconds": seconds = Double(value()) ?? 0
            default: fail("unknown argument \(arguments[index])")
            }
            index += 1
        }
        guard port != 0, rate > 0, seconds > 0 else { fail("usage: PingFlood --port PORT [--rate 10000] [--seconds 25]") }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("PingFlood: \(message)\n".utf8))
    exit(2)
}

/// Seconds on the monotonic clock.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// Which tids are waiting for an answer, and what came back; shared by the two threads under a lock.
final class Ledger: @unchecked Sendable {
    private let lock = NSLock()
    private var outstanding = [Bool](repeating: false, count: 1 << 15)
    private(set) var answered = 0
    private(set) var unexpected = 0
    private(set) var stopped = false

    func sent(_ tid: UInt16) {
        lock.lock()
        outstanding[Int(tid)] = true
        lock.unlock()
    }

    func received(_ datagram: [UInt8]) {
        let frame = try? DatagramFrame.decode(datagram)
        lock.lock()
        defer { lock.unlock() }
        if case .response(let tid, _)? = frame, outstanding[Int(tid)] {
            outstanding[Int(tid)] = false
            answered += 1
        } else {
            unexpected += 1
        }
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    var isStopped: Bool {
        lock.lock()
        defer { lock.unlock() }
        return stopped
    }
}

let options = Options(Array(CommandLine.arguments.dropFirst()))

#if canImport(Glibc)
let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
#else
let fd = socket(AF_INET, SOCK_DGRAM, 0)
#endif
guard fd >= 0 else { fail("socket: \(String(cString: strerror(errno)))") }
var server = sockaddr_in()
server.sin_family = sa_family_t(AF_INET)
server.sin_port = options.port.bigEndian
server.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian  // 127.0.0.1 only
let connected = withUnsafePointer(to: &server) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
}
guard connected == 0 else { fail("connect: \(String(cString: strerror(errno)))") }
var bufferSize: Int32 = 4 << 20
setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bufferSize, socklen_t(MemoryLayout<Int32>.size))
var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

/// Starts the thread that counts answers on `fd` until `ledger` is stopped; the semaphore is signalled when it ends.
func startReceiver(fd: Int32, ledger: Ledger) -> DispatchSemaphore {
    let done = DispatchSemaphore(value: 0)
    let receiver = Thread {
        var buffer = [UInt8](repeating: 0, count: 2_048)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count >= 0 {
                ledger.received(Array(buffer[0..<count]))
            } else if ledger.isStopped {
                break
            }
        }
        done.signal()
    }
    receiver.start()
    return done
}

let ledger = Ledger()
let receiverDone = startReceiver(fd: fd, ledger: ledger)

let request = DhtRpc_Request(command: DhtRpc_Request.pingCommand)
var sent = 0, sendErrors = 0
let total = Int(Double(options.rate) * options.seconds)
let start = monotonicSeconds()
var elapsed = 0.0
while sent < total {
    elapsed = monotonicSeconds() - start
    let due = min(total, Int(elapsed * Double(options.rate)))
    while sent < due {
        let tid = UInt16(truncatingIfNeeded: sent) & DatagramFrame.tidMask
        guard let datagram = try? DatagramFrame.request(tid: tid, request).encode() else { fail("cannot encode _ping") }
        ledger.sent(tid)
        let written = datagram.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        if written != datagram.count { sendErrors += 1 }
        sent += 1
    }
    var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000)
    nanosleep(&pause, nil)
}
elapsed = monotonicSeconds() - start
// Late answers: wait a moment, then stop the receiver at its next receive timeout.
var settle = timespec(tv_sec: 0, tv_nsec: 300_000_000)
nanosleep(&settle, nil)
ledger.stop()
receiverDone.wait()
close(fd)

let rate = Double(sent) / elapsed
print("sent \(sent) _ping requests to 127.0.0.1:\(options.port) in \(String(format: "%.2f", elapsed)) s "
      + "(\(Int(rate.rounded()))/s, \(sendErrors) send errors); \(ledger.answered) answered "
      + "(\(String(format: "%.1f", 100 * Double(ledger.answered) / Double(max(1, sent))))%), \(ledger.unexpected) other datagrams")
print("pingflood sent=\(sent) answered=\(ledger.answered) seconds=\(String(format: "%.3f", elapsed)) rate=\(Int(rate.rounded()))")
