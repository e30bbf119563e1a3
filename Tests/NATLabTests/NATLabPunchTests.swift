import Foundation
import Testing

/// A peer as a lookup found it: its address and the nodes that returned it (those storing its announcement).
struct FoundPeer {
    var address: String
    var storingNodes: [String]

    /// Looks `topic` up from `host`; expects exactly one peer, public (not a local peer).
    static func lookUp(_ topic: String, from host: String, lab: NATLab) async throws -> FoundPeer {
        let lookup = try await lab.run(on: host, ["lookup", topic, "--json", "--bootstrap", lab.bootstrap])
        guard lookup.status == 0 else { throw NATLab.Failure(description: "lookup from \(host): \(lookup.output)") }
        let answers = lookup.json.filter { $0["type"] as? String == "peers" && $0["local"] as? Bool != true }
        let peers = Set(answers.flatMap { ($0["peers"] as? [Any] ?? []).compactMap(NATLab.hostPort) })
        guard peers.count == 1, let peer = peers.first else {
            throw NATLab.Failure(description: "lookup from \(host) found \(peers.count) peers, expected one: \(lookup.output)")
        }
        let storing = answers.filter { !($0["peers"] as? [Any] ?? []).isEmpty }.compactMap { NATLab.hostPort($0["node"]) }
        return FoundPeer(address: peer, storingNodes: storing)
    }
}

extension NATLabTests {
    /// Hole punching through real NATs: a fresh process (which never sent anything to the peer) finds the peer by
    /// lookup and punches through a node storing its announcement.
    @Suite("NAT lab: punching") struct Punching {
        /// Announces `topic` from `host` until the test ends.
        static func announce(_ topic: String, from host: String, lab: NATLab) async throws -> LabProcess {
            let announcer = try LabProcess(host: host, arguments: ["announce", topic, "--keep", "--verbose", "--json", "--bootstrap", lab.bootstrap])
            do {
                _ = try await announcer.waitForLine(timeout: 30) { $0["type"] as? String == "keeping" }
            } catch {
                announcer.stop()
                throw error
            }
            return announcer
        }

        /// From a fresh process on `host`, punches to `peer` through every node storing its announcement;
        /// expects every punch to be answered by the peer. `when` names the moment, for messages.
        static func punchThroughEveryStoringNode(from host: String, to peer: FoundPeer, lab: NATLab, when: String) async throws {
            #expect(peer.storingNodes.count >= 3, "\(when): \(host) found \(peer.address) on \(peer.storingNodes)")
            for referrer in peer.storingNodes {
                let punch = try await lab.run(on: host, ["holepunch", peer.address, "--via", referrer, "--bootstrap", lab.bootstrap, "--json"])
                let punched = punch.json.first { $0["type"] as? String == "punched" }
                #expect(punch.status == 0 && NATLab.hostPort(punched?["from"]) == peer.address,
                        "\(when): \(host) → \(peer.address) via \(referrer) failed: \(punch.output)")
            }
        }

        @Test func freshProcessesPunchBetweenLANsAAndDRightAwayAndSixtySecondsAfterTheAnnouncement() async throws {
            let lab = try NATLab.inUse()
            let topicA = "natlab-punch-a-\(UInt32.random(in: 0...UInt32.max))", topicD = "natlab-punch-d-\(UInt32.random(in: 0...UInt32.max))"
            let announcedAt = Date()
            let onA = try await Self.announce(topicA, from: "a1", lab: lab)
            defer { onA.stop() }
            let onD = try await Self.announce(topicD, from: "d1", lab: lab)
            defer { onD.stop() }

            let d1 = try await FoundPeer.lookUp(topicD, from: "a1", lab: lab)
            #expect(d1.address.hasPrefix("\(try await NATLab.address(of: "nat-d")):"))
            try await Self.punchThroughEveryStoringNode(from: "a1", to: d1, lab: lab, when: "right away")
            let a1 = try await FoundPeer.lookUp(topicA, from: "d1", lab: lab)
            #expect(a1.address.hasPrefix("\(try await NATLab.address(of: "nat-a")):"))
            try await Self.punchThroughEveryStoringNode(from: "d1", to: a1, lab: lab, when: "right away")

            // The NATs forget a mapping idle for 30 s: only the announcers' keep-alive pings hold the mappings
            // toward the storing nodes open this long.
            let wait = 65 - Date().timeIntervalSince(announcedAt)
            if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
            try await Self.punchThroughEveryStoringNode(from: "a1", to: try await FoundPeer.lookUp(topicD, from: "a1", lab: lab),
                                                         lab: lab, when: "65 s after the announcement")
            try await Self.punchThroughEveryStoringNode(from: "d1", to: try await FoundPeer.lookUp(topicA, from: "d1", lab: lab),
                                                         lab: lab, when: "65 s after the announcement")
            for announcer in [onA, onD] {
                let keepalives = NATLab.jsonLines(announcer.stdout).filter { $0["type"] as? String == "keepalive" }
                #expect(keepalives.count >= 2, "\(announcer.host) kept its mappings open: \(announcer.stdout)")
            }
        }

        @Test func aHostBehindTheRandomNATPunchesToTheFullConeHost() async throws {
            let lab = try NATLab.inUse()
            let topic = "natlab-punch-c-\(UInt32.random(in: 0...UInt32.max))"
            let onC = try await Self.announce(topic, from: "c1", lab: lab)
            defer { onC.stop() }
            let c1 = try await FoundPeer.lookUp(topic, from: "b1", lab: lab)
            #expect(c1.address.hasPrefix("\(try await NATLab.address(of: "nat-c")):"))
            // The forward's answer goes to the port the referrer saw, which the random NAT keeps for the referrer
            // alone; the answer to our direct ping is what gets through.
            try await Self.punchThroughEveryStoringNode(from: "b1", to: c1, lab: lab, when: "random → full cone")
        }
    }
}
