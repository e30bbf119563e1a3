import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A test's HTTP client over a plain TCP socket to 127.0.0.1: sends the bytes given and reads until
/// the server closes (hang guard: a receive timeout). No HTTP library, so the test sees exactly what
/// the server sends.
enum PlainHTTP {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// What a server sent back: the raw text, and whether the connection ended in a reset.
    struct Reply: Sendable {
        var text: String
        var wasReset: Bool
        /// The status code of the first line, if there is one.
        var status: Int? {
            guard text.hasPrefix("HTTP/1.") else { return nil }
            return text.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        /// The body (after the blank line).
        var body: String { text.components(separatedBy: "\r\n\r\n").dropFirst().joined(separator: "\r\n\r\n") }
    }

    /// Runs blocking socket calls on a thread of their own: a test's server in the same process runs
    /// tasks on the cooperative pool, which a blocked `recv` there would starve (2 cores, 2 threads).
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    /// `GET path` on 127.0.0.1:`port`, off the cooperative pool.
    static func fetch(_ path: String, port: UInt16) async throws -> Reply {
        try await offThePool { try get(path, port: port) }
    }

    /// ``exchange(port:request:hangGuardSeconds:)`` off the cooperative pool.
    static func send(_ request: Data, port: UInt16) async throws -> Reply {
        try await offThePool { try exchange(port: port, request: request) }
    }

    /// `GET path` on 127.0.0.1:`port`.
    static func get(_ path: String, port: UInt16) throws -> Reply {
        try exchange(port: port, request: Data("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".utf8))
    }

    /// Connects to 127.0.0.1:`port`, sends `request` (possibly nothing) and reads until the server closes.
    static func exchange(port: UInt16, request: Data, hangGuardSeconds: Int = 60) throws -> Reply {
        let socket = try connect(port: port, hangGuardSeconds: hangGuardSeconds)
        defer { close(socket) }
        var sent = 0
        while sent < request.count {
            let n = request.withUnsafeBytes { Glibc.send(socket, $0.baseAddress! + sent, request.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }  // the server may close before reading everything (an oversized request)
            sent += n
        }
        return try readToEnd(socket)
    }

    /// A connected socket (receive timeout `hangGuardSeconds`).
    static func connect(port: UInt16, hangGuardSeconds: Int = 60) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        var timeout = timeval(tv_sec: hangGuardSeconds, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socket)
            throw Failure(description: "connect to 127.0.0.1:\(port): errno \(errno)")
        }
        return socket
    }

    /// Reads until end of stream; throws if the hang guard fires first.
    static func readToEnd(_ socket: Int32) throws -> Reply {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = recv(socket, &buffer, buffer.count, 0)
            if n > 0 {
                data.append(contentsOf: buffer[0..<n])
            } else if n == 0 {
                return Reply(text: String(decoding: data, as: UTF8.self), wasReset: false)
            } else if errno == ECONNRESET {
                return Reply(text: String(decoding: data, as: UTF8.self), wasReset: true)
            } else if errno == EINTR {
                continue
            } else {
                throw Failure(description: "no end of the reply (errno \(errno)); got: \(String(decoding: data, as: UTF8.self))")
            }
        }
    }
}

/// The samples of a Prometheus text exposition: `name{labels}` to value.
struct PrometheusSamples {
    var values: [String: Double] = [:]
    /// The families' names with their `# TYPE`.
    var types: [String: String] = [:]
    /// The families with a `# HELP` line.
    var helped: Set<String> = []

    init(_ text: String) {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
            } else if line.hasPrefix("# HELP ") {
                let parts = line.split(separator: " ")
                if parts.count > 2 { helped.insert(String(parts[2])) }
            } else if let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) {
                values[String(line[..<space])] = value
            }
        }
    }

    subscript(_ key: String) -> Double? { values[key] }
}
