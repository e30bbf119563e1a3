import ArgumentParser

/// The `hyperdht` command line: the node monitor and the tools around a hyperdht node.
@main
struct HyperDHTCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hyperdht",
        abstract: "A hyperdht (Kademlia DHT with hole punching) node, wire-compatible with the nodejs reference.",
        discussion: """
            KEY arguments are 64 hex characters; any other text is a topic name, hashed with SHA-256 into the key.
            Invalid arguments exit with status 64; network failures with status 1.
            """,
        version: HyperDHTVersion.string,
        subcommands: [
            NodeCommand.self, BootstrapCommand.self, AnnounceCommand.self, LookupCommand.self, UnannounceCommand.self,
            PingCommand.self, HolepunchCommand.self, NetcheckCommand.self, TestnetCommand.self, MonitorSubcommand.self,
            ReplayCommand.self,
        ],
        defaultSubcommand: MonitorSubcommand.self
    )

    /// ArgumentParser's `main`, plus two steps: a command that met a closed stdout (or a signal) while
    /// finishing does not exit 0 behind ``ProcessShutdown``'s back – it waits for its cleanups and exit;
    /// and with `--json` a failure also ends stdout with an `error` line (``JSONCommandEnding``).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        // A first word that names no command would go to the default subcommand (the monitor) and be
        // reported against the monitor's usage: name it as what it is.
        if let first = arguments.first, !first.hasPrefix("-") {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
            if !names.contains(first) {
                fail(ValidationError("unknown command '\(first)'; the commands are \(names.dropLast().joined(separator: ", ")) (hyperdht --help says what each does)"),
                     command: nil, arguments: arguments)
            }
        }
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            fail(error, command: nil, arguments: arguments)
        }
        JSONCommandEnding.prepare(command)
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            await ProcessShutdown.finishIfStopping()
            fail(error, command: command, arguments: arguments)
        }
        await ProcessShutdown.finishIfStopping()
    }

    /// Ends the process for `error`: its `error` line with `--json`, the message on stderr, its status.
    private static func fail(_ error: any Error, command: (any ParsableCommand)?, arguments: [String]) -> Never {
        JSONCommandEnding.report(error, command: command, arguments: arguments)
        exit(withError: error)
    }
}

/// The version printed by `hyperdht --version`.
enum HyperDHTVersion {
    static let string = "0.1.0"
}
