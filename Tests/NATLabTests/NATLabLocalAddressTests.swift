import Foundation
import Testing

extension NATLabTests {
    /// Hosts behind one NAT find each other by LAN address (hyperdht's localPeers, same first two octets) without
    /// any flag: the announcement and the lookup carry the LAN address of the interface toward the network.
    @Suite("NAT lab: LAN addresses") struct LANAddresses {
        /// Announces `topic` from a1 (with `extra` arguments) and looks it up from `lookupHost`.
        static func announceOnA1(_ topic: String, extra: [String] = [], lookupFrom lookupHost: String,
                                 lab: NATLab) async throws -> (announcer: LabProcess, lookup: LabProcess.Result) {
            let announcer = try LabProcess(host: "a1", arguments: ["announce", topic, "--keep", "--json", "--bootstrap", lab.bootstrap] + extra)
            do {
                _ = try await announcer.waitForLine(timeout: 30) { $0["type"] as? String == "keeping" }
                let lookup = try await lab.run(on: lookupHost, ["lookup", topic, "--json", "--bootstrap", lab.bootstrap])
                return (announcer, lookup)
            } catch {
                announcer.stop()
                throw error
            }
        }

        static func addresses(_ result: LabProcess.Result, _ field: String) -> Set<String> {
            Set(result.json.filter { $0["type"] as? String == "peers" }.flatMap { ($0[field] as? [Any] ?? []).compactMap(NATLab.hostPort) })
        }

        @Test func twoHostsBehindOneNATGetEachOthersLANAddressFromALookupWithNoFlags() async throws {
            let lab = try NATLab.inUse()
            let (announcer, lookup) = try await Self.announceOnA1("natlab-lan-\(UInt32.random(in: 0...UInt32.max))", lookupFrom: "a2", lab: lab)
            defer { announcer.stop() }
            #expect(lookup.status == 0, "\(lookup.output)")
            let a1 = try await NATLab.address(of: "a1")
            let local = Self.addresses(lookup, "localPeers")
            #expect(local.count == 1 && local.first?.hasPrefix("\(a1):") == true, "a2 got a1's LAN address: \(lookup.output)")
            // The LAN address works where the shared public one does not (nat-a does not hairpin).
            let ping = try await lab.run(on: "a2", ["ping", try #require(local.first), "--json"])
            #expect(ping.status == 0, "a2 pings a1 at its LAN address: \(ping.output)")
        }

        @Test func aHostOnAnotherLANGetsNoLANAddress() async throws {
            let lab = try NATLab.inUse()
            let (announcer, lookup) = try await Self.announceOnA1("natlab-lan-\(UInt32.random(in: 0...UInt32.max))", lookupFrom: "d1", lab: lab)
            defer { announcer.stop() }
            #expect(lookup.status == 0, "\(lookup.output)")
            #expect(Self.addresses(lookup, "localPeers").isEmpty, "d1 is in another /16: \(lookup.output)")
            #expect(Self.addresses(lookup, "peers").count == 1, "\(lookup.output)")
        }

        @Test func noLocalAddressKeepsTheLANAddressToItself() async throws {
            let lab = try NATLab.inUse()
            let (announcer, lookup) = try await Self.announceOnA1("natlab-lan-\(UInt32.random(in: 0...UInt32.max))", extra: ["--no-local-address"],
                                                                  lookupFrom: "a2", lab: lab)
            defer { announcer.stop() }
            #expect(lookup.status == 0, "\(lookup.output)")
            #expect(Self.addresses(lookup, "localPeers").isEmpty, "\(lookup.output)")
            #expect(Self.addresses(lookup, "peers").count == 1, "\(lookup.output)")
        }
    }
}
