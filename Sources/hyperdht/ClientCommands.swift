import ArgumentParser
import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import Monitor
import NATDiagnosis
import NIOPosix
import NodeRuntime

/// Starts a short-lived, ephemeral client node joined to the network the options name.
func startClient(_ network: NetworkOptions, bind: BindOptions, listenPort: UInt16 = 0,
                 sharesLANAddress: Bool = true) async throws -> HyperDHTHandle {
    let bootstrap = try network.bootstrapAddresses()
    guard !bootstrap.isEmpty else {
        throw ValidationError("no network to join: give --bootstrap host:port (e.g. the address `hyperdht testnet` prints)")
    }
    let configuration = DHTNodeConfiguration(ephemeral: true, bootstrap: bootstrap)
    let handle = try await HyperDHTHandle.start(configuration: configuration, host: try bind.address(), port: listenPort,
                                                sharesLANAddress: sharesLANAddress,
                                                on: MultiThreadedEventLoopGroup.singleton.next())
    closeOnShutdown(handle.close)
    try await handle.ready()
    return handle
}

/// Prints a peer stream's answers (`peers` lines); returns its summary and the number of distinct peers
/// found (public and LAN), for the caller's summary or error.
func printPeerStream(_ stream: AsyncStream<PeerQueryEvent>, key: NodeID, printer: ResultPrinter) async -> (QuerySummary?, Int) {
    var summary: QuerySummary?
    var found = Set<PeerAddress>()
    for await event in stream {
        switch event {
        case .result(let result):
            printer.peers(result, key: key)
            found.formUnion(result.peers)
            found.formUnion(result.localPeers)
        case .finished(let finished): summary = finished
        }
    }
    return (summary, found.count)
}

/// Makes a SIGINT, SIGTERM or closed stdout run `close` (a node's) before the process exits (see
/// ``ProcessShutdown``).
func closeOnShutdown(_ close: @escaping @Sendable () async -> Void) {
    ProcessShutdown.install()
    ProcessShutdown.onShutdown(close)
}

/// Network failure: message on stderr (and an `error` line with `--json`), exit status 1.
struct NetworkFailure: Error, CustomStringConvertible {
    var description: String
    /// A failed hole punch's follow-up findings (the `error` line's `diagnosis`).
    var diagnosis: PunchFailureDiagnosis? = nil
}

struct AnnounceCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "announce",
        abstract: "Announce this host under a key, print the peers found, and exit (or keep announcing).")

    @Argument(help: KeyArgument.help) var key: KeyArgument
    @OptionGroup var topic: TopicOption
    @Option(name: .long, help: "The port to announce: where this host serves the key. Needed without --keep (a one-shot announce would otherwise store this short-lived process's own UDP port, dead once it exits); with --keep the default is the UDP port other nodes see.")
    var port: UInt16 = 0
    @OptionGroup var lan: LANAddressOptions
    @Flag(name: .long, help: "Re-announce every 4 minutes until interrupted. On Ctrl-C (SIGINT) or SIGTERM the announcement is withdrawn from the nodes storing it (within 3 s), then the command exits with status 130 or 143.") var keep = false
    @Option(name: .long, help: ArgumentHelp(
        "With --keep: ping the nodes storing the announcement every SECONDS, so a NAT in front of us keeps the mappings their forwarded hole punches come in through (0: never; default 25, skipped while the answers show no NAT).",
        valueName: "seconds"))
    var keepalive: Int = 25
    @Flag(name: .long, help: "With --keep: print every keep-alive round.") var verbose = false
    @OptionGroup var network: NetworkOptions
    @OptionGroup var bind: BindOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var control: ControlOptions
    @OptionGroup var metrics: MetricsOptions

    var runsUntilStopped: Bool { keep }

    func validate() throws {
        _ = try key.key(asTopic: topic.topic)
        try network.requireBootstrap()
        guard keep || port != 0 else {
            throw ValidationError("""
                a one-shot announce needs --port PORT (where this host serves the key): without it the address stored \
                would be this process's own UDP port, dead once it exits. Or give --keep to stay and keep announcing.
                """)
        }
        guard (0...3600).contains(keepalive) else {
            throw ValidationError("--keepalive \(keepalive) is out of range: give 0 (off) to 3600 seconds")
        }
        if control.control != nil && !keep {
            throw ValidationError("--control needs --keep (a one-shot announce exits before anything could attach)")
        }
        if metrics.metrics != nil && !keep {
            throw ValidationError("--metrics needs --keep (a one-shot announce exits before anything could scrape it)")
        }
    }

    func run() async throws {
        let keyID = try key.key(asTopic: topic.topic)
        let local = try lan.explicitAddress()
        let printer = ResultPrinter(json: output.json)
        let node = try await startClient(network, bind: bind, sharesLANAddress: !lan.noLocalAddress)
        guard keep else {
            let (summary, found) = await printPeerStream(try await node.announce(key: keyID, port: port, localAddress: local),
                                                         key: keyID, printer: printer)
            await node.close()
            guard let summary, summary.error == nil else {
                throw NetworkFailure(description: "announce failed: \(summary?.error.map { "\($0)" } ?? "no summary")")
            }
            printer.summary(summary, command: .announce, key: keyID, port: port, peersFound: found)
            // Where the announcement points, and how to take it back (it stays stored for about 12 minutes).
            printer.text("announced port \(port) (at the host the storing nodes see) under \(keyID.hexString); "
                         + "withdraw it with: hyperdht unannounce \(keyID.hexString) --port \(port) --bootstrap …")
            return
        }
        let keepAlive = keepalive == 0 ? KeepAliveConfiguration.off : KeepAliveConfiguration(interval: .seconds(keepalive))
        let logger = verbose ? Task { await printKeepAliveRounds(node, printer: printer) } : nil
        // On SIGINT/SIGTERM (or a closed stdout): withdraw from the nodes storing it, then close (bounded
        // by ProcessShutdown's deadline), so a lookup stops finding an address nobody serves.
        ProcessShutdown.onShutdown { [port] in
            _ = try? await node.unannounce(key: keyID, port: port, localAddress: local)
            await node.close()
        }
        if let served = try await control.serve(node, on: MultiThreadedEventLoopGroup.singleton) {
            ProcessShutdown.onShutdown(served.close)
        }
        let metricsEndpoint = try await metrics.serve(node, on: MultiThreadedEventLoopGroup.singleton)
        MetricsOptions.announce(metricsEndpoint, printer: printer)
        let (firstRound, _) = try await node.keepAnnounced(key: keyID, port: port, localAddress: local, keepAlive: keepAlive)
        let (summary, found) = await printPeerStream(firstRound, key: keyID, printer: printer)
        guard let summary, summary.error == nil else {
            logger?.cancel()
            await node.close()
            throw NetworkFailure(description: "announce failed: \(summary?.error.map { "\($0)" } ?? "no summary")")
        }
        printer.summary(summary, command: .announce, key: keyID, port: port, peersFound: found, final: false)
        printer.event(KeepingLine(key: keyID, port: port, lanAddress: node.lanAddress.map(JSONAddress.init)),
                      text: "keeping \(keyID.hexString) announced\(node.lanAddress.map { " (LAN address \($0))" } ?? ""); Ctrl-C to stop")
        await ProcessShutdown.waitUntilStopped()
    }
}

/// Prints each keep-alive round of a kept announcement until cancelled.
private func printKeepAliveRounds(_ node: HyperDHTHandle, printer: ResultPrinter) async {
    guard let events = try? await node.events() else { return }
    for await event in events {
        guard case .hyperdht(.keepAlivePinged(let key, let storing, let answered, let behindNAT, let next)) = event else { continue }
        let nat = behindNAT.map { $0 ? "behind a NAT" : "not behind a NAT" } ?? "NAT unknown"
        let then = next.map { "next in \(Int($0.components.seconds)) s" } ?? "paused until the next re-announce"
        printer.event(KeepaliveLine(key: key, storingNodes: storing, answered: answered, behindNAT: behindNAT,
                                    nextSeconds: next.map { $0.components.seconds }),
                      text: "keepalive: pinged \(Formatting.counted(storing, "storing node")), \(answered) answered (\(nat)); \(then)")
    }
}

struct LookupCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup", abstract: "Find the peers announced under a key.")

    @Argument(help: KeyArgument.help) var key: KeyArgument
    @OptionGroup var topic: TopicOption
    @OptionGroup var lan: LANAddressOptions
    @OptionGroup var network: NetworkOptions
    @OptionGroup var bind: BindOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try key.key(asTopic: topic.topic)
        try network.requireBootstrap()
    }

    func run() async throws {
        let keyID = try key.key(asTopic: topic.topic)
        let local = try lan.explicitAddress()
        let node = try await startClient(network, bind: bind, sharesLANAddress: !lan.noLocalAddress)
        let printer = ResultPrinter(json: output.json)
        let (summary, found) = await printPeerStream(try await node.lookup(key: keyID, localAddress: local), key: keyID,
                                                     printer: printer)
        await node.close()
        guard let summary, summary.error == nil else {
            throw NetworkFailure(description: "lookup failed: \(summary?.error.map { "\($0)" } ?? "no summary")")
        }
        printer.summary(summary, command: .lookup, key: keyID, peersFound: found)
    }
}

struct UnannounceCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "unannounce", abstract: "Withdraw an announcement from the nodes closest to a key.")

    @Argument(help: KeyArgument.help) var key: KeyArgument
    @OptionGroup var topic: TopicOption
    @Option(name: .long, help: "The port that was announced (default: the UDP port other nodes see).") var port: UInt16 = 0
    @OptionGroup var network: NetworkOptions
    @OptionGroup var bind: BindOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try key.key(asTopic: topic.topic)
        try network.requireBootstrap()
    }

    func run() async throws {
        let keyID = try key.key(asTopic: topic.topic)
        let node = try await startClient(network, bind: bind)
        let summary = try await node.unannounce(key: keyID, port: port)
        await node.close()
        if let error = summary.error { throw NetworkFailure(description: "unannounce failed: \(error)") }
        ResultPrinter(json: output.json).summary(summary, command: .unannounce, key: keyID, port: port)
    }
}

struct PingCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping", abstract: "Ping a node: print the round-trip time and the address it sees us at.")

    @Argument(help: ArgumentHelp("The node to ping.", valueName: "host:port")) var address: String
    @Option(name: .long, help: "The local UDP port to ping from (default: any free port); pings from one port to two nodes show whether a NAT keeps the mapping.")
    var port: UInt16 = 0
    @OptionGroup var bind: BindOptions
    @OptionGroup var output: OutputOptions

    func validate() throws { _ = try AddressArgument.resolve(address) }

    func run() async throws {
        let target = try AddressArgument.resolve(address)
        let node: HyperDHTHandle
        do {
            node = try await HyperDHTHandle.start(configuration: DHTNodeConfiguration(ephemeral: true), host: try bind.address(),
                                                  port: port, on: MultiThreadedEventLoopGroup.singleton.next())
        } catch {
            throw NetworkFailure(description: BindFailure.text(error, port: port))
        }
        closeOnShutdown(node.close)
        defer { Task { await node.close() } }
        do {
            ResultPrinter(json: output.json).pong(try await node.ping(target))
        } catch {
            throw NetworkFailure(description: "no answer from \(target): \(error)")
        }
    }
}

struct HolepunchCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "holepunch",
        abstract: "Punch a hole to a peer through a referrer: the referrer forwards our ping and the peer answers us directly.")

    @Argument(help: ArgumentHelp("The peer to reach.", valueName: "host:port")) var peer: String
    @Option(name: .long, help: ArgumentHelp("The node that knows the peer and forwards the ping.", valueName: "host:port"))
    var via: String
    @Option(name: .customLong("also-via"),
            help: ArgumentHelp("Another node that returned the peer (repeatable): if the punch fails, punching through it tells an expired NAT mapping from a gone peer.", valueName: "host:port"))
    var alsoVia: [String] = []
    @Option(name: .long, help: ArgumentHelp("The key the peer was found under: a lookup first tells which other nodes store it and at which ports they see it (a port-randomising NAT shows as one host at many ports).", valueName: "KEY"))
    var key: KeyArgument?
    @Flag(name: .customLong("forward-only"),
          help: "Punch as the nodejs reference does: only the forwarded ping, no direct pings that open our own NAT (fails across two filtering NATs; for comparison).")
    var forwardOnly = false
    @OptionGroup var network: NetworkOptions
    @OptionGroup var bind: BindOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try AddressArgument.resolve(peer)
        _ = try AddressArgument.resolve(via)
        for address in alsoVia { _ = try AddressArgument.resolve(address) }
        _ = try key?.key()
    }

    func run() async throws {
        let target = try AddressArgument.resolve(peer)
        let referrer = try AddressArgument.resolve(via)
        var hints = PunchFailureProbe.Hints(alternateReferrers: try alsoVia.map { try AddressArgument.resolve($0) },
                                            localHosts: LocalInterfaces.hosts())
        let bootstrap = try network.bootstrapAddresses()
        let node = try await HyperDHTHandle.start(configuration: DHTNodeConfiguration(ephemeral: true, bootstrap: bootstrap),
                                                  host: try bind.address(), on: MultiThreadedEventLoopGroup.singleton.next())
        closeOnShutdown(node.close)
        defer { Task { await node.close() } }
        if let key {
            try await node.ready()
            let keyID = try key.key()
            await hints.add(try await node.lookup(key: keyID), key: keyID, peer: target, referrer: referrer)
        }
        let outcome: PunchOutcome
        do {
            outcome = try await node.holepunchExplained(peer: target, referrer: referrer,
                                                        options: forwardOnly ? .forwardOnly : HolepunchOptions(), hints: hints)
        } catch {
            throw NetworkFailure(description: "hole punch to \(target) via \(referrer) failed: \(error)")
        }
        switch outcome {
        case .punched(let reply):
            ResultPrinter(json: output.json).punched(reply, via: referrer)
        case .failed(let diagnosis):
            // The follow-up probes ran; say what they found instead of a bare timeout.
            throw NetworkFailure(description: HolepunchFailureReport.text(diagnosis), diagnosis: diagnosis)
        }
    }
}
