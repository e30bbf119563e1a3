import Foundation
import HyperDHT
import KBucket
import Testing
@testable import hyperdht

/// Every command with `--json`, over real UDP on 127.0.0.1 (a testnet, a node, a bootstrap node and a
/// kept announcement started here): every stdout line validates against its schema (docs/json), every
/// command ends with exactly one final line (its result, `error` or `stopped`) and every line type
/// shows up.
@Suite(.timeLimit(.minutes(10))) struct JSONOutputEndToEndTests {
    /// A `hyperdht` process whose stdout and stderr are collected apart, on threads of their own.
    final class JSONProcess: @unchecked Sendable {
        let arguments: [String]
        let process = Process()
        private let lock = NSLock()
        private var stdout = Data(), stderr = Data()
        private var open = 2

        init(_ arguments: [String]) throws {
            self.arguments = arguments
            process.executableURL = HyperDHTCLITests.binary
            process.arguments = arguments
            let output = Pipe(), errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            process.standardInput = FileHandle.nullDevice
            try process.run()
            collect(output.fileHandleForReading, stdout: true)
            collect(errors.fileHandleForReading, stdout: false)
        }

        private func collect(_ reader: FileHandle, stdout toStdout: Bool) {
            Thread { [self] in
                while true {
                    let chunk = reader.availableData
                    lock.lock()
                    defer { lock.unlock() }
                    if chunk.isEmpty {
                        open -= 1
                        return
                    }
                    if toStdout { stdout.append(chunk) } else { stderr.append(chunk) }
                }
            }.start()
        }

        var lines: [String] {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        }

        var errorText: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: stderr, as: UTF8.self)
        }

        /// The objects printed so far.
        var objects: [[String: Any]] {
            lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }

        /// Waits (a hang guard, generous) for a line of `type`; returns it.
        func waitFor(_ type: String, timeout: TimeInterval = 90) async throws -> [String: Any] {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let line = objects.first(where: { $0["type"] as? String == type }) { return line }
                if !process.isRunning && finished { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            throw Failure(description: "\(arguments): no \(type) line; stdout: \(lines); stderr: \(errorText)")
        }

        private var finished: Bool {
            lock.lock()
            defer { lock.unlock() }
            return open == 0
        }

        /// Sends `signal` (if `signal` is given and it runs) and waits until it exited and its output
        /// ended; returns its status (a hang guard kills it after `timeout`).
        @discardableResult
        func end(_ signal: Int32? = nil, timeout: TimeInterval = 90) async throws -> Int32 {
            if let signal, process.isRunning { kill(process.processIdentifier, signal) }
            let deadline = Date().addingTimeInterval(timeout)
            while (process.isRunning || !finished) && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning {
                process.terminate()
                throw Failure(description: "\(arguments) still running after \(Int(timeout)) s; stdout: \(lines)")
            }
            return process.terminationStatus
        }
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// The line types a command may end with.
    static let finalTypes: Set<String> = ["summary", "pong", "punched", "netcheck", "error", "stopped"]

    /// What one run printed, checked: the status expected, exactly one final line of `final` type and it
    /// is the last (`announce --keep` prints a `summary` event before it ends with `stopped`).
    static func check(_ run: JSONProcess, status: Int32, final: String, alsoFinal: Int = 0) async throws -> [String] {
        let actual = try await run.end()
        #expect(actual == status, "\(run.arguments): status \(actual), not \(status); \(run.lines) \(run.errorText)")
        let types = run.objects.compactMap { $0["type"] as? String }
        #expect(types.count == run.lines.count, "\(run.arguments): a line that is no JSON object: \(run.lines)")
        #expect(types.last == final, "\(run.arguments): ends with \(types.last ?? "nothing"), not \(final): \(run.lines)")
        #expect(types.filter(finalTypes.contains).count == 1 + alsoFinal, "\(run.arguments): \(run.lines)")
        return run.lines
    }

    static func hostPort(_ value: Any?) -> String? {
        guard let object = value as? [String: Any], let host = object["host"] as? String, let port = object["port"] as? Int
        else { return nil }
        return "\(host):\(port)"
    }

    @Test func everyCommandPrintsValidLinesEndingInOneResultOrError() async throws {
        var printed: [String] = []  // every stdout line of every run, for the schema validation

        let testnet = try JSONProcess(["testnet", "8", "--json"])
        let bootstrap = try #require(Self.hostPort(try await testnet.waitFor("testnet")["bootstrap"]))
        let node = try JSONProcess(["node", "--bootstrap", bootstrap, "--host", "127.0.0.1", "--json"])
        let ownNetwork = try JSONProcess(["bootstrap", "--port", "0", "--host", "127.0.0.1", "--metrics", "127.0.0.1:0", "--json"])
        let alone = try JSONProcess(["node", "--bootstrap", "127.0.0.1:9", "--host", "127.0.0.1", "--json"])
        _ = try await node.waitFor("ready")
        _ = try await ownNetwork.waitFor("ready")
        let metrics = try await ownNetwork.waitFor("metrics")
        #expect((metrics["url"] as? String)?.hasPrefix("http://127.0.0.1:") == true, "\(metrics)")
        _ = try await alone.waitFor("bootstrap-failed")
        let keeper = try JSONProcess(["announce", "json-kept", "--keep", "--verbose", "--keepalive", "1", "--port", "4361",
                                      "--bootstrap", bootstrap, "--host", "127.0.0.1", "--json"])
        _ = try await keeper.waitFor("keepalive")

        let topic = "json-e2e-topic"
        printed += try await Self.check(try JSONProcess(["announce", topic, "--port", "4360", "--bootstrap", bootstrap,
                                                         "--host", "127.0.0.1", "--json"]), status: 0, final: "summary")
        let lookup = try JSONProcess(["lookup", topic, "--bootstrap", bootstrap, "--json"])
        printed += try await Self.check(lookup, status: 0, final: "summary")
        let summary = try #require(lookup.objects.last)
        #expect(summary["peersFound"] as? Int == 1 && summary["key"] as? String == NodeID(topic: topic).hexString, "\(summary)")
        let answering = lookup.objects.filter { $0["type"] as? String == "peers" }.compactMap { Self.hostPort($0["node"]) }
        let peer = try #require(answering.first { $0 != bootstrap }, "\(lookup.lines)")
        printed += try await Self.check(try JSONProcess(["unannounce", topic, "--port", "4360", "--bootstrap", bootstrap,
                                                         "--host", "127.0.0.1", "--json"]), status: 0, final: "summary")
        _ = try await node.waitFor("unannounce")

        printed += try await Self.check(try JSONProcess(["ping", bootstrap, "--host", "127.0.0.1", "--json"]), status: 0, final: "pong")
        printed += try await Self.check(try JSONProcess(["ping", "127.0.0.1:9", "--host", "127.0.0.1", "--json"]), status: 1, final: "error")
        printed += try await Self.check(try JSONProcess(["holepunch", peer, "--via", bootstrap, "--host", "127.0.0.1", "--json"]),
                                        status: 0, final: "punched")
        let failedPunch = try JSONProcess(["holepunch", "127.0.0.1:9", "--via", bootstrap, "--bootstrap", bootstrap,
                                           "--host", "127.0.0.1", "--json"])
        printed += try await Self.check(failedPunch, status: 1, final: "error")
        #expect((failedPunch.objects.last?["diagnosis"] as? [String: Any])?["cause"] as? String == "peer-gone", "\(failedPunch.lines)")
        printed += try await Self.check(try JSONProcess(["netcheck", "--bootstrap", bootstrap, "--json"]), status: 0, final: "netcheck")
        printed += try await Self.check(try JSONProcess(["netcheck", "--bootstrap", "127.0.0.1:9", "--json"]), status: 1, final: "error")
        let badArguments = try JSONProcess(["lookup", topic, "--json"])
        printed += try await Self.check(badArguments, status: 64, final: "error")
        #expect(badArguments.objects.last?["command"] as? String == "lookup", "\(badArguments.lines)")
        #expect(badArguments.errorText.contains("no network to join"), "the message stays on stderr: \(badArguments.errorText)")
        let unknown = try JSONProcess(["bogus", "--json"])
        printed += try await Self.check(unknown, status: 64, final: "error")
        #expect(unknown.objects.last?["command"] as? String == "hyperdht", "\(unknown.lines)")

        // The commands that run until stopped end with `stopped` after a signal.
        _ = try await keeper.end(SIGINT)
        printed += try await Self.check(keeper, status: 130, final: "stopped", alsoFinal: 1)  // + the first round's summary
        for (process, signal) in [(node, SIGINT), (ownNetwork, SIGTERM), (alone, SIGTERM), (testnet, SIGINT)] {
            _ = try await process.end(signal)
            printed += try await Self.check(process, status: 128 + signal, final: "stopped")
        }
        #expect(node.objects.contains { $0["type"] as? String == "announce" }, "\(node.lines)")
        #expect(node.objects.contains { $0["type"] as? String == "lookup" }, "\(node.lines)")

        let verdicts = try JSONSchemaValidator.verdicts(printed)
        for (line, verdict) in zip(printed, verdicts) { #expect(verdict.hasPrefix("ok "), "\(verdict)\n\(line)") }
        let seen = Set(verdicts.compactMap { $0.hasPrefix("ok ") ? String($0.dropFirst(3)) : nil })
        #expect(seen == Set(JSONLineSchemaTests.types), "line types never printed: \(Set(JSONLineSchemaTests.types).subtracting(seen))")
    }
}
