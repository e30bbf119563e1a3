import NATDiagnosis

/// The NAT panel: the diagnosis ``NATClassifier`` draws from the addresses other nodes report seeing
/// us at and from the filtering / hairpin probes – the same code as `hyperdht netcheck` – each line
/// with the evidence behind it, then the address samples themselves, newest first.
public enum NATPane: ListPane {
    /// The NAT pane.
    public static let id = PaneID.nat

    /// Evidence lines shown under each line of the diagnosis (more are summarised as a count).
    static let evidencePerLine = 2

    /// The pane's rows.
    public static func content(_ context: RenderContext, width: Int) -> PaneContent {
        let nat = context.model.nat
        var fixed: [[Segment]] = []
        if let status = context.model.status {
            let report = context.model.natReport ?? nat.report(for: status, now: context.now)
            // A short label first (the pane is often 40–80 columns), then the full sentence.
            fixed.append([Segment("verdict ", .dim), Segment(label(report), role(report.verdict))])
            fixed.append([Segment("  " + context.mask.text(masking: report.verdictText), .dim)])
            fixed += line("mapping ", report.mapping.rawValue + portText(report.portPreserving), .mapping, report, context)
            fixed += line("filter  ", report.filtering.rawValue, .filtering, report, context)
            if let socket = status.natProbes.probeSocket {
                fixed.append([Segment("  (probed from a fresh socket, seen at \(context.mask.text(socket)))", .dim)])
            }
            fixed += line("hairpin ", yesNo(report.hairpinning), .hairpinning, report, context)
            fixed.append([Segment("local   ", .dim), Segment(context.mask.text(status.localAddress))]
                         + (status.localAddress.host.isUnspecified && !report.localAddresses.isEmpty
                            ? [Segment("  (" + report.localAddresses.map { context.mask.text($0) }.joined(separator: ", ") + ")", .dim)]
                            : []))
        }
        fixed.append([Segment("public  ", .dim), Segment(context.mask.text(nat.publicAddress)),
                      Segment("  (\(nat.reporterCount) reporters)", .dim)])
        let rows = nat.samples.newestFirst.enumerated().map { index, sample in
            PaneRow(key: .index(index), [
                Segment(Formatting.right(Formatting.duration(context.now - sample.at), 6) + " ", .dim),
                Segment(context.mask.text(sample.address), .accent),
                Segment(" by ", .dim),
                Segment(context.mask.text(sample.reporter)),
            ])
        }
        return PaneContent(fixedLines: fixed, rows: rows, emptyText: "no address reports yet (p pings one)")
    }

    /// A line of the diagnosis and, indented under it, its evidence.
    private static func line(_ title: String, _ value: String, _ line: NATReportLine, _ report: NATReport,
                             _ context: RenderContext) -> [[Segment]] {
        let evidence = report.evidence(for: line)
        var lines = [[Segment(title, .dim), Segment(value)]]
        for item in evidence.prefix(evidencePerLine) {
            lines.append([Segment("  " + context.mask.text(masking: item.text), .dim)])
        }
        if evidence.count > evidencePerLine {
            lines.append([Segment("  (+\(evidence.count - evidencePerLine) more)", .dim)])
        }
        return lines
    }

    /// The verdict in a few words: what it is and what it means for punching.
    static func label(_ report: NATReport) -> String {
        switch report.verdict {
        case .reachableDirectly: "reachable directly"
        case .punchingWorksWithConsistentPeers: "consistent NAT: punching works"
        case .punchingUnlikelyPortRandomising:
            report.mapping == .variesByDestination ? "mapping varies: punching unlikely" : "port-randomising: punching unlikely"
        case .unknown: "unknown (need more reports)"
        }
    }

    private static func role(_ verdict: NATVerdict) -> StyleRole {
        switch verdict {
        case .reachableDirectly, .punchingWorksWithConsistentPeers: .good
        case .unknown: .warning
        case .punchingUnlikelyPortRandomising: .bad
        }
    }

    private static func portText(_ preserving: Bool?) -> String {
        switch preserving {
        case true?: ", port preserved"
        case false?: ", port translated"
        case nil: ""
        }
    }

    private static func yesNo(_ value: Bool?) -> String {
        switch value {
        case true?: "yes"
        case false?: "no"
        case nil: "n/a"
        }
    }
}
