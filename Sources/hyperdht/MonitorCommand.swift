import ArgumentParser
import ControlSocket
import DHTRPC
import Foundation
import IPEncoding
import Monitor
import MonitorTerminal
import NIODatagramTransport
import NIOPosix
import NodeMetrics
import NodeRuntime

/// `hyperdht monitor` (also what `hyperdht` runs with no subcommand): the live terminal UI over an
/// embedded node. Named `MonitorSubcommand` because the Monitor module's key-command enum is
/// `MonitorCommand`.
struct MonitorSubcommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "monitor",
        abstract: "Watch a node live in the terminal: routing table, requests, queries, hole punches, NAT.",
        discussion: """
            With no --bootstrap, an embedded swarm of nodes on 127.0.0.1 (real UDP, in this process) is started \
            and the monitored node joins it. Press ? in the monitor for the keys. Needs a terminal of at least 80x24.
            Themes: --theme NAME (a file NAME.toml in themes/ or $HYPERDHT_THEMES) or --theme PATH. NO_COLOR \
            turns colours off.
            With --attach PATH the monitor starts no node: it watches the node serving the control socket at PATH \
            (hyperdht node --control PATH), q leaves that node running, and it reattaches when the node comes back.
            """)

    @OptionGroup var network: NetworkOptions
    @OptionGroup var bind: BindOptions
    @OptionGroup var limits: RateLimitOptions
    @Option(name: .long, help: "UDP port for the monitored node (default: any free port).") var port: UInt16 = 0
    @Flag(name: .long, help: "Run the monitored node ephemeral (it sends no id; others do not add it).") var ephemeral = false
    @Option(name: .long, help: ArgumentHelp("Theme name or path to a theme file.", valueName: "name|path")) var theme: String?
    @Option(name: .customLong("swarm-size"), help: "Nodes in the embedded swarm (default 32; only without --bootstrap).") var swarmSize: Int?
    @Flag(name: .customLong("no-local-address"), help: ArgumentHelp(
        "Do not share our LAN address in announces and lookups (by default it is found from the route to the bootstrap node when bound to 0.0.0.0, so hosts behind the same NAT find each other)."))
    var noLocalAddress = false
    @OptionGroup var control: ControlOptions
    @OptionGroup var recording: RecordOptions
    @OptionGroup var metrics: MetricsOptions
    @Option(name: .long, help: ArgumentHelp(
        "Watch the running node serving the control socket at PATH (its --control) instead of starting one.",
        valueName: "path"))
    var attach: String?

    func validate() throws {
        if let swarmSize {
            guard network.bootstrap.isEmpty else {
                throw ValidationError("--swarm-size sizes the embedded swarm, which runs only without --bootstrap: give one of them")
            }
            guard (2...256).contains(swarmSize) else { throw ValidationError("--swarm-size must be 2-256") }
        }
        if attach != nil && control.control != nil {
            throw ValidationError("--attach watches another node's control socket; --control serves this monitor's own node – give one")
        }
        if attach != nil && metrics.metrics != nil {
            throw ValidationError("--metrics serves this monitor's own node's metrics; with --attach, give --metrics to the node attached to")
        }
    }

    func run() async throws {
        let setup = try TerminalSetup.prepare(command: "monitor", theme: theme)
        let (loader, startTheme, themeError, noColor) = (setup.loader, setup.theme, setup.themeError, setup.noColor)
        let recorder = try recording.recorder()
        defer { recorder?.close() }
        if let attach {
            try await Self.runAttached(to: attach, recording: recording, recorder: recorder, theme: startTheme,
                                       themeError: themeError, loader: loader, noColor: noColor)
            return
        }

        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        var swarm: EmbeddedSwarm?
        let node: HyperDHTHandle
        do {
            var bootstrap = try network.bootstrapAddresses()
            if bootstrap.isEmpty {
                let started = try await EmbeddedSwarm.start(size: swarmSize ?? 32, on: group)
                swarm = started
                bootstrap = started.bootstrapAddresses
            }
            let configuration = DHTNodeConfiguration(ephemeral: ephemeral, bootstrap: bootstrap,
                                                     requestRateLimit: limits.limit)
            node = try await HyperDHTHandle.start(configuration: configuration,
                                                 host: try bind.address(or: swarm == nil ? .anyV4 : .loopbackV4), port: port,
                                                 sharesLANAddress: !noLocalAddress, on: group.next())
        } catch {
            await swarm?.close()
            try? await group.shutdownGracefully()
            throw NetworkFailure(description: error is UDPTransportError ? BindFailure.text(error, port: port) : "cannot start the node: \(error)")
        }

        let natLog = NATProbeLog()
        let served: ControlOptions.Served?
        do {
            served = try await control.serve(node, on: group, natLog: natLog, probes: false)
        } catch {
            await node.close()
            await swarm?.close()
            try? await group.shutdownGracefully()
            throw error
        }
        let metricsEndpoint: MetricsEndpoint?
        do {
            metricsEndpoint = try await metrics.serve(node, on: group, closesOnShutdown: false)
        } catch {
            await served?.close()
            await node.close()
            await swarm?.close()
            try? await group.shutdownGracefully()
            throw error
        }
        let session = MonitorSession(backend: recording.wrap(HyperDHTMonitorBackend(handle: node, natLog: natLog),
                                                            recorder: recorder))
        session.start()
        if let metricsEndpoint { session.inbox.post(message: "metrics at \(metricsEndpoint.server.url)", isError: false) }
        let probe = Task { await PublicAddressProbe.run(node, log: natLog) }
        let inbox = session.inbox
        let joining = Task {
            await BootstrapRetry.run(node, hasBootstrapNodes: true) { outcome in
                if case .noNodeAnswered(let wait) = outcome {
                    inbox.post(message: "bootstrap failed: no node answered; retrying in \(wait.components.seconds) s", isError: true)
                }
            }
        }
        let activity = swarm?.startActivity(monitored: node)
        let stopSignal = await Self.runInterface(session: session, theme: startTheme, themeError: themeError,
                                                 loader: loader, noColor: noColor)
        session.stop()
        probe.cancel()
        joining.cancel()
        activity?.cancel()
        await served?.close()
        await metricsEndpoint?.close()
        await node.close()
        await swarm?.close()
        try? await group.shutdownGracefully()
        if let themeError { try? FileHandle.standardError.write(contentsOf: Data("hyperdht monitor: \(themeError)\n".utf8)) }
        if let stopSignal { throw ExitCode(128 + stopSignal) }
    }

    /// `--attach PATH`: the monitor over a running node's control socket (``AttachedMonitorBackend``).
    /// Quitting closes only the connection; the node keeps running.
    static func runAttached(to path: String, recording: RecordOptions, recorder: SessionRecorder?, theme: Theme,
                            themeError: ThemeError?, loader: ThemeLoader, noColor: Bool) async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let inbox = MonitorInbox()
        let backend = AttachedMonitorBackend(path: path, on: group) { text, isError in
            inbox.post(message: text, isError: isError)
        }
        backend.start()
        let session = MonitorSession(backend: recording.wrap(backend, recorder: recorder), inbox: inbox)
        session.start()
        let stopSignal = await runInterface(session: session, theme: theme, themeError: themeError, loader: loader,
                                            noColor: noColor)
        session.stop()
        backend.stop()
        try? await group.shutdownGracefully()
        if let themeError { try? FileHandle.standardError.write(contentsOf: Data("hyperdht monitor: \(themeError)\n".utf8)) }
        if let stopSignal { throw ExitCode(128 + stopSignal) }
    }

    /// Runs the UI loop on its own thread (curses blocks while it waits for keys; the node's loops and
    /// the session's tasks never wait for it); returns the signal that stopped it, if any.
    static func runInterface(session: MonitorSession, theme: Theme, themeError: ThemeError?, loader: ThemeLoader,
                             noColor: Bool) async -> Int32? {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32?, Never>) in
            let thread = Thread {
                let terminal = CursesTerminal(noColor: noColor)
                var controller = MonitorController(theme: theme, themeLoader: loader)
                if let themeError { controller.show("using theme \(theme.name): \(themeError.shortDescription)", isError: true) }
                MonitorLoop.run(terminal: terminal, controller: &controller, session: session)
                let signal = terminal.stopSignal
                terminal.restore()
                continuation.resume(returning: signal)
            }
            thread.name = "monitor-ui"
            thread.start()
        }
    }
}
