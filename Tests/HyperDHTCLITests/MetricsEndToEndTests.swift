import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `--metrics HOST:PORT` end to end: a real `hyperdht bootstrap` on 127.0.0.1 with its metrics on an
/// ephemeral port, scraped over a plain TCP socket before and after traffic.
@Suite(.timeLimit(.minutes(5))) struct MetricsEndToEndTests {
    /// A started node process and the ports it printed.
    struct RunningNode {
        let process: Process
        let udpPort: UInt16
        let metricsPort: UInt16
    }

    enum StartError: Error { case noPorts(String) }

    /// Starts `hyperdht bootstrap` on 127.0.0.1 (any free UDP port) with `--metrics 127.0.0.1:0` and
    /// reads the two ports from its text output (hang guard 60 s).
    static func startNode() throws -> RunningNode {
        let process = Process()
        process.executableURL = HyperDHTCLITests.binary
        process.arguments = ["bootstrap", "--port", "0", "--host", "127.0.0.1", "--metrics", "127.0.0.1:0"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var output = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output += String(decoding: chunk, as: UTF8.self)
            if let udp = Self.number(after: "listening on ", in: output),
               let metrics = Self.number(after: "metrics at http://127.0.0.1:", in: output) {
                return RunningNode(process: process, udpPort: udp, metricsPort: metrics)
            }
        }
        process.terminate()
        throw StartError.noPorts(output)
    }

    static func number(after marker: String, in text: String) -> UInt16? {
        guard let range = text.range(of: marker) else { return nil }
        return UInt16(text[range.upperBound...].prefix { $0.isNumber })
    }

    static func scrape(_ port: UInt16) throws -> PrometheusSamples {
        let reply = try PlainHTTP.get("/metrics", port: port)
        #expect(reply.status == 200, "\(reply.text.prefix(300))")
        return PrometheusSamples(reply.body)
    }

    /// Sends one datagram that is no dht-rpc message to 127.0.0.1:`port`.
    static func sendGarbage(to port: UInt16) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bytes: [UInt8] = [0xFF, 0x00, 0x13, 0x37, 0x42]
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(socket, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }

    @Test func countersChangeUnderTrafficAndOnlyMetricsIsServed() async throws {
        let node = try Self.startNode()
        defer { node.process.terminate(); node.process.waitUntilExit() }

        let before = try Self.scrape(node.metricsPort)
        let pingKey = #"hyperdht_requests_received_total{command="_ping"}"#
        #expect(before[pingKey] == 0)
        #expect(before["hyperdht_malformed_datagrams_total"] == 0)
        #expect(before["hyperdht_ready"] != nil)
        #expect(before["hyperdht_routing_table_nodes"] != nil)
        #expect(before["hyperdht_store_keys"] == 0)

        // Traffic: two pings from another process, and a datagram that is not a message.
        for _ in 0..<2 {
            let ping = try HyperDHTCLITests.run(["ping", "127.0.0.1:\(node.udpPort)", "--host", "127.0.0.1"])
            #expect(ping.status == 0, "\(ping.output)")
        }
        Self.sendGarbage(to: node.udpPort)

        // The events reach the metrics within a batch interval; the hang guard is generous.
        var after = try Self.scrape(node.metricsPort)
        let deadline = ContinuousClock.now + .seconds(60)
        while ((after[pingKey] ?? 0) < 2 || (after["hyperdht_malformed_datagrams_total"] ?? 0) < 1)
                && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            after = try Self.scrape(node.metricsPort)
        }
        #expect(after[pingKey] == 2)
        #expect((after["hyperdht_responses_sent_total"] ?? 0) >= 2)
        #expect(after["hyperdht_malformed_datagrams_total"] == 1)
        #expect((after["hyperdht_datagrams_received_total"] ?? 0) >= 3)
        #expect((after["hyperdht_datagrams_received_total"] ?? 0) > (before["hyperdht_datagrams_received_total"] ?? 0))

        // Nothing but GET /metrics is answered; an oversized request is refused; the node goes on.
        let other = try PlainHTTP.get("/debug", port: node.metricsPort)
        #expect(other.status == 404, "\(other.text)")
        let huge = "GET /metrics HTTP/1.1\r\nX-Padding: " + String(repeating: "a", count: 64 * 1024) + "\r\n\r\n"
        let oversized = try PlainHTTP.exchange(port: node.metricsPort, request: Data(huge.utf8))
        #expect(oversized.status == 431 || (oversized.text.isEmpty && oversized.wasReset), "\(oversized.text.prefix(200))")
        #expect(try PlainHTTP.get("/metrics", port: node.metricsPort).status == 200)

        // A second node asking for the same metrics port is told it is in use, and exits 1.
        let clash = try HyperDHTCLITests.run(["bootstrap", "--port", "0", "--host", "127.0.0.1",
                                              "--metrics", "127.0.0.1:\(node.metricsPort)"])
        #expect(clash.status == 1, "\(clash.output)")
        #expect(clash.output.contains("port \(node.metricsPort) is in use"), "\(clash.output)")
    }

    @Test(arguments: [
        ["bootstrap", "--metrics", "127.0.0.1"],
        ["bootstrap", "--metrics", "somehost:9464"],
        ["bootstrap", "--metrics", "127.0.0.1:99999"],
        ["announce", "x", "--port", "5", "--bootstrap", "127.0.0.1:9", "--metrics", "127.0.0.1:0"],
    ])
    func badMetricsArgumentsExitWith64(arguments: [String]) throws {
        let result = try HyperDHTCLITests.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.output)")
        #expect(result.output.contains("--metrics"), "\(arguments): \(result.output)")
    }
}
