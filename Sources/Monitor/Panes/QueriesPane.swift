/// Active and recent walks with hop-by-hop progress (answers per hop, errors, in flight, the closest
/// prefix so far); Enter expands a walk into its results – the peers an announce or lookup found (with
/// the node that returned each) and the closest nodes – which can be selected for `p` and `h`.
public enum QueriesPane: ListPane {
    /// The queries pane.
    public static let id = PaneID.queries

    /// The pane's rows.
    public static func content(_ context: RenderContext, width: Int) -> PaneContent {
        let columns = [Segment("   id command     target    hops ok/err in closest  time  state", .dim)]
        var rows: [PaneRow] = []
        for record in context.model.queries.all {
            rows.append(queryRow(record, context: context))
            guard context.view.expandedQueries.contains(record.id) else { continue }
            if !record.answersPerHop.isEmpty {
                let hops = record.answersPerHop.enumerated().map { "h\($0.offset + 1):\($0.element)" }.joined(separator: " ")
                rows.append(PaneRow([Segment("      answers per hop  " + hops, .dim)]))
            }
            let results = record.results
            if results.isEmpty { rows.append(PaneRow([Segment("      (no results)", .dim)])) }
            for (index, entry) in results.enumerated() {
                switch entry {
                case .peer(let peer):
                    rows.append(PaneRow(key: .result(record.id, index), [
                        Segment("      ◆ peer ", .good),
                        Segment(context.mask.text(peer.address), .accent),
                        Segment(peer.isLocalNetwork ? " lan" : "", .warning),
                        Segment("  via " + (peer.via.id.map { String($0.hexString.prefix(8)) + " " } ?? ""), .dim),
                        Segment(context.mask.text(peer.via.address), .dim),
                    ]))
                case .node(let node):
                    rows.append(PaneRow(key: .result(record.id, index), [
                        Segment("      → "),
                        Segment(node.id.map { String($0.hexString.prefix(8)) } ?? "--------", .accent),
                        Segment("  " + context.mask.text(node.address)),
                        Segment(node.id.map { "  \($0.commonPrefixLength(with: record.target, limit: 256))b" } ?? "", .dim),
                    ]))
                }
            }
        }
        return PaneContent(columns: columns, rows: rows, emptyText: "no queries yet")
    }

    static func queryRow(_ record: QueryRecord, context: RenderContext) -> PaneRow {
        let expanded = context.view.expandedQueries.contains(record.id)
        let state: Segment
        let elapsed: Duration
        if let outcome = record.outcome {
            elapsed = outcome.duration
            state = outcome.error == nil ? Segment("done", .good) : Segment("failed: \(outcome.error ?? "")", .bad)
        } else {
            elapsed = context.now - record.startedAt
            state = Segment("running", .warning)
        }
        return PaneRow(key: .query(record.id), [
            Segment(expanded ? "▾" : "▸", .dim),
            Segment(Formatting.right("\(record.id)", 4) + " ", .accent),
            Segment(Formatting.fit(record.label ?? (record.command + (record.isUpdate ? "+" : "")), 12)),
            Segment(String(record.target.hexString.prefix(8)) + "  ", .dim),
            Segment(Formatting.right("\(record.hops)", 4)),
            Segment(Formatting.right("\(record.responses)/\(record.errors)", 7), record.errors > 0 ? .warning : .text),
            Segment(Formatting.right("\(record.inflight)", 3)),
            Segment(Formatting.right("\(record.closestPrefix)b", 8)),
            Segment(Formatting.right(Formatting.duration(elapsed), 6) + "  "),
            state,
        ])
    }
}
