/// The NAT panel: the addresses other nodes report seeing us at (from `_ping` answers), the verdict
/// they support, and the samples behind it.
public enum NATPane: ListPane {
    /// The NAT pane.
    public static let id = PaneID.nat

    /// The pane's rows.
    public static func content(_ context: RenderContext, width: Int) -> PaneContent {
        let nat = context.model.nat
        var fixed: [[Segment]] = []
        if let status = context.model.status {
            let verdict = nat.verdict(localAddress: status.localAddress)
            let role: StyleRole
            switch verdict {
            case .open, .consistentMapping: role = .good
            case .unknown, .needMoreSamples: role = .warning
            case .portRandomising: role = .bad
            }
            fixed.append([Segment("verdict ", .dim), Segment(verdictText(verdict, context: context), role)])
            fixed.append([Segment("local   ", .dim), Segment(context.mask.text(status.localAddress))])
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

    static func verdictText(_ verdict: NATVerdict, context: RenderContext) -> String {
        switch verdict {
        case .unknown: "unknown"
        case .needMoreSamples: "need more samples"
        case .open: "open"
        case .consistentMapping: "consistent mapping"
        case .portRandomising(let distinct): "port-randomising (\(distinct) addresses)"
        }
    }
}
