import Foundation
import Testing

/// `hyperdht holepunch` when the punch fails: exit 1, the follow-up's cause and evidence – as text
/// on stderr, or as one `error` JSON line with the diagnosis – over real UDP on 127.0.0.1.
@Suite(.timeLimit(.minutes(5))) struct HolepunchFailureTests {
    @Test func aPeerThatIsNotThereIsReportedLikelyGoneWithTimedEvidence() throws {
        let (testnet, bootstrap) = try CommandLineEndToEndTests.startTestnet(nodes: 4)
        defer { testnet.terminate(); testnet.waitUntilExit() }

        let json = try HyperDHTCLITests.run(["holepunch", "127.0.0.1:9", "--via", bootstrap, "--bootstrap", bootstrap,
                                             "--host", "127.0.0.1", "--json"])
        #expect(json.status == 1, "\(json.output)")
        let lines = CommandLineEndToEndTests.jsonLines(json.output)
        #expect(lines.count == 1, "\(json.output)")
        let error = try #require(lines.first)
        #expect(error["type"] as? String == "error")
        #expect(error["command"] as? String == "holepunch")
        #expect((error["message"] as? String)?.hasPrefix("hole punch to 127.0.0.1:9 via \(bootstrap) failed: peer-gone") == true)
        let report = try #require(error["diagnosis"] as? [String: Any])
        #expect(report["cause"] as? String == "peer-gone")
        #expect((report["explanation"] as? String)?.contains("likely gone") == true)
        let evidence = try #require(report["evidence"] as? [[String: Any]])
        let texts = evidence.compactMap { $0["text"] as? String }
        let times = evidence.compactMap { $0["atMs"] as? Int }
        #expect(times.count == evidence.count && times == times.sorted())
        #expect(texts.contains { $0.hasPrefix("referrer \(bootstrap) answered a direct _ping") })
        #expect(texts.contains { $0.hasPrefix("peer 127.0.0.1:9 did not answer a direct _ping") })

        let text = try HyperDHTCLITests.run(["holepunch", "127.0.0.1:9", "--via", bootstrap, "--bootstrap", bootstrap,
                                             "--host", "127.0.0.1"])
        #expect(text.status == 1)
        #expect(text.output.contains("hole punch to 127.0.0.1:9 via \(bootstrap) failed: peer-gone: "), "\(text.output)")
        #expect(text.output.contains(" ms  referrer \(bootstrap) answered a direct _ping"), "\(text.output)")
    }

    @Test func aReferrerThatIsNotThereIsReportedUnreachable() throws {
        let (testnet, bootstrap) = try CommandLineEndToEndTests.startTestnet(nodes: 4)
        defer { testnet.terminate(); testnet.waitUntilExit() }

        let json = try HyperDHTCLITests.run(["holepunch", "127.0.0.1:9", "--via", "127.0.0.1:7", "--bootstrap", bootstrap,
                                             "--host", "127.0.0.1", "--json"])
        #expect(json.status == 1, "\(json.output)")
        let error = try #require(CommandLineEndToEndTests.jsonLines(json.output).first)
        let report = try #require(error["diagnosis"] as? [String: Any], "\(json.output)")
        #expect(report["cause"] as? String == "referrer-unreachable", "\(json.output)")
        #expect((report["explanation"] as? String)?.contains("so our connection works") == true, "\(json.output)")
    }
}
