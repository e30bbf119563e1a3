import Foundation
import IPEncoding
import NIOPosix
import NodeMetrics
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The HTTP side on 127.0.0.1: only GET /metrics is answered, everything else is refused, and no
/// client can hold the server's memory or connections.
@Suite(.timeLimit(.minutes(3))) struct MetricsServerTests {
    /// The default limits but a connection lifetime no starved test run outlives: every test but the one about
    /// the lifetime must not have its connection closed before the server – starved by a loaded machine – answers.
    static var patient: MetricsServer.Limits {
        var limits = MetricsServer.Limits()
        limits.connectionLifetime = .seconds(600)
        return limits
    }

    static func start(_ limits: MetricsServer.Limits = Self.patient) async throws -> MetricsServer {
        try await MetricsServer.start(host: .loopbackV4, port: 0, on: MultiThreadedEventLoopGroup.singleton, limits: limits) {
            "# TYPE hyperdht_test_total counter\nhyperdht_test_total 1\n"
        }
    }

    @Test func getMetricsIsAnsweredAndOtherRequestsAreRefused() async throws {
        let server = try await Self.start()
        defer { Task { await server.close() } }
        let port = server.address.port
        #expect(port != 0)

        let metrics = try await PlainHTTP.fetch("/metrics", port: port)
        #expect(metrics.status == 200, "\(metrics.text)")
        #expect(metrics.text.contains("Content-Type: text/plain; version=0.0.4; charset=utf-8"), "\(metrics.text)")
        #expect(metrics.body == "# TYPE hyperdht_test_total counter\nhyperdht_test_total 1\n")
        #expect(try await PlainHTTP.fetch("/metrics?x=1", port: port).status == 200)

        let other = try await PlainHTTP.fetch("/", port: port)
        #expect(other.status == 404, "\(other.text)")
        #expect(!other.body.contains("hyperdht_test_total"))
        #expect(try await PlainHTTP.fetch("/metricsx", port: port).status == 404)
        let post = try await PlainHTTP.send(Data("POST /metrics HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi".utf8), port: port)
        #expect(post.status == 405, "\(post.text)")
        let garbage = try await PlainHTTP.send(Data("\u{1}\u{2} nonsense\r\n\r\n".utf8), port: port)
        #expect(garbage.status == 400 || garbage.text.isEmpty, "\(garbage.text)")
    }

    /// A request over the cap is answered 431 (or the connection is cut) and never served; the server
    /// goes on serving.
    @Test func anOversizedRequestIsRefusedAndTheServerGoesOn() async throws {
        var limits = Self.patient
        limits.maximumRequestBytes = 1024
        let server = try await Self.start(limits)
        defer { Task { await server.close() } }
        let port = server.address.port
        let huge = "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Padding: " + String(repeating: "a", count: 64 * 1024) + "\r\n\r\n"
        let reply = try await PlainHTTP.send(Data(huge.utf8), port: port)
        #expect(reply.status == 431 || (reply.text.isEmpty && reply.wasReset), "\(reply.text.prefix(200))")
        #expect(!reply.text.contains("hyperdht_test_total"))
        #expect(try await PlainHTTP.fetch("/metrics", port: port).status == 200)
    }

    /// A client that connects and sends nothing is closed at the connection's deadline.
    @Test func anIdleConnectionIsClosed() async throws {
        var limits = MetricsServer.Limits()
        limits.connectionLifetime = .milliseconds(300)
        let server = try await Self.start(limits)
        defer { Task { await server.close() } }
        let socket = try PlainHTTP.connect(port: server.address.port)
        defer { close(socket) }
        let reply = try await PlainHTTP.offThePool { try PlainHTTP.readToEnd(socket) }  // once the server closes (hang guard 60 s)
        #expect(reply.text.isEmpty)
    }

    /// Connections beyond the cap are closed at once; the ones within it are served.
    @Test func connectionsBeyondTheCapAreClosed() async throws {
        var limits = MetricsServer.Limits()
        limits.maximumConnections = 2
        limits.connectionLifetime = .seconds(600)  // the held ones must outlive a starved test run (seen: 10 s did not)
        let server = try await Self.start(limits)
        defer { Task { await server.close() } }
        let port = server.address.port
        let first = try PlainHTTP.connect(port: port), second = try PlainHTTP.connect(port: port)
        defer { close(first); close(second) }
        // Each connection is admitted on its own event loop: wait until both are (hang guard 60 s).
        let deadline = ContinuousClock.now + .seconds(60)
        while server.connections.open < 2 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.connections.open == 2)
        // Both held open (sending nothing); a third is closed without an answer.
        let third = try await PlainHTTP.send(Data("GET /metrics HTTP/1.1\r\n\r\n".utf8), port: port)
        #expect(third.status == nil, "\(third.text)")
        #expect(server.connections.refused >= 1)
    }

    @Test func aPortInUseSaysSo() async throws {
        let server = try await Self.start()
        defer { Task { await server.close() } }
        await #expect(throws: MetricsServerError.self) {
            _ = try await MetricsServer.start(host: .loopbackV4, port: server.address.port, on: MultiThreadedEventLoopGroup.singleton) { "" }
        }
        do {
            _ = try await MetricsServer.start(host: .loopbackV4, port: server.address.port, on: MultiThreadedEventLoopGroup.singleton) { "" }
        } catch {
            #expect("\(error)".contains("port \(server.address.port) is in use"), "\(error)")
        }
    }
}
