import Foundation
import Testing

extension NATLabTests {
    /// `hyperdht netcheck` on each kind of lab host says what its NAT does.
    @Suite("NAT lab: netcheck") struct Netcheck {
        struct Expectation: Sendable, CustomTestStringConvertible {
            var host: String
            var mapping: String
            var portPreserving: Bool?
            var filtering: String
            var verdict: String
            var testDescription: String { host }
        }

        static let expectations = [
            Expectation(host: "p1", mapping: "none", portPreserving: nil, filtering: "open", verdict: "reachable-directly"),
            Expectation(host: "a1", mapping: "endpoint-independent", portPreserving: true, filtering: "address-dependent",
                        verdict: "punching-works-with-consistent-peers"),
            Expectation(host: "d1", mapping: "endpoint-independent", portPreserving: true, filtering: "address-dependent",
                        verdict: "punching-works-with-consistent-peers"),
            Expectation(host: "b1", mapping: "port-randomising", portPreserving: false, filtering: "address-dependent",
                        verdict: "punching-unlikely-port-randomising"),
            Expectation(host: "c1", mapping: "endpoint-independent", portPreserving: true, filtering: "endpoint-independent",
                        verdict: "reachable-directly"),
        ]

        @Test(arguments: expectations)
        func netcheckClassifiesTheMappingAndFilteringOfEachLabNAT(expected: Expectation) async throws {
            let lab = try NATLab.inUse()
            let run = try await lab.run(on: expected.host, ["netcheck", "--bootstrap", lab.bootstrap, "--json"], timeout: 60)
            #expect(run.status == 0, "\(run.output)")
            let report = try #require(run.json.first { $0["type"] as? String == "netcheck" }, "\(run.output)")
            let publicHost = expected.host.hasPrefix("p") ? try await NATLab.address(of: expected.host)
                                                          : try await NATLab.natAddress(of: expected.host)
            #expect((report["publicAddress"] as? [String: Any])?["host"] as? String == publicHost, "\(run.stdout)")
            #expect(report["reporters"] as? Int ?? 0 >= 4, "\(run.stdout)")
            #expect(report["mapping"] as? String == expected.mapping, "\(run.stdout)")
            if let portPreserving = expected.portPreserving {
                #expect(report["portPreserving"] as? Bool == portPreserving, "\(run.stdout)")
            }
            #expect(report["filtering"] as? String == expected.filtering, "\(run.stdout)")
            #expect(report["verdict"] as? String == expected.verdict, "\(run.stdout)")
            if !expected.host.hasPrefix("p") {
                #expect(report["hairpinning"] as? Bool == false, "no lab NAT hairpins: \(run.stdout)")
            }
            #expect(!(report["evidence"] as? [Any] ?? []).isEmpty, "\(run.stdout)")
            let text = try await lab.run(on: expected.host, ["netcheck", "--bootstrap", lab.bootstrap], timeout: 60)
            #expect(text.status == 0 && text.stdout.contains(report["verdictText"] as? String ?? "\u{0}"), "\(text.output)")
        }
    }
}
