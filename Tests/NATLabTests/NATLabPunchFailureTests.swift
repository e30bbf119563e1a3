import Foundation
import Testing

extension NATLabTests {
    /// A failed punch says why, with the cause ids of the plan's contract.
    @Suite("NAT lab: why a punch failed") struct PunchFailures {
        /// Runs `holepunch --json` on `host`; expects exit 1 and an `error` line with a diagnosis; returns the diagnosis.
        static func failedPunch(from host: String, to peer: String, via referrer: String, lab: NATLab) async throws -> [String: Any] {
            let punch = try await lab.run(on: host, ["holepunch", peer, "--via", referrer, "--bootstrap", lab.bootstrap, "--json"], timeout: 60)
            #expect(punch.status == 1, "\(punch.output)")
            let error = try #require(punch.json.first { $0["type"] as? String == "error" }, "\(punch.output)")
            let failure = try #require(error["diagnosis"] as? [String: Any], "\(punch.output)")
            #expect(!(failure["evidence"] as? [Any] ?? []).isEmpty, "\(punch.output)")
            #expect(!(failure["explanation"] as? String ?? "").isEmpty, "\(punch.output)")
            return failure
        }

        @Test func aPunchToAPeerThatHasGoneSaysThePeerIsGone() async throws {
            let lab = try NATLab.inUse()
            let topic = "natlab-gone-\(UInt32.random(in: 0...UInt32.max))"
            let announcer = try await Punching.announce(topic, from: "d1", lab: lab)
            let d1 = try await FoundPeer.lookUp(topic, from: "a1", lab: lab)
            announcer.stop()
            let failure = try await Self.failedPunch(from: "a1", to: d1.address, via: try #require(d1.storingNodes.first), lab: lab)
            #expect(failure["cause"] as? String == "peer-gone", "\(failure)")
        }

        @Test func aPunchFromBehindTheRandomNATSaysOurNATRandomisesPorts() async throws {
            let lab = try NATLab.inUse()
            let topic = "natlab-random-\(UInt32.random(in: 0...UInt32.max))"
            let announcer = try await Punching.announce(topic, from: "d1", lab: lab)
            defer { announcer.stop() }
            let d1 = try await FoundPeer.lookUp(topic, from: "b1", lab: lab)
            let failure = try await Self.failedPunch(from: "b1", to: d1.address, via: try #require(d1.storingNodes.first), lab: lab)
            #expect(failure["cause"] as? String == "port-randomising-nat", "\(failure)")
        }

        @Test func aPunchThroughANodeThatIsNotThereSaysTheReferrerIsUnreachable() async throws {
            let lab = try NATLab.inUse()
            let topic = "natlab-noreferrer-\(UInt32.random(in: 0...UInt32.max))"
            let announcer = try await Punching.announce(topic, from: "d1", lab: lab)
            defer { announcer.stop() }
            let d1 = try await FoundPeer.lookUp(topic, from: "a1", lab: lab)
            let nowhere = "\(try await NATLab.address(of: "p4")):\(NATLab.nodePort + 1)"   // no node listens there
            let failure = try await Self.failedPunch(from: "a1", to: d1.address, via: nowhere, lab: lab)
            #expect(failure["cause"] as? String == "referrer-unreachable", "\(failure)")
        }

        @Test func aPunchToAHostBehindOurOwnNATSaysToUseItsLANAddress() async throws {
            let lab = try NATLab.inUse()
            let topic = "natlab-samenat-\(UInt32.random(in: 0...UInt32.max))"
            let announcer = try await Punching.announce(topic, from: "a2", lab: lab)
            defer { announcer.stop() }
            let a2 = try await FoundPeer.lookUp(topic, from: "a1", lab: lab)
            let failure = try await Self.failedPunch(from: "a1", to: a2.address, via: try #require(a2.storingNodes.first), lab: lab)
            #expect(failure["cause"] as? String == "same-public-address", "\(failure)")
        }
    }
}
