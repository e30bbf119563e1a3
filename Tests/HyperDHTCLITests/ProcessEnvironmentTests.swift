import Foundation
import Testing

/// The CLI survives its environment (issue 12 item 5): output piped into a reader that goes away,
/// and SIGINT / SIGTERM to the long-running commands, end with the conventional status (141, 130,
/// 143), no crash report, and the node closed (its port free again).
@Suite(.serialized, .timeLimit(.minutes(4))) struct ProcessEnvironmentTests {
    /// Runs `hyperdht arguments | reader` under bash with a 30 s timeout; returns hyperdht's status and
    /// what it wrote on stderr.
    static func piped(_ arguments: [String], into reader: String) throws -> (status: Int32, stderr: String) {
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("hyperdht-pipe-\(UUID().uuidString).err")
        defer { try? FileManager.default.removeItem(at: errors) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        let quoted = ([HyperDHTCLITests.binary.path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        process.arguments = ["-c", "timeout 30 \(quoted) 2>'\(errors.path)' | \(reader); exit ${PIPESTATUS[0]}"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        return (process.terminationStatus, stderr)
    }

    static func noCrashReport(_ stderr: String) -> Bool {
        !["Fatal error", "Backtrace", "Crash", "Illegal instruction", "Segmentation"].contains { stderr.contains($0) }
    }

    /// Every command that prints JSON, against one testnet.
    static func jsonCommands(bootstrap: String) -> [[String]] {
        [
            ["lookup", "env-topic", "--bootstrap", bootstrap, "--json"],
            ["announce", "env-topic", "--port", "4343", "--bootstrap", bootstrap, "--json"],
            ["unannounce", "env-topic", "--port", "4343", "--bootstrap", bootstrap, "--json"],
            ["ping", bootstrap, "--json"],
            ["holepunch", bootstrap, "--via", bootstrap, "--json"],
            ["netcheck", "--bootstrap", bootstrap, "--json"],
            ["node", "--bootstrap", bootstrap, "--json"],
            ["bootstrap", "--port", "0", "--json"],
            ["testnet", "2", "--json"],
            ["announce", "env-kept", "--keep", "--port", "4344", "--bootstrap", bootstrap, "--json"],
        ]
    }

    @Test func everyJSONCommandWhoseReaderIsGoneExitsWith141AndNoCrash() throws {
        let (testnet, bootstrap) = try CommandLineEndToEndTests.startTestnet(nodes: 6)
        defer { testnet.terminate(); testnet.waitUntilExit() }
        for arguments in Self.jsonCommands(bootstrap: bootstrap) {
            // `true` exits without reading: the command's first line meets a closed pipe (EPIPE).
            let result = try Self.piped(arguments, into: "true")
            #expect(result.status == 141, "\(arguments): status \(result.status) (124 = still running after 30 s); \(result.stderr)")
            #expect(Self.noCrashReport(result.stderr), "\(arguments): \(result.stderr)")
        }
    }

    @Test func everyJSONCommandPipedIntoHeadEndsQuietly() throws {
        let (testnet, bootstrap) = try CommandLineEndToEndTests.startTestnet(nodes: 6)
        defer { testnet.terminate(); testnet.waitUntilExit() }
        // The bounded commands: they finish (0) or meet the closed pipe on a later line (141).
        for arguments in Self.jsonCommands(bootstrap: bootstrap).prefix(6) {
            let result = try Self.piped(arguments, into: "head -c1 >/dev/null")
            #expect([0, 1, 141].contains(result.status), "\(arguments): status \(result.status); \(result.stderr)")
            #expect(Self.noCrashReport(result.stderr), "\(arguments): \(result.stderr)")
        }
    }

    /// Starts `hyperdht arguments`, waits for its first stdout line, sends `signal`, and returns the exit
    /// status and stderr.
    static func interrupted(_ arguments: [String], with signal: Int32, after marker: String = "\n") throws -> (status: Int32, reason: Process.TerminationReason,
                                                                                   firstLine: String, stderr: String) {
        let process = Process()
        process.executableURL = HyperDHTCLITests.binary
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        var buffer = Data()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !String(decoding: buffer, as: UTF8.self).contains(marker) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
        }
        kill(process.processIdentifier, signal)
        // A hang guard, generous: a loaded machine (the full suite on two cores) can take seconds to
        // schedule the shutdown, and `announce --keep` withdraws first (bounded at 3 s).
        let stopDeadline = Date().addingTimeInterval(45)
        while process.isRunning && Date() < stopDeadline { usleep(20_000) }
        let hung = process.isRunning
        if hung { process.terminate() }  // the test fails below
        if hung { FileHandle.standardError.write(Data("\(arguments) still running 45 s after the signal\n".utf8)) }
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, process.terminationReason,
                String(decoding: buffer, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? "", stderr)
    }

    @Test(arguments: [SIGINT, SIGTERM])
    func longRunningCommandsStopOnASignalWithTheConventionalStatus(signal: Int32) throws {
        let (testnet, bootstrap) = try CommandLineEndToEndTests.startTestnet(nodes: 6)
        defer { testnet.terminate(); testnet.waitUntilExit() }
        let port = signal == SIGINT ? 47_431 : 47_432
        for arguments in [
            ["node", "--bootstrap", bootstrap, "--port", "\(port)", "--host", "127.0.0.1", "--json"],
            ["bootstrap", "--port", "\(port)", "--host", "127.0.0.1", "--json"],
            ["testnet", "3", "--port", "\(port)", "--json"],
            ["announce", "env-signal", "--keep", "--port", "4345", "--bootstrap", bootstrap, "--json"],
        ] {
            let result = try Self.interrupted(arguments, with: signal)
            #expect(!result.firstLine.isEmpty, "\(arguments) printed nothing")
            #expect(result.reason == .exit && result.status == 128 + signal,
                    "\(arguments): \(result.reason == .exit ? "exit" : "killed by signal") \(result.status); \(result.stderr)")
            #expect(Self.noCrashReport(result.stderr), "\(arguments): \(result.stderr)")
        }
        // The node was closed: its port is free for the next process at once.
        let again = try Self.interrupted(["bootstrap", "--port", "\(port)", "--host", "127.0.0.1", "--json"], with: signal)
        #expect(again.firstLine.contains("listening"), "\(again.firstLine) \(again.stderr)")
    }

    @Test func aKeptAnnouncementIsWithdrawnOnSIGINT() throws {
        let (testnet, bootstrap) = try CommandLineEndToEndTests.startTestnet(nodes: 8)
        defer { testnet.terminate(); testnet.waitUntilExit() }
        let kept = try Self.interrupted(["announce", "env-withdrawn", "--keep", "--port", "4346", "--bootstrap", bootstrap,
                                         "--host", "127.0.0.1", "--json"], with: SIGINT, after: "keeping")
        #expect(kept.status == 130, "\(kept.stderr)")
        let lookup = try HyperDHTCLITests.run(["lookup", "env-withdrawn", "--bootstrap", bootstrap, "--json"])
        #expect(lookup.status == 0, "\(lookup.output)")
        #expect(!lookup.output.contains("4346"), "the announcement was not withdrawn: \(lookup.output)")
    }
}
