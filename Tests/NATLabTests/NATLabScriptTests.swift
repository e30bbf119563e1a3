import Foundation
import Testing

extension NATLabTests {
    /// `scripts/natlab` itself: what it builds, and that it refuses or cleans up instead of half-building. The
    /// failing builds use prefixes of their own, so the suite's lab stays up beside them.
    @Suite("NAT lab: the script") struct Script {
        /// Namespaces named with `prefix` that exist now.
        static func namespaces(prefix: String) -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []).filter { $0.hasPrefix(prefix) }
        }

        /// A fresh directory under /tmp that every user can read.
        static func scratchDirectory() throws -> URL {
            let directory = URL(fileURLWithPath: "/tmp/natlab-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o755])
            return directory
        }

        @Test func statusListsEveryHostWithItsAddressAndNATKind() async throws {
            _ = try NATLab.inUse()
            let status = try await NATLab.script(["status"], timeout: 30)
            #expect(status.status == 0, "\(status.output)")
            let hosts = try await NATLab.script(["hosts"], timeout: 10).stdout.split(separator: "\n").map(String.init)
            #expect(hosts == ["boot", "p1", "p2", "p3", "p4", "nat-a", "a1", "a2", "nat-b", "b1", "nat-c", "c1", "nat-d", "d1"])
            for host in hosts {
                let address = try await NATLab.address(of: host)
                let row = status.stdout.split(separator: "\n").first { $0.hasPrefix("\(host) ") }
                #expect(row?.contains(address) == true, "\(host) \(address): \(status.stdout)")
            }
            for nat in ["nat-a", "nat-b", "nat-c", "nat-d"] {
                let row = status.stdout.split(separator: "\n").first { $0.hasPrefix("\(nat) ") } ?? ""
                #expect(row.contains("UDP timeouts 30/40 s"), "\(row)")
            }
            #expect(status.stdout.contains("port-randomising"))
            #expect(status.stdout.contains("accepts unsolicited inbound"))
            // Each LAN and the public segment in a /16 of its own (hyperdht's localPeers rule).
            let sixteens = Set(try await hosts.asyncMap { try await NATLab.address(of: $0).split(separator: ".").prefix(2).joined(separator: ".") })
            #expect(sixteens == ["172.31", "10.1", "10.2", "10.3", "10.4"])
        }

        @Test func upRefusesWithoutRootAndBuildsNothing() async throws {
            _ = try NATLab.inUse()
            // A copy any user can run (the checkout may sit under a directory only root can enter).
            let directory = try Self.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let copy = directory.appendingPathComponent("natlab")
            try FileManager.default.copyItem(at: NATLab.script, to: copy)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: copy.path)
            let result = try await LabProcess.runToEnd(
                executable: URL(fileURLWithPath: "/usr/bin/setpriv"),
                arguments: ["--reuid=65534", "--regid=65534", "--clear-groups", copy.path, "up"],
                environment: ["NATLAB_PREFIX": "hdlx-"], timeout: 30)
            #expect(result.status == 77, "\(result.output)")
            #expect(result.stderr.contains("needs root"), "\(result.output)")
            #expect(Self.namespaces(prefix: "hdlx-").isEmpty)
        }

        @Test func upRefusesWhenIptablesIsMissing() async throws {
            _ = try NATLab.inUse()
            let directory = try Self.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            for tool in ["bash", "id", "ip", "sysctl", "conntrack"] {
                let path = try #require(["/usr/bin", "/usr/sbin", "/bin", "/sbin"].map { "\($0)/\(tool)" }
                    .first { FileManager.default.isExecutableFile(atPath: $0) }, "\(tool) not found")
                try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent(tool).path, withDestinationPath: path)
            }
            let result = try await NATLab.script(["up"], environment: ["NATLAB_PREFIX": "hdlm-", "PATH": directory.path], timeout: 30)
            #expect(result.status == 69, "\(result.output)")
            #expect(result.stderr.contains("missing iptables"), "\(result.output)")
            #expect(Self.namespaces(prefix: "hdlm-").isEmpty)
        }

        @Test func upThatFailsHalfWayRemovesWhatItBuiltAndLeavesOtherLabsAlone() async throws {
            _ = try NATLab.inUse()
            let directory = try Self.scratchDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            // An iptables that refuses the random NAT's rule, so the build fails after the public segment and nat-a.
            let fake = directory.appendingPathComponent("iptables")
            try """
            #!/bin/sh
            case "$*" in *random-fully*) echo "test iptables: refusing --random-fully" >&2; exit 1;; esac
            for d in /usr/sbin /sbin /usr/bin /bin; do [ -x "$d/iptables" ] && exec "$d/iptables" "$@"; done
            exit 127
            """.write(to: fake, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fake.path)
            let path = directory.path + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            let result = try await NATLab.script(["up"], environment: ["NATLAB_PREFIX": "hdlf-", "PATH": path], timeout: 120)
            #expect(result.status == 1, "\(result.output)")
            #expect(result.stderr.contains("failed during NAT b"), "\(result.output)")
            #expect(result.stderr.contains("removing what was built"), "\(result.output)")
            #expect(Self.namespaces(prefix: "hdlf-").isEmpty, "left behind: \(Self.namespaces(prefix: "hdlf-"))")
            let status = try await NATLab.script(["status"], timeout: 30)
            #expect(status.status == 0, "the suite's lab is still whole: \(status.output)")
        }
    }
}

extension Sequence {
    /// `map` with an async transform, in order.
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
