import Foundation
import Testing

/// `hyperdht netcheck` end to end over real UDP on 127.0.0.1: every node of a testnet sees us at our own
/// address, so there is no NAT and unsolicited answers get in.
@Suite(.timeLimit(.minutes(5))) struct NetcheckEndToEndTests {
    @Test func onLoopbackThereIsNoNATAndWeAreReachableDirectly() throws {
        let (testnet, bootstrap) = try CommandLineEndToEndTests.startTestnet(nodes: 12)
        defer { testnet.terminate(); testnet.waitUntilExit() }

        let result = try HyperDHTCLITests.run(["netcheck", "--bootstrap", bootstrap, "--json"])
        #expect(result.status == 0, "\(result.output)")
        let reports = CommandLineEndToEndTests.jsonLines(result.output).filter { $0["type"] as? String == "netcheck" }
        let report = try #require(reports.first, "\(result.output)")
        #expect(reports.count == 1)
        #expect(report["mapping"] as? String == "none")
        #expect(report["verdict"] as? String == "reachable-directly")
        #expect(report["filtering"] as? String == "open")
        #expect(report["hairpinning"] is NSNull)
        #expect(report["portPreserving"] is NSNull)
        #expect((report["reporters"] as? Int ?? 0) >= 4)
        let publicAddress = try #require(report["publicAddress"] as? [String: Any])
        #expect(publicAddress["host"] as? String == "127.0.0.1")
        let local = report["localAddresses"] as? [[String: Any]] ?? []
        #expect(local.contains { $0["host"] as? String == "127.0.0.1" && $0["port"] as? Int == publicAddress["port"] as? Int })
        let evidence = report["evidence"] as? [[String: Any]] ?? []
        #expect(evidence.contains { $0["line"] as? String == "filtering" && ($0["text"] as? String ?? "").contains("got in") })

        let text = try HyperDHTCLITests.run(["netcheck", "--bootstrap", bootstrap, "--host", "127.0.0.1"])
        #expect(text.status == 0, "\(text.output)")
        #expect(text.output.hasPrefix("verdict: reachable directly (no NAT)\n"), "\(text.output)")
        #expect(text.output.contains("\nmapping: none\n"))
        #expect(text.output.contains("sees us at 127.0.0.1:"))
    }

    @Test func noAnsweringNodeExitsWith1AndSaysSo() throws {
        let result = try HyperDHTCLITests.run(["netcheck", "--bootstrap", "127.0.0.1:9", "--json"])
        #expect(result.status == 1)
        #expect(result.output.contains("no answer from the bootstrap node(s) 127.0.0.1:9"))
    }

    @Test func noBootstrapIsBadInput() throws {
        let result = try HyperDHTCLITests.run(["netcheck"])
        #expect(result.status == 64)
        #expect(result.output.contains("netcheck needs a network"))
    }
}
