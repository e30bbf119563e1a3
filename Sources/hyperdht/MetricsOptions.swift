import ArgumentParser
import IPEncoding
import Monitor
import NIOCore
import NodeMetrics
import NodeRuntime

/// `--metrics HOST:PORT` of `node`, `bootstrap`, `announce --keep` and `monitor`: serve the node's
/// counters in Prometheus text format at `http://HOST:PORT/metrics` (``MetricsEndpoint``). Off by default.
struct MetricsOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Serve Prometheus metrics at http://HOST:PORT/metrics (e.g. 127.0.0.1:9464; port 0: any free port). Off by default; only GET /metrics is answered.",
        valueName: "host:port"))
    var metrics: String?

    func validate() throws {
        _ = try listenAddress()
    }

    /// The address to listen on: an IP literal or `localhost`, and a port (0: any free one).
    func listenAddress() throws -> (host: IPAddress, port: UInt16)? {
        guard let metrics else { return nil }
        let text = metrics.trimmingCharacters(in: .whitespaces)
        let hasPort = text.hasPrefix("[") ? text.contains("]:") : text.count(where: { $0 == ":" }) == 1
        guard hasPort, let split = try? PeerAddress.splitHostAndPort(text, allowsPortZero: true) else {
            throw ValidationError("--metrics '\(metrics)' is not HOST:PORT (e.g. 127.0.0.1:9464, [::1]:9464 or localhost:9464)")
        }
        if split.host == "localhost" { return (.loopbackV4, split.port) }
        guard let address = try? IPAddress(parsing: split.host) else {
            throw ValidationError("--metrics '\(metrics)': '\(split.host)' is not an IP address (e.g. 127.0.0.1, 0.0.0.0 or ::1)")
        }
        return (address, split.port)
    }

    /// Starts serving `node`'s metrics when `--metrics` was given (closed on SIGINT/SIGTERM when
    /// `closesOnShutdown`). A listener that cannot start (the port in use, ...) is a ``NetworkFailure`` saying why.
    func serve(_ node: HyperDHTHandle, on group: any EventLoopGroup, closesOnShutdown: Bool = true) async throws -> MetricsEndpoint? {
        guard let address = try listenAddress() else { return nil }
        let endpoint: MetricsEndpoint
        do {
            endpoint = try await MetricsEndpoint.start(node: node, host: address.host, port: address.port, on: group)
        } catch {
            throw NetworkFailure(description: "cannot serve --metrics \(metrics ?? ""): \(error)")
        }
        if closesOnShutdown { closeOnShutdown(endpoint.close) }
        return endpoint
    }

    /// Says where the metrics are (`printer`'s "metrics" line).
    static func announce(_ endpoint: MetricsEndpoint?, printer: ResultPrinter) {
        guard let endpoint else { return }
        printer.event(MetricsLine(url: endpoint.server.url, address: JSONAddress(endpoint.server.address)),
                      text: "metrics at \(endpoint.server.url)")
    }
}
