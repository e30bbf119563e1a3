import Foundation
import Testing

/// The `hyperdht` binary end to end over real UDP on 127.0.0.1: a testnet in one process, announce and
/// lookup from others.
@Suite(.timeLimit(.minutes(5))) struct CommandLineEndToEndTests {
    /// Starts `hyperdht testnet` and returns the process and the bootstrap address it printed.
    static func startTestnet(nodes: Int) throws -> (Process, String) {
        let process = Process()
        process.executableURL = HyperDHTCLITests.binary
        process.arguments = ["testnet", "\(nodes)", "--json"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = Data()
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            if let line = String(decoding: buffer, as: UTF8.self).split(separator: "\n").first,
               let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
               let address = object["bootstrap"] as? [String: Any], let host = address["host"] as? String,
               let port = address["port"] as? Int {
                return (process, "\(host):\(port)")
            }
        }
        process.terminate()
        throw CLIError.noBootstrapAddress(String(decoding: buffer, as: UTF8.self))
    }

    enum CLIError: Error { case noBootstrapAddress(String) }

    static func jsonLines(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test func announceFromOneProcessIsFoundByALookupFromAnother() throws {
        let (testnet, bootstrap) = try Self.startTestnet(nodes: 12)
        defer { testnet.terminate(); testnet.waitUntilExit() }

        let announce = try HyperDHTCLITests.run(["announce", "cli-e2e-topic", "--port", "4242", "--bootstrap", bootstrap, "--json",
                                                    "--host", "127.0.0.1"])
        #expect(announce.status == 0, "\(announce.output)")
        let announceSummary = Self.jsonLines(announce.output).first { $0["type"] as? String == "summary" }
        #expect((announceSummary?["storedOn"] as? Int ?? 0) > 0)

        let lookup = try HyperDHTCLITests.run(["lookup", "cli-e2e-topic", "--bootstrap", bootstrap, "--json"])
        #expect(lookup.status == 0, "\(lookup.output)")
        let lines = Self.jsonLines(lookup.output)
        #expect(lines.count == lookup.output.split(separator: "\n").count, "every line is JSON")
        let peers = lines.filter { $0["type"] as? String == "peers" }
            .flatMap { $0["peers"] as? [[String: Any]] ?? [] }
            .map { "\($0["host"] ?? ""):\($0["port"] ?? "")" }
        #expect(peers.contains("127.0.0.1:4242"))

        let text = try HyperDHTCLITests.run(["lookup", "cli-e2e-topic", "--bootstrap", bootstrap])
        #expect(text.output.contains("peer 127.0.0.1:4242"))
        // The topic's key typed as 64 hex digits (SHA-256 of "cli-e2e-topic") finds the same peer.
        let byKey = try HyperDHTCLITests.run(["lookup", "1160ee3045df5c1cbdccdbc06fcdbccc7b6a12741f9778993d9c673491dae5c4",
                                              "--bootstrap", bootstrap])
        #expect(byKey.output.contains("peer 127.0.0.1:4242"), "\(byKey.output)")

        let ping = try HyperDHTCLITests.run(["ping", bootstrap, "--host", "127.0.0.1"])
        #expect(ping.status == 0)
        #expect(ping.output.contains("it sees us at 127.0.0.1:"))
    }

    @Test(arguments: [
        ["lookup", "topic", "--bootstrap", "not an address"],
        ["ping", "127.0.0.1:99999"],
        ["ping", "[::1"],
        ["lookup", ""],
        ["testnet", "0"],
        ["announce", "x", "--port", "70000"],
        ["node", "--host", "localhost-ish"],
        ["ping", "127.0.0.1:1", "--host", "300.1.2.3"],
        ["announce", "x", "--port", "5", "--local-address", "[::1]:5", "--bootstrap", "127.0.0.1:9"],
    ])
    func badArgumentsExitWith64AndSayWhatIsWrong(arguments: [String]) throws {
        let result = try HyperDHTCLITests.run(arguments)
        #expect(result.status == 64, "\(arguments): \(result.output)")
        #expect(result.output.contains("Error"), "\(arguments): \(result.output)")
        if arguments.contains("--host") { #expect(result.output.contains("is not an IP address"), "\(result.output)") }
    }

    /// A one-shot announce without --port would store this process's own port, dead once it exits: it
    /// is refused. With --port it says what it announced and how to withdraw it; unannounce then says
    /// what the nodes did, and the lookup no longer finds the port.
    @Test func aOneShotAnnounceNamesItsPortAndCanBeWithdrawn() throws {
        let refused = try HyperDHTCLITests.run(["announce", "cli-undo-topic", "--bootstrap", "127.0.0.1:9"])
        #expect(refused.status == 64, "\(refused.output)")
        #expect(refused.output.contains("a one-shot announce needs --port PORT"), "\(refused.output)")

        let (testnet, bootstrap) = try Self.startTestnet(nodes: 10)
        defer { testnet.terminate(); testnet.waitUntilExit() }
        let announce = try HyperDHTCLITests.run(["announce", "cli-undo-topic", "--port", "4250", "--bootstrap", bootstrap,
                                                 "--host", "127.0.0.1"])
        #expect(announce.status == 0, "\(announce.output)")
        #expect(announce.output.contains("announce: 0 peers found; "), "\(announce.output)")
        #expect(announce.output.contains("announced port 4250"), "\(announce.output)")
        #expect(announce.output.contains("withdraw it with: hyperdht unannounce "), "\(announce.output)")
        #expect(announce.output.range(of: #"stored on [1-9][0-9]* nodes?"#, options: .regularExpression) != nil, "\(announce.output)")

        let found = try HyperDHTCLITests.run(["lookup", "cli-undo-topic", "--bootstrap", bootstrap])
        #expect(found.output.contains("lookup: 1 peer found; "), "\(found.output)")

        let unannounce = try HyperDHTCLITests.run(["unannounce", "cli-undo-topic", "--port", "4250", "--bootstrap", bootstrap,
                                                   "--host", "127.0.0.1"])
        #expect(unannounce.status == 0, "\(unannounce.output)")
        #expect(unannounce.output.range(of: #"[1-9][0-9]* nodes? acknowledged the removal"#, options: .regularExpression) != nil,
                "\(unannounce.output)")
        #expect(!unannounce.output.contains("stored on"), "\(unannounce.output)")
        let lookup = try HyperDHTCLITests.run(["lookup", "cli-undo-topic", "--bootstrap", bootstrap])
        #expect(!lookup.output.contains("4250"), "\(lookup.output)")
        #expect(lookup.output.contains("lookup: 0 peers found; "), "\(lookup.output)")
    }

    @Test func aNetworkFailureExitsNonZeroWithAMessage() throws {
        let result = try HyperDHTCLITests.run(["ping", "127.0.0.1:9"])
        #expect(result.status == 1)
        #expect(result.output.contains("no answer from 127.0.0.1:9"))
    }
}
