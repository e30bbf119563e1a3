import Foundation
import Testing

/// The committed completion scripts and man page are what the current command line generates
/// (scripts/gen-shell-files makes them): a changed command, option or help text without regenerating
/// them fails here.
@Suite struct ShellFilesTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `hyperdht arguments`' stdout (stderr apart), failing on a nonzero status.
    static func output(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = HyperDHTCLITests.binary
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(arguments): status \(process.terminationStatus)")
        return String(decoding: data, as: UTF8.self)
    }

    static func committed(_ path: String) throws -> String {
        try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
    }

    static let stale = "stale: run scripts/gen-shell-files and commit what it writes"

    @Test(arguments: ["bash", "zsh", "fish"])
    func theCommittedCompletionScriptIsCurrent(shell: String) throws {
        let path = ["bash": "completions/hyperdht.bash", "zsh": "completions/_hyperdht", "fish": "completions/hyperdht.fish"][shell] ?? ""
        let generated = try Self.output(["--generate-completion-script", shell])
        #expect(!generated.isEmpty)
        #expect(generated == (try Self.committed(path)), "\(path) is \(Self.stale)")
    }

    @Test func theManPageWasMadeFromTheCurrentDefinitions() throws {
        // The page itself comes from the generate-manual plugin (a build of its own); the definitions it was
        // made from are committed beside it and must be the binary's.
        let definitions = try Self.output(["--experimental-dump-help"])
        #expect(definitions == (try Self.committed("man/hyperdht.1.source.json")), "man/hyperdht.1 is \(Self.stale)")
        let page = try Self.committed("man/hyperdht.1")
        for command in ["node", "bootstrap", "announce", "lookup", "unannounce", "ping", "holepunch", "netcheck", "testnet",
                        "monitor", "replay"] {
            #expect(page.contains(command), "man/hyperdht.1 does not mention \(command)")
        }
        #expect(page.contains("json"), "man/hyperdht.1 does not mention --json")
    }
}
