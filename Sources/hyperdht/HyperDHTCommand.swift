import ArgumentParser

/// The `hyperdht` command line: the node monitor and the tools around a hyperdht node.
@main
struct HyperDHTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hyperdht",
        abstract: "A hyperdht (Kademlia DHT with hole punching) node, wire-compatible with the nodejs reference.",
        discussion: """
            Subcommands arrive layer by layer; see README.md for what works today.
            """,
        version: HyperDHTVersion.string
    )
}

/// The version printed by `hyperdht --version`.
enum HyperDHTVersion {
    static let string = "0.1.0"
}
