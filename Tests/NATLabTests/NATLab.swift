import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The repository's NAT lab (`scripts/natlab`) as the lab tests use it: brought up once for the suite, with a
/// bootstrap node on `boot` and plain nodes on `p1`…`p4`, and `hyperdht` commands run on its hosts.
final class NATLab: Sendable {
    /// The lab the running suite brought up (set by ``NATLabScope`` for the tests inside it).
    @TaskLocal static var current: NATLab?

    /// Namespace prefix of the lab the tests build: not the default `hdl-`, so a lab someone brought up by hand
    /// beside the tests is left alone.
    static let prefix = "hdlt-"
    /// The port every public node listens on.
    static let nodePort = 49737
    /// Public hosts that run a plain `hyperdht node` for the whole suite.
    static let publicNodeHosts = ["p1", "p2", "p3", "p4"]

    /// Whether the lab tests run: as root, and always under CI (where not being root is a failure, not a skip).
    static var shouldRun: Bool { getuid() == 0 || ProcessInfo.processInfo.environment["CI"] != nil }

    /// The repository's root (this file is Tests/NATLabTests/NATLab.swift).
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let script = repository.appendingPathComponent("scripts/natlab")

    /// The built `hyperdht` executable (beside the test bundle in the build folder).
    static var binary: URL {
        var url = Bundle.main.bundleURL
        while url.pathComponents.count > 1 {
            let candidate = url.appendingPathComponent("hyperdht")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: "hyperdht")
    }

    /// Something the lab could not do; says what and shows the output.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The bootstrap node's address, `host:port`.
    let bootstrap: String
    private let nodes: [LabProcess]
    private let lock: CrossProcessLock

    private init(bootstrap: String, nodes: [LabProcess], lock: CrossProcessLock) {
        self.bootstrap = bootstrap
        self.nodes = nodes
        self.lock = lock
    }

    /// Brings the lab up and starts its public network; fails with the reason if it cannot (not root, tools
    /// missing, a node that does not start). Waits for lab tests of other work trees on this machine first.
    static func bringUp() async throws -> NATLab {
        guard getuid() == 0 else {
            throw Failure(description: "the NAT lab tests need root (network namespaces); CI runs them as root")
        }
        let lock = try await CrossProcessLock.acquire(path: "/tmp/hyperdht-natlab-tests.lock", timeout: 900)
        var started: [LabProcess] = []
        do {
            let up = try await script(["up"], timeout: 120)
            guard up.status == 0 else { throw Failure(description: "scripts/natlab up failed (\(up.status)): \(up.output)") }
            let bootAddress = try await address(of: "boot")
            let boot = try LabProcess(host: "boot", arguments: ["bootstrap", "--port", "\(nodePort)", "--json"])
            started.append(boot)
            _ = try await boot.waitForLine(timeout: 30) { $0["type"] as? String == "listening" }
            let bootstrap = "\(bootAddress):\(nodePort)"
            for host in publicNodeHosts {
                started.append(try LabProcess(host: host, arguments: ["node", "--port", "\(nodePort)", "--bootstrap", bootstrap, "--json"]))
            }
            for node in started.dropFirst() {
                _ = try await node.waitForLine(timeout: 30) { $0["type"] as? String == "ready" }
            }
            return NATLab(bootstrap: bootstrap, nodes: started, lock: lock)
        } catch {
            for process in started { process.stop() }
            _ = try? await script(["down"], timeout: 60)
            lock.release()
            throw error
        }
    }

    /// Stops the public nodes and removes the lab (which also ends anything a test left running in it).
    func tearDown() async {
        for node in nodes { node.stop() }
        if let down = try? await Self.script(["down"], timeout: 60), down.status != 0 {
            print("NATLab: scripts/natlab down failed (\(down.status)): \(down.output)")
        }
        lock.release()
    }

    /// The address of a lab host (a NAT box: its public WAN address).
    static func address(of host: String) async throws -> String {
        let result = try await script(["addr", host], timeout: 10)
        guard result.status == 0 else { throw Failure(description: "scripts/natlab addr \(host): \(result.output)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The public (WAN) address of the NAT a LAN host sits behind: `a1` → nat-a's.
    static func natAddress(of host: String) async throws -> String {
        try await address(of: "nat-\(host.prefix(1))")
    }

    /// Runs `hyperdht ARGUMENTS` on `host` to its end (killed after `timeout` seconds).
    func run(on host: String, _ arguments: [String], timeout: TimeInterval = 30) async throws -> LabProcess.Result {
        try await Self.script(["exec", host, "--", Self.binary.path] + arguments, timeout: timeout)
    }

    /// Runs any command on `host` (e.g. `conntrack -L` on a NAT box).
    func shell(on host: String, _ command: [String], timeout: TimeInterval = 30) async throws -> LabProcess.Result {
        try await Self.script(["exec", host, "--"] + command, timeout: timeout)
    }

    /// Runs `scripts/natlab ARGUMENTS` with the tests' prefix; `environment` adds to the test's own.
    static func script(_ arguments: [String], environment: [String: String] = [:], timeout: TimeInterval,
                       executable: URL = script) async throws -> LabProcess.Result {
        try await LabProcess.runToEnd(executable: executable, arguments: arguments,
                                      environment: ["NATLAB_PREFIX": prefix].merging(environment) { $1 }, timeout: timeout)
    }

    /// The JSON objects among `output`'s lines.
    static func jsonLines(_ output: String) -> [[String: Any]] {
        output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// `host:port` of a JSON address object (`{"host":…,"port":…}`).
    static func hostPort(_ value: Any?) -> String? {
        guard let object = value as? [String: Any], let host = object["host"] as? String, let port = object["port"] as? Int
        else { return nil }
        return "\(host):\(port)"
    }
}
