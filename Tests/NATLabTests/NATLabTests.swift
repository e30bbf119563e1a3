import Foundation
import Testing

/// Real `hyperdht` processes in the repository's NAT lab (`scripts/natlab`): a public segment with a bootstrap
/// node on `boot` and plain nodes on `p1`…`p4`, and hosts behind Linux NATs (LAN A: a1, a2 and LAN D: d1 behind
/// port-preserving NATs that drop unsolicited inbound; LAN B: b1 behind a port-randomising one; LAN C: c1 behind
/// a full-cone emulation). The lab is built once for all of them and removed at the end, also after a failure;
/// its tests run one at a time. They need root: skipped for a developer without it, failed under CI.
@Suite("NAT lab", .serialized, .enabled(if: NATLab.shouldRun, "needs root (network namespaces); CI runs it as root"),
       .natLab, .timeLimit(.minutes(10)))
struct NATLabTests {}

/// Where the NATs map a host's UDP port: `conntrack` entries on a NAT box.
struct ConntrackMapping: Equatable, CustomStringConvertible {
    var localPort: Int
    var destination: String
    var publicPort: Int
    var description: String { ":\(localPort) → \(destination) as :\(publicPort)" }

    /// The UDP mappings `nat` holds for `lanHost`'s address.
    static func list(lab: NATLab, nat: String, lanHost: String) async throws -> [ConntrackMapping] {
        let address = try await NATLab.address(of: lanHost)
        let result = try await lab.shell(on: nat, ["conntrack", "-L", "-p", "udp", "--orig-src", address])
        guard result.status == 0 else { throw NATLab.Failure(description: "conntrack on \(nat): \(result.output)") }
        return result.stdout.split(separator: "\n").compactMap { line in
            // udp 17 29 src=10.1.0.11 dst=172.31.0.2 sport=40001 dport=49737 src=172.31.0.2 dst=172.31.1.1 sport=49737 dport=40001 …
            let fields = line.split(separator: " ").compactMap { field -> (String, String)? in
                let parts = field.split(separator: "=", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }
            let sports = fields.filter { $0.0 == "sport" }.map(\.1), dports = fields.filter { $0.0 == "dport" }.map(\.1)
            let destinations = fields.filter { $0.0 == "dst" }.map(\.1)
            guard sports.count == 2, dports.count == 2, let local = Int(sports[0]), let mapped = Int(dports[1]),
                  let destinationPort = dports.first, let destination = destinations.first else { return nil }
            return ConntrackMapping(localPort: local, destination: "\(destination):\(destinationPort)", publicPort: mapped)
        }
    }
}

extension NATLabTests {
    /// What a private host learns about its public address by pinging public nodes.
    @Suite("NAT lab: public addresses") struct PublicAddresses {
        @Test func aPrivateHostLearnsItsNATsPublicAddressAndAPublicHostItsOwn() async throws {
            let lab = try NATLab.inUse()
            for host in ["a1", "a2", "b1", "c1", "d1", "p1"] {
                let ping = try await lab.run(on: host, ["ping", lab.bootstrap, "--json"])
                #expect(ping.status == 0, "\(host): \(ping.output)")
                let pong = ping.json.first { $0["type"] as? String == "pong" }
                let observed = (pong?["observedAddress"] as? [String: Any])?["host"] as? String
                let expected = host.hasPrefix("p") ? try await NATLab.address(of: host) : try await NATLab.natAddress(of: host)
                #expect(observed == expected, "\(host) is seen at \(observed ?? "nothing"), expected its NAT's \(expected): \(ping.output)")
            }
        }

        @Test func theObservedPortIsTheMappingTheNATHolds() async throws {
            let lab = try NATLab.inUse()
            let ping = try await lab.run(on: "a1", ["ping", lab.bootstrap, "--json", "--port", "40210"])
            #expect(ping.status == 0, "\(ping.output)")
            let observed = ping.json.first { $0["type"] as? String == "pong" }?["observedAddress"] as? [String: Any]
            let mappings = try await ConntrackMapping.list(lab: lab, nat: "nat-a", lanHost: "a1")
            let mapping = mappings.first { $0.localPort == 40210 && $0.destination == lab.bootstrap }
            #expect(mapping != nil, "nat-a holds no mapping for a1:40210 → \(lab.bootstrap): \(mappings)")
            #expect(observed?["port"] as? Int == mapping?.publicPort, "observed \(String(describing: observed)), mapping \(String(describing: mapping))")
            #expect(mapping?.publicPort == 40210, "nat-a is port-preserving: \(String(describing: mapping))")
        }

        /// From one local port to two public nodes: a port-preserving NAT shows both the same (local) port,
        /// the random NAT shows each another one.
        @Test(arguments: [("a1", true), ("c1", true), ("d1", true), ("b1", false)])
        func pingsFromOnePortToTwoNodesShowWhetherTheNATKeepsTheMapping(host: String, keepsPort: Bool) async throws {
            let lab = try NATLab.inUse()
            let localPort = 40220
            var seen: [Int] = []
            for target in ["boot", "p1"] {
                let address = "\(try await NATLab.address(of: target)):\(NATLab.nodePort)"
                let ping = try await lab.run(on: host, ["ping", address, "--json", "--port", "\(localPort)"])
                #expect(ping.status == 0, "\(host) → \(target): \(ping.output)")
                let observed = ping.json.first { $0["type"] as? String == "pong" }?["observedAddress"] as? [String: Any]
                #expect(observed?["host"] as? String == (try await NATLab.natAddress(of: host)), "\(ping.output)")
                seen.append(observed?["port"] as? Int ?? -1)
            }
            #expect(!seen.contains(-1), "\(host): \(seen)")
            if keepsPort {
                #expect(seen == [localPort, localPort], "\(host) is behind a port-preserving NAT: \(seen)")
            } else {
                #expect(seen[0] != seen[1], "\(host) is behind a port-randomising NAT, yet both nodes saw port \(seen[0])")
            }
        }
    }

    /// Announce and lookup between LANs through the nodes on the public segment.
    @Suite("NAT lab: announce and lookup") struct AnnounceAndLookup {
        @Test func anAnnouncementFromBehindANATIsFoundFromAnotherLANAtTheNATsMapping() async throws {
            let lab = try NATLab.inUse()
            let topic = "natlab-announce-\(UInt32.random(in: 0...UInt32.max))"
            let announcer = try LabProcess(host: "a1", arguments: ["announce", topic, "--keep", "--json", "--bootstrap", lab.bootstrap])
            defer { announcer.stop() }
            _ = try await announcer.waitForLine(timeout: 30) { $0["type"] as? String == "keeping" }
            let summary = NATLab.jsonLines(announcer.stdout).first { $0["type"] as? String == "summary" }
            #expect((summary?["storedOn"] as? Int ?? 0) > 0, "stored on no node: \(announcer.stdout)")

            let lookup = try await lab.run(on: "d1", ["lookup", topic, "--json", "--bootstrap", lab.bootstrap])
            #expect(lookup.status == 0, "\(lookup.output)")
            let answers = lookup.json.filter { $0["type"] as? String == "peers" }
            let found = Set(answers.flatMap { ($0["peers"] as? [Any] ?? []).compactMap(NATLab.hostPort) })
            let natA = try await NATLab.address(of: "nat-a")
            #expect(found.count == 1 && found.first?.hasPrefix("\(natA):") == true, "expected a1 at nat-a's address \(natA): \(lookup.output)")
            let storing = answers.filter { !($0["peers"] as? [Any] ?? []).isEmpty }.compactMap { NATLab.hostPort($0["node"]) }
            #expect(!storing.isEmpty && storing.allSatisfy { $0.hasPrefix("172.31.0.") }, "answered by public nodes: \(storing)")

            // The port found is a mapping nat-a holds for a1 (toward the nodes a1 announced to).
            let port = found.first.flatMap { Int($0.split(separator: ":").last ?? "") }
            let mappings = try await ConntrackMapping.list(lab: lab, nat: "nat-a", lanHost: "a1")
            #expect(mappings.contains { $0.publicPort == port }, "port \(String(describing: port)) is none of a1's mappings: \(mappings)")
        }

        @Test func aLookupOfATopicNobodyAnnouncedFindsNoPeer() async throws {
            let lab = try NATLab.inUse()
            let lookup = try await lab.run(on: "d1", ["lookup", "natlab-nobody-\(UInt32.random(in: 0...UInt32.max))", "--json",
                                                      "--bootstrap", lab.bootstrap])
            #expect(lookup.status == 0, "\(lookup.output)")
            let summary = lookup.json.first { $0["type"] as? String == "summary" }
            #expect((summary?["responses"] as? Int ?? 0) >= 3, "the public nodes answered: \(lookup.output)")
            let peers = lookup.json.flatMap { ($0["peers"] as? [Any] ?? []) + ($0["localPeers"] as? [Any] ?? []) }
            #expect(peers.isEmpty, "\(lookup.output)")
        }
    }
}
