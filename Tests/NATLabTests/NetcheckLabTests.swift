import Foundation
import Testing

extension NATLabTests {
    /// `hyperdht netcheck` on every kind of host in the lab classifies the NAT in front of it as the lab built it.
    @Suite("NAT lab: netcheck") struct Netcheck {
        /// What netcheck must say on each host: mapping, port preservation, filtering, verdict.
        struct Expected: Sendable, CustomStringConvertible {
            var host: String
            var mapping: String
            var portPreserving: Bool?
            var filtering: String
            var verdict: String
            var description: String { host }
        }

        static let expectations = [
            Expected(host: "p1", mapping: "none", portPreserving: nil, filtering: "open", verdict: "reachable-directly"),
            Expected(host: "a1", mapping: "endpoint-independent", portPreserving: true, filtering: "address-dependent",
                     verdict: "punching-works-with-consistent-peers"),
            Expected(host: "d1", mapping: "endpoint-independent", portPreserving: true, filtering: "address-dependent",
                     verdict: "punching-works-with-consistent-peers"),
            Expected(host: "b1", mapping: "port-randomising", portPreserving: false, filtering: "address-dependent",
                     verdict: "punching-unlikely-port-randomising"),
            Expected(host: "c1", mapping: "endpoint-independent", portPreserving: true, filtering: "endpoint-independent",
                     verdict: "reachable-directly"),
        ]

        @Test(arguments: expectations)
        func netcheckClassifiesTheNATInFrontOfEachHost(expected: Expected) async throws {
            let lab = try NATLab.inUse()
            let result = try await lab.run(on: expected.host, ["netcheck", "--bootstrap", lab.bootstrap, "--json"], timeout: 40)
            #expect(result.status == 0, "\(expected.host): \(result.output)")
            let report = try #require(result.json.first { $0["type"] as? String == "netcheck" }, "\(result.output)")
            #expect(report["mapping"] as? String == expected.mapping, "\(expected.host): \(result.output)")
            #expect(report["portPreserving"] as? Bool == expected.portPreserving, "\(expected.host): \(result.output)")
            #expect(report["filtering"] as? String == expected.filtering, "\(expected.host): \(result.output)")
            #expect(report["verdict"] as? String == expected.verdict, "\(expected.host): \(result.output)")
            #expect((report["reporters"] as? Int ?? 0) >= 4, "\(expected.host): \(result.output)")
            let publicHost = (report["publicAddress"] as? [String: Any])?["host"] as? String
            let expectedHost = expected.host.hasPrefix("p")
                ? try await NATLab.address(of: expected.host) : try await NATLab.natAddress(of: expected.host)
            #expect(publicHost == expectedHost, "\(expected.host): \(result.output)")
            // None of the lab's NATs turns datagrams to its own public address around.
            if expected.mapping != "none" { #expect(report["hairpinning"] as? Bool == false, "\(result.output)") }
        }
    }
}
