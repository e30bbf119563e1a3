import ArgumentParser
import DHTRPC
import Foundation
import IPEncoding
import KBucket
import NATDiagnosis
import NIOPosix
import NodeRuntime

struct NetcheckCommand: AsyncParsableCommand, JSONOutputCommand {
    static let configuration = CommandConfiguration(
        commandName: "netcheck",
        abstract: "Diagnose the NAT in front of this host over the DHT wire: mapping, filtering, hairpinning, verdict.",
        discussion: """
            Asks the bootstrap node(s) for contacts with one _find_node (no walk, so most contacts never heard from \
            us), pings several of them for the address they see us at, asks a bootstrap node to forward a _ping to \
            contacts we never sent to (if their answers get in, our NAT admits unsolicited datagrams), and pings our \
            own public address (hairpinning). Sends about 25 datagrams and takes a few seconds.
            """)

    @OptionGroup var network: NetworkOptions
    @OptionGroup var bind: BindOptions
    @Option(name: .long, help: "The UDP port to listen on (default: any free port).") var port: UInt16 = 0
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard !network.bootstrap.isEmpty else {
            throw ValidationError("netcheck needs a network: give --bootstrap host:port (e.g. the address `hyperdht testnet` prints)")
        }
    }

    func run() async throws {
        let bootstrap = try network.bootstrapAddresses()
        // No bootstrap list: the node must not walk the network before the filtering probe.
        let node = try await DHTNodeHandle.start(configuration: DHTNodeConfiguration(ephemeral: true), host: try bind.address(),
                                                 port: port, on: MultiThreadedEventLoopGroup.singleton.next())
        closeOnShutdown(node.close)
        let interfaces = InterfaceAddresses.current()
        let run = try await Self.probe(node, bootstrap: bootstrap, interfaces: interfaces)
        await node.close()
        guard !run.bootstrapAnswered.isEmpty else {
            let list = bootstrap.map(\.description).joined(separator: ", ")
            throw NetworkFailure(description: "netcheck: no answer from the bootstrap node(s) \(list): no node to ask")
        }
        let report = run.report
        ResultPrinter(json: output.json).result(NetcheckLine(report, cutShort: run.hitDeadline),
                                                text: NetcheckText.render(report, run: run))
    }

    /// Runs the probe driver on the node's loop and waits for its result.
    static func probe(_ node: DHTNodeHandle, bootstrap: [PeerAddress], interfaces: [IPAddress],
                      configuration: NATProbeConfiguration = NATProbeConfiguration(),
                      ignoring ignored: Set<NodeID> = []) async throws -> NATProbeRun {
        let promise = node.eventLoop.makePromise(of: NATProbeRun.self)
        let bound = node.localAddress
        try await node.withNode { dht in
            NATProbeDriver(node: dht, boundAddress: bound, interfaceAddresses: interfaces, configuration: configuration)
                .run(bootstrap: bootstrap, ignoring: ignored) { promise.succeed($0) }
        }
        return try await promise.futureResult.get()
    }
}

/// `netcheck`'s text for people: the verdict first, then each line with the evidence behind it.
enum NetcheckText {
    static func render(_ report: NATReport, run: NATProbeRun) -> String {
        var lines = ["verdict: \(report.verdictText)"]
        func add(_ title: String, _ value: String, _ line: NATReportLine) {
            lines.append("\(title): \(value)")
            lines += report.evidence(for: line).map { "    \($0.text)" }
        }
        add("local addresses", report.localAddresses.isEmpty ? "none known" : report.localAddresses.map(\.description).joined(separator: ", "),
            .localAddresses)
        let agreeing = run.inputs.reports.filter { $0.observed == report.publicAddress }.count
        add("public address", report.publicAddress.map { "\($0) (seen by \(agreeing) of \(report.reporters) nodes)" } ?? "unknown",
            .publicAddress)
        add("mapping", report.mapping.rawValue, .mapping)
        add("port preserving", yesNo(report.portPreserving), .portPreserving)
        add("filtering", report.filtering.rawValue, .filtering)
        add("hairpinning", yesNo(report.hairpinning), .hairpinning)
        if run.hitDeadline { lines.append("(the probes were cut short by their deadline)") }
        return lines.joined(separator: "\n")
    }

    private static func yesNo(_ value: Bool?) -> String {
        switch value {
        case true?: "yes"
        case false?: "no"
        case nil: "n/a"
        }
    }
}
