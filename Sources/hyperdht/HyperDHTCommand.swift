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
        ],
        defaultSubcommand: MonitorSubcommand.self
    )

    /// ArgumentParser's `main`, plus one step: a command that met a closed stdout (or a signal) while
    /// finishing does not exit 0 behind ``ProcessShutdown``'s back – it waits for its cleanups and exit.
    static func main() async {
        // A first word that names no command would go to the default subcommand (the monitor) and be
        // reported against the monitor's usage: name it as what it is.
        if let first = CommandLine.arguments.dropFirst().first, !first.hasPrefix("-") {
            let names = configuration.subcommands.compactMap { $0.configuration.commandName } + ["help"]
            if !names.contains(first) {
                exit(withError: ValidationError("unknown command '\(first)'; the commands are \(names.dropLast().joined(separator: ", ")) (hyperdht --help says what each does)"))
            }
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            await ProcessShutdown.finishIfStopping()
            exit(withError: error)
        }
        await ProcessShutdown.finishIfStopping()
    }
}

/// The version printed by `hyperdht --version`.
enum HyperDHTVersion {
    static let string = "0.1.0"
}
