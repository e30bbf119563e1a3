import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `hyperdht testnet N` process on 127.0.0.1, started by a test so the monitor can join an existing
/// network with `--bootstrap`; and one-shot runs of other `hyperdht` commands against it.
final class TestnetProcess: @unchecked Sendable {
    let process: Process
    /// The bootstrap address the testnet printed (`127.0.0.1:PORT`).
    let bootstrap: String

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Starts a testnet of `nodes` nodes and waits (at most `timeout`) until it prints its bootstrap address.
    init(nodes: Int, timeout: TimeInterval = 60) throws {
        process = Process()
        process.executableURL = TmuxSession.binary
        process.arguments = ["testnet", "\(nodes)", "--json"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            if let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first,
               let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               let address = object["bootstrap"] as? [String: Any], let host = address["host"] as? String,
               let port = address["port"] as? Int {
                bootstrap = "\(host):\(port)"
                return
            }
        }
        process.terminate()
        process.waitUntilExit()
        throw Failure(description: "testnet printed no bootstrap address: \(String(decoding: buffer, as: UTF8.self))")
    }

    /// Starts a testnet (see ``init(nodes:timeout:)``) without blocking the caller's thread.
    static func start(nodes: Int) async throws -> TestnetProcess {
        try await onOwnThread { try TestnetProcess(nodes: nodes) }
    }

    /// Runs `work` on a thread of its own. Reading a child's output blocks; done on one of the few
    /// threads of Swift's shared executor it would starve every other suite's tasks on a busy machine.
    static func onOwnThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    /// Stops the testnet.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    /// Runs `hyperdht ARGUMENTS` to its end; its exit status and output (stdout and stderr).
    static func run(_ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await onOwnThread { try runBlocking(arguments) }
    }

    private static func runBlocking(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = TmuxSession.binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// A UDP port on 127.0.0.1 that was free a moment ago (the kernel's choice for port 0).
    static func freeUDPPort() throws -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw Failure(description: "bind: errno \(errno)") }
        return UInt16(bigEndian: address.sin_port)
    }
}
