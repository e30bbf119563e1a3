import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process of the lab tests – usually `hyperdht` on a lab host through `scripts/natlab exec`. Its output
/// goes to files, read by polling, so no test thread ever blocks on a pipe and a chatty child never stalls on a
/// full one.
final class LabProcess: @unchecked Sendable {
    /// How a process ended.
    struct Result: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The process outlived its time limit and was killed.
        var timedOut: Bool
        /// Everything it printed, for failure messages.
        var output: String { stdout + (stderr.isEmpty ? "" : "\n[stderr] " + stderr) }
        /// The JSON objects among its stdout lines.
        var json: [[String: Any]] { NATLab.jsonLines(stdout) }
    }

    /// The lab host it runs on (or "-" for a process outside the lab).
    let host: String
    private let process: Process
    private let directory: URL
    private var stdoutFile: URL { directory.appendingPathComponent("stdout") }
    private var stderrFile: URL { directory.appendingPathComponent("stderr") }

    /// Starts `hyperdht ARGUMENTS` on a lab host; it runs until ``stop()`` (or the lab goes down).
    convenience init(host: String, arguments: [String]) throws {
        try self.init(host: host, executable: NATLab.script,
                      arguments: ["exec", host, "--", NATLab.binary.path] + arguments,
                      environment: ["NATLAB_PREFIX": NATLab.prefix])
    }

    /// Starts `executable ARGUMENTS` with `environment` added to the test's own.
    init(host: String, executable: URL, arguments: [String], environment: [String: String]) throws {
        self.host = host
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("natlab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for name in ["stdout", "stderr"] {
            guard FileManager.default.createFile(atPath: directory.appendingPathComponent(name).path, contents: nil) else {
                throw NATLab.Failure(description: "cannot create \(name) file in \(directory.path)")
            }
        }
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutFile)
        process.standardError = try FileHandle(forWritingTo: stderrFile)
        try process.run()
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// What it has printed on stdout so far.
    var stdout: String { (try? String(contentsOf: stdoutFile, encoding: .utf8)) ?? "" }
    /// What it has printed on stderr so far.
    var stderr: String { (try? String(contentsOf: stderrFile, encoding: .utf8)) ?? "" }
    var isRunning: Bool { process.isRunning }

    /// Waits (at most `timeout` seconds) for a JSON line on stdout that `matches`; fails with everything printed
    /// if none comes or the process ends first.
    func waitForLine(timeout: TimeInterval, where matches: ([String: Any]) -> Bool) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let line = NATLab.jsonLines(stdout).first(where: matches) { return line }
            let ended = !process.isRunning
            if ended, let line = NATLab.jsonLines(stdout).first(where: matches) { return line }
            if ended || Date() >= deadline {
                throw NATLab.Failure(description: "\(host): \(ended ? "ended (status \(process.terminationStatus))" : "no such line within \(Int(timeout)) s")"
                                     + " while waiting for a line; stdout: \(stdout) stderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Waits (at most `timeout` seconds) for the process to end; kills it (TERM, then KILL) if it does not.
    func finish(timeout: TimeInterval) async -> Result {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        let timedOut = process.isRunning
        if timedOut { await terminate() }
        return Result(status: process.isRunning ? -1 : process.terminationStatus, stdout: stdout, stderr: stderr, timedOut: timedOut)
    }

    /// Ends the process: SIGTERM, then SIGKILL if it is still there 2 s later.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<40 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<40 where process.isRunning { usleep(50_000) }
    }

    private func terminate() async {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<40 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<40 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
    }

    /// Runs `executable ARGUMENTS` to its end (killed after `timeout` seconds).
    static func runToEnd(executable: URL, arguments: [String], environment: [String: String],
                         timeout: TimeInterval) async throws -> Result {
        let process = try LabProcess(host: "-", executable: executable, arguments: arguments, environment: environment)
        return await process.finish(timeout: timeout)
    }
}
