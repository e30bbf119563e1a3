import Foundation
import Testing

/// What the command line says to a person who gets something wrong: the monitor's reading of keys and
/// addresses, a subcommand's own usage, plain words for a port in use, and timestamps in node logs.
@Suite(.timeLimit(.minutes(5))) struct CommandLineMessagesTests {
    static let nearMissKey = String(repeating: "ab", count: 31) + "a"  // 63 hex digits

    @Test func inputIsReadAsTheMonitorReadsIt() async throws {
        let nearMiss = try HyperDHTCLITests.run(["lookup", Self.nearMissKey, "--bootstrap", "127.0.0.1:9"])
        #expect(nearMiss.status == 64, "\(nearMiss.output)")
        #expect(nearMiss.output.contains("63 hex digits: a key has exactly 64"), "\(nearMiss.output)")
        #expect(nearMiss.output.contains("--topic"), "\(nearMiss.output)")
        let longKey = try HyperDHTCLITests.run(["announce", Self.nearMissKey + "bb", "--port", "5", "--bootstrap", "127.0.0.1:9"])
        #expect(longKey.status == 64 && longKey.output.contains("65 hex digits"), "\(longKey.output)")
        let v6 = try HyperDHTCLITests.run(["lookup", "x", "--local-address", "[::1]:5", "--bootstrap", "127.0.0.1:9"])
        #expect(v6.status == 64 && v6.output.contains("is not IPv4"), "\(v6.output)")

        let (testnet, bootstrap) = try CommandLineEndToEndTests.startTestnet(nodes: 6)
        defer { testnet.terminate(); testnet.waitUntilExit() }
        let asTopic = try HyperDHTCLITests.run(["lookup", Self.nearMissKey, "--topic", "--bootstrap", bootstrap])
        #expect(asTopic.status == 0 && asTopic.output.contains("lookup: 0 peers found"), "\(asTopic.output)")
        let port = bootstrap.split(separator: ":").last.map(String.init) ?? ""
        let local = try HyperDHTCLITests.run(["ping", "localhost:\(port)", "--host", "127.0.0.1"])
        #expect(local.status == 0 && local.output.contains("pong from 127.0.0.1:\(port)"), "\(local.output)")
    }

    @Test func usageMistakesGetTheRightUsage() throws {
        let lookup = try HyperDHTCLITests.run(["lookup", "foo"])
        #expect(lookup.status == 64, "\(lookup.output)")
        #expect(lookup.output.contains("no network to join: give --bootstrap"), "\(lookup.output)")
        #expect(lookup.output.contains("Usage: hyperdht lookup"), "\(lookup.output)")
        let bogus = try HyperDHTCLITests.run(["bogus"])
        #expect(bogus.status == 64, "\(bogus.output)")
        #expect(bogus.output.contains("unknown command 'bogus'"), "\(bogus.output)")
        #expect(!bogus.output.contains("Usage: hyperdht monitor"), "\(bogus.output)")
        let swarm = try HyperDHTCLITests.run(["monitor", "--swarm-size", "4", "--bootstrap", "127.0.0.1:9"])
        #expect(swarm.status == 64 && swarm.output.contains("--swarm-size sizes the embedded swarm"), "\(swarm.output)")
    }

    @Test func aPortInUseIsNamed() async throws {
        let port = 47_451
        let first = try BootstrapFailureTests.RunningCommand(["bootstrap", "--port", "\(port)", "--host", "127.0.0.1"])
        defer { first.stop() }
        #expect(try await first.waitFor("bootstrap node listening on \(port)"), "\(first.output)")
        // Node log lines start with the time.
        #expect(first.output.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ bootstrap node listening"#, options: .regularExpression) != nil,
                "\(first.output)")
        for arguments in [["bootstrap", "--port", "\(port)", "--host", "127.0.0.1"],
                          ["node", "--port", "\(port)", "--host", "127.0.0.1", "--bootstrap", "127.0.0.1:9"],
                          ["ping", "127.0.0.1:9", "--port", "\(port)", "--host", "127.0.0.1"]] {
            let second = try HyperDHTCLITests.run(arguments)
            #expect(second.status == 1, "\(arguments): \(second.output)")
            #expect(second.output.contains("port \(port) is in use"), "\(arguments): \(second.output)")
            #expect(!second.output.contains("bindFailed") && !second.output.contains("descriptor"), "\(second.output)")
        }
    }
}
