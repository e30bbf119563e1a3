import ArgumentParser
import ControlSocket
import DHTRPC
import HyperDHT
import IPEncoding
import KBucket
import Monitor
import NIOPosix
import NodeRuntime

/// Says whether the node joined: "bootstrapped..." once a node answered, or, while none does,
/// "bootstrap failed: no node answered" before each retry (``BootstrapRetry``; failures are printed
/// even when `quiet`).
func reportBootstrap(_ node: HyperDHTHandle, hasBootstrapNodes: Bool, printer: ResultPrinter, quiet: Bool) {
    // From the handle, not the event stream: a fast bootstrap can finish before we subscribe.
    Task {
        await BootstrapRetry.run(node, hasBootstrapNodes: hasBootstrapNodes) { outcome in
            switch outcome {
            case .joined(let responses):
                if !quiet { printer.event(ReadyLine(responses: responses), text: "bootstrapped...") }
            case .noNodeAnswered(let wait):
                let seconds = wait.components.seconds
                printer.event(BootstrapFailedLine(error: "no node answered", retryInSeconds: seconds),
                              text: "bootstrap failed: no node answered; retrying in \(seconds) s")
            }
        }
    }
}

/// Logs what a long-lived node serves, like the reference's bin.js.
func logServedEvents(_ node: HyperDHTHandle, printer: ResultPrinter, quiet: Bool) async throws {
    guard !quiet else { return }
    let events = try await node.events()
    Task {
        for await event in events {
            switch event {
            case .hyperdht(.announced(let key, let peer, let localAddress, let refreshed)):
                printer.event(ServedAnnounceLine(key: key, peer: JSONAddress(peer), localAddress: localAddress.map(JSONAddress.init),
                                                 refreshed: refreshed),
                              text: "announce: \(key.hexString) \(peer)\(refreshed ? " (refresh)" : "")")
            case .hyperdht(.unannounced(let key, let peer)):
                printer.event(ServedUnannounceLine(key: key, peer: JSONAddress(peer)), text: "unannounce: \(key.hexString) \(peer)")
            case .hyperdht(.lookedUp(let key, let from, let answered)):
                printer.event(ServedLookupLine(key: key, from: JSONAddress(from), answered: answered),
                              text: "lookup: \(key.hexString) from \(from) (\(Formatting.counted(answered, "peer")))")
            default:
                break
            }
        }
    }
}

/// `--control` and `--record` of a long-lived node: serve its control socket and record what a monitor
/// would see (a headless monitor session polling once a second), both stopped on shutdown.
func serveAndRecord(_ node: HyperDHTHandle, control: ControlOptions, recording: RecordOptions) async throws {
    let natLog = NATProbeLog()
    let recorder = try recording.recorder()
    if let served = try await control.serve(node, on: MultiThreadedEventLoopGroup.singleton, natLog: natLog) {
        closeOnShutdown(served.close)
    }
    if let recorder {
        let session = MonitorSession(backend: RecordingMonitorBackend(
            wrapping: HyperDHTMonitorBackend(handle: node, natLog: natLog), recorder: recorder))
        session.start(statusInterval: .seconds(1))
        closeOnShutdown {
            session.stop()
            recorder.close()
        }
    }
}

struct NodeCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a long-lived hyperdht node that stores announcements for the network.")

    @Option(name: .long, help: "UDP port to listen on (default: any free port).") var port: UInt16 = 0
    @Flag(name: .long, help: "Do not log the announces, unannounces and lookups served.") var quiet = false
    @OptionGroup var network: NetworkOptions
    @OptionGroup var bind: BindOptions
    @OptionGroup var limits: RateLimitOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var control: ControlOptions
    @OptionGroup var recording: RecordOptions
    @OptionGroup var metrics: MetricsOptions

    var runsUntilStopped: Bool { true }

    func run() async throws {
        let printer = ResultPrinter(json: output.json, timestamps: true)
        let configuration = DHTNodeConfiguration(bootstrap: try network.bootstrapAddresses(), requestRateLimit: limits.limit)
        let node: HyperDHTHandle
        do {
            node = try await HyperDHTHandle.start(configuration: configuration, host: try bind.address(), port: port,
                                                  on: MultiThreadedEventLoopGroup.singleton.next())
        } catch {
            throw NetworkFailure(description: BindFailure.text(error, port: port))
        }
        closeOnShutdown(node.close)
        try await serveAndRecord(node, control: control, recording: recording)
        let metricsEndpoint = try await metrics.serve(node, on: MultiThreadedEventLoopGroup.singleton)
        printer.event(ListeningLine(address: JSONAddress(node.localAddress), id: node.id),
                      text: "hyperdht listening on \(node.localAddress.port) (id \(node.id.hexString))")
        MetricsOptions.announce(metricsEndpoint, printer: printer)
        reportBootstrap(node, hasBootstrapNodes: !configuration.bootstrap.isEmpty, printer: printer, quiet: quiet)
        try await logServedEvents(node, printer: printer, quiet: quiet)
        // Re-bootstrap at random intervals of 5–65 s, as the reference's bin.js does.
        var generator = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            try await Task.sleep(for: .seconds(Int.random(in: 5...65, using: &generator)))
            _ = try await node.bootstrap()
        }
    }
}

struct BootstrapCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "bootstrap",
        abstract: "Run a bootstrap node for a private network (a node that joins nothing; others join through it).")

    @Option(name: .long, help: "UDP port to listen on.") var port: UInt16 = PeerAddress.defaultBootstrapPort
    @Flag(name: .long, help: "Do not log what the node serves.") var quiet = false
    @OptionGroup var bind: BindOptions
    @OptionGroup var limits: RateLimitOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var control: ControlOptions
    @OptionGroup var recording: RecordOptions
    @OptionGroup var metrics: MetricsOptions

    var runsUntilStopped: Bool { true }

    func run() async throws {
        let printer = ResultPrinter(json: output.json, timestamps: true)
        let node: HyperDHTHandle
        do {
            node = try await HyperDHTHandle.start(configuration: DHTNodeConfiguration(requestRateLimit: limits.limit),
                                                  host: try bind.address(), port: port, on: MultiThreadedEventLoopGroup.singleton.next())
        } catch {
            throw NetworkFailure(description: BindFailure.text(error, port: port))
        }
        closeOnShutdown(node.close)
        try await serveAndRecord(node, control: control, recording: recording)
        let metricsEndpoint = try await metrics.serve(node, on: MultiThreadedEventLoopGroup.singleton)
        printer.event(ListeningLine(address: JSONAddress(node.localAddress), id: node.id),
                      text: "bootstrap node listening on \(node.localAddress.port); join with --bootstrap <this host>:\(node.localAddress.port)")
        MetricsOptions.announce(metricsEndpoint, printer: printer)
        reportBootstrap(node, hasBootstrapNodes: false, printer: printer, quiet: quiet)
        try await logServedEvents(node, printer: printer, quiet: quiet)
        await ProcessShutdown.waitUntilStopped()
    }
}

struct TestnetCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "testnet",
        abstract: "Start N nodes on 127.0.0.1 in this process and print the bootstrap address, for trying things out.")

    @Argument(help: "How many nodes (1–1000).") var count: Int = 10
    @Option(name: .long, help: "UDP port of the first node, the bootstrap node (default: any free port).") var port: UInt16 = 0
    @OptionGroup var output: OutputOptions

    var runsUntilStopped: Bool { true }

    func validate() throws {
        guard (1...1000).contains(count) else { throw ValidationError("the node count must be between 1 and 1000, got \(count)") }
    }

    func run() async throws {
        let printer = ResultPrinter(json: output.json)
        let group = MultiThreadedEventLoopGroup.singleton
        let first: HyperDHTHandle
        do {
            first = try await HyperDHTHandle.start(host: .loopbackV4, port: port, on: group.next())
        } catch {
            throw NetworkFailure(description: BindFailure.text(error, port: port))
        }
        closeOnShutdown(first.close)
        var nodes = [first]
        for _ in 1..<count {
            let node = try await HyperDHTHandle.start(configuration: DHTNodeConfiguration(bootstrap: [first.localAddress]),
                                                      host: .loopbackV4, on: group.next())
            closeOnShutdown(node.close)
            nodes.append(node)
        }
        for node in nodes { try await node.ready() }
        printer.event(TestnetLine(bootstrap: JSONAddress(first.localAddress), nodes: count),
                      text: "testnet of \(count) nodes ready; bootstrap address: \(first.localAddress)")
        await ProcessShutdown.waitUntilStopped()
    }
}
