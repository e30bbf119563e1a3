import ArgumentParser
import HyperDHT
import IPEncoding
import KBucket
import Monitor
import NIOCore

/// Options shared by every command that joins a network.
struct NetworkOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "A node to join through, as host:port (repeatable). A host without a port gets 49737.",
        valueName: "host:port"))
    var bootstrap: [String] = []

    /// The bootstrap addresses, resolved (host names through the system resolver).
    func bootstrapAddresses() throws -> [PeerAddress] {
        try bootstrap.map { try AddressArgument.resolve($0) }
    }

    func validate() throws {
        _ = try bootstrapAddresses()
    }

    /// For commands that join a network: refuses a missing `--bootstrap` (in `validate()`, so the
    /// message comes with the subcommand's own usage).
    func requireBootstrap() throws {
        guard !bootstrap.isEmpty else {
            throw ValidationError("no network to join: give --bootstrap host:port (e.g. the address `hyperdht testnet` prints)")
        }
    }
}

/// Where a command's node listens.
struct BindOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The local IP address to listen on (default: every IPv4 interface, 0.0.0.0; 127.0.0.1 keeps the node on this machine).",
        valueName: "ip"))
    var host: String?

    /// The address to bind: `--host`, or `fallback` when it is not given.
    func address(or fallback: IPAddress = .anyV4) throws -> IPAddress {
        guard let host else { return fallback }
        do {
            return try IPAddress(parsing: host)
        } catch {
            throw ValidationError("--host '\(host)' is not an IP address (\(error)); e.g. 127.0.0.1, 0.0.0.0 or ::1")
        }
    }

    func validate() throws {
        _ = try address()
    }
}

/// Whether announces and lookups share our LAN address (hyperdht's `localAddress`).
struct LANAddressOptions: ParsableArguments {
    @Option(name: .customLong("local-address"), help: ArgumentHelp(
        "The LAN address to share with peers in the same /16 (default: found from the route to the bootstrap node when bound to 0.0.0.0).",
        valueName: "host:port"))
    var localAddress: String?

    @Flag(name: .customLong("no-local-address"), help: ArgumentHelp(
        "Share no LAN address: the nodes storing the key then cannot tell it, and hosts behind the same NAT find us only by our public address."))
    var noLocalAddress = false

    /// The address given with `--local-address`, if any: IPv4, the only family hyperdht's
    /// `localAddress` field carries.
    func explicitAddress() throws -> PeerAddress? {
        guard let localAddress else { return nil }
        let address = try AddressArgument.resolve(localAddress)
        guard address.host.unmappedIPv4 != nil else {
            throw ValidationError("--local-address '\(localAddress)' is not IPv4: hyperdht shares only an IPv4 LAN address")
        }
        return address
    }

    func validate() throws {
        if noLocalAddress && localAddress != nil {
            throw ValidationError("--local-address and --no-local-address contradict each other: give one of them")
        }
        _ = try explicitAddress()
    }
}

/// How results are printed.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object per line instead of text.")
    var json = false
}

/// Reading addresses typed by a person: the monitor's reading (``InputValidation/address(_:)``: literal
/// IPv4, [IPv6] or localhost, with :port), and then – the command line may block – host names resolved
/// by the system resolver.
enum AddressArgument {
    /// Parses `host:port`, `[v6]:port` or a bare host (port 49737); host names are resolved.
    static func resolve(_ text: String) throws -> PeerAddress {
        let host: String, port: UInt16
        switch InputValidation.address(text) {
        case .success(let address): return address
        case .failure(.hostName):
            do {
                (host, port) = try PeerAddress.splitHostAndPort(text.trimmingCharacters(in: .whitespaces))
            } catch {
                throw ValidationError("'\(text)' is not a valid address (\(error))")
            }
        case .failure(let problem):
            throw ValidationError("'\(text)' is not a valid address: \(problem)")
        }
        guard let resolved = try? SocketAddress.makeAddressResolvingHost(host, port: Int(port)),
              let address = PeerAddress(nioAddress: resolved) else {
            throw ValidationError("cannot resolve host '\(host)' in '\(text)'")
        }
        return address
    }
}

/// A `KEY` argument as typed by a person, read as the monitor's prompts read it
/// (``InputValidation/lookupTarget(_:)``): 64 hex characters are the key itself; 48 or more hex digits
/// of another count are a mistyped key, refused; any other text is a topic name hashed into a key
/// (``NodeID/init(topic:)``). `--topic` hashes the text as a topic whatever it looks like.
struct KeyArgument: ExpressibleByArgument, Equatable {
    /// The text as given.
    var text: String

    /// `nil` (the parser then reports the value as invalid, with the help below) for empty text.
    init?(argument: String) {
        guard !argument.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        text = argument
    }

    /// The 32-byte key; `asTopic` skips the key reading.
    func key(asTopic: Bool = false) throws -> NodeID {
        if asTopic {
            let topic = text.trimmingCharacters(in: .whitespaces)
            guard topic.count <= InputValidation.topicLimit else {
                throw ValidationError("KEY: \(InputError.tooLong(limit: InputValidation.topicLimit))")
            }
            return NodeID(topic: topic)
        }
        switch InputValidation.lookupTarget(text) {
        case .success(.key(let key)): return key
        case .success(.topic(let topic)): return NodeID(topic: topic)
        case .failure(let problem):
            if case .keyLength = problem { throw ValidationError("KEY: \(problem) – or pass --topic") }
            throw ValidationError("KEY: \(problem)")
        }
    }

    static let help = ArgumentHelp(
        "64 hex characters, or any other (non-empty) text: a topic name, hashed with SHA-256 into the key. 48 or more hex digits of another count are refused as a mistyped key (--topic takes them as a topic).",
        valueName: "key-or-topic")
}

/// `--topic`: the KEY argument is a topic name even if it looks like a key.
struct TopicOption: ParsableArguments {
    @Flag(name: .long, help: "Take KEY as a topic name even when it is all hex digits.")
    var topic = false
}

extension PeerAddress {
    /// Converts a resolved NIO address.
    init?(nioAddress: SocketAddress) {
        guard let ip = nioAddress.ipAddress, let port = nioAddress.port, let host = IPAddress(ip) else { return nil }
        self.init(host: host, port: UInt16(port))
    }
}
