import Foundation
import Testing

/// A bootstrap nobody answers is reported as a failure, not "ready", and retried with backoff until a
/// node answers.
@Suite(.timeLimit(.minutes(5))) struct BootstrapFailureTests {
    /// A running `hyperdht` whose standard output is collected on a background thread.
    final class RunningCommand: @unchecked Sendable {
        let process = Process()
        private let lock = NSLock()
        private var collected = Data()

        init(_ arguments: [String]) throws {
            process.executableURL = HyperDHTCLITests.binary
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let reader = pipe.fileHandleForReading
            Thread { [self] in
                while true {
                    let chunk = reader.availableData
                    if chunk.isEmpty { return }
                    lock.lock()
                    collected.append(chunk)
                    lock.unlock()
                }
            }.start()
        }

        var output: String {
            lock.lock()
            defer { lock.unlock() }
            return String(decoding: collected, as: UTF8.self)
        }

        /// Waits (at most `timeout`, a hang guard) until the output contains `text`; then says whether it does.
        func waitFor(_ text: String, timeout: TimeInterval = 90) async throws -> Bool {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline && !output.contains(text) { try await Task.sleep(for: .milliseconds(100)) }
            return output.contains(text)
        }

        func stop() {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }
    }

    @Test func aNodeNobodyAnswersSaysSoAndJoinsOnceABootstrapNodeAppears() async throws {
        let port = 47_441
        let node = try RunningCommand(["node", "--bootstrap", "127.0.0.1:\(port)", "--host", "127.0.0.1", "--json"])
        defer { node.stop() }
        #expect(try await node.waitFor(#""type":"bootstrap-failed""#), "\(node.output)")
        #expect(node.output.contains(#""error":"no node answered""#), "\(node.output)")
        #expect(!node.output.contains(#""type":"ready""#), "ready before anyone answered: \(node.output)")

        let bootstrap = try RunningCommand(["bootstrap", "--port", "\(port)", "--host", "127.0.0.1", "--json"])
        defer { bootstrap.stop() }
        #expect(try await node.waitFor(#""type":"ready""#), "no retry joined: \(node.output)")
    }

    @Test func inTextTheFailureAndTheRetryAreNamed() async throws {
        let node = try RunningCommand(["node", "--bootstrap", "127.0.0.1:9", "--host", "127.0.0.1"])
        defer { node.stop() }
        #expect(try await node.waitFor("bootstrap failed: no node answered; retrying in 1 s"), "\(node.output)")
        #expect(try await node.waitFor("retrying in 2 s"), "the second try failed too and waits longer: \(node.output)")
        #expect(!node.output.contains("bootstrapped"), "\(node.output)")
    }
}
