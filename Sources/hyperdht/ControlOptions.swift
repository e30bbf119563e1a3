import ArgumentParser
import ControlSocket
import NIOCore
import NodeRuntime

/// `--control PATH` of `node`, `bootstrap`, `announce --keep` and `monitor`: serve the node's events and
/// the monitor's commands on a Unix socket (``ControlServer``), for `hyperdht monitor --attach PATH`.
struct ControlOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Serve this node's events and the monitor's commands on a Unix socket at PATH (mode 0600; its directory must be writable only by you, e.g. $XDG_RUNTIME_DIR). Watch it with: hyperdht monitor --attach PATH.",
        valueName: "path"))
    var control: String?

    /// A running control socket and the NAT probe feeding its NAT panel.
    struct Served: Sendable {
        let server: ControlServer
        let probe: Task<Void, Never>

        /// Stops the probe and the server (which removes the socket file).
        func close() async {
            probe.cancel()
            await server.close()
        }
    }

    /// Starts serving `node` when `--control` was given. The node also runs the monitor's address
    /// and NAT probe (``PublicAddressProbe``, about 20 datagrams every 2 minutes), so an attached
    /// monitor's header and NAT panel show what an embedded one does.
    func serve(_ node: HyperDHTHandle, on group: any EventLoopGroup, natLog: NATProbeLog = NATProbeLog(),
               probes: Bool = true) async throws -> Served? {
        guard let control else { return nil }
        let server: ControlServer
        do {
            server = try await ControlServer.start(path: control, backend: HyperDHTMonitorBackend(handle: node, natLog: natLog),
                                                   on: group)
        } catch {
            throw NetworkFailure(description: "cannot serve --control \(control): \(error)")
        }
        let probe = probes ? Task { await PublicAddressProbe.run(node, log: natLog) } : Task {}
        return Served(server: server, probe: probe)
    }
}
