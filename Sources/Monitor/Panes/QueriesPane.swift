/// Active and recent walks with hop-by-hop progress (answers per hop, errors, in flight, the closest
/// prefix so far); Enter expands a walk into its results – the peers an announce or lookup found (with
/// the node that returned each) and the closest nodes – which can be selected for `p` and `h`.
public enum QueriesPane: ListPane {
    /// The queries pane.
    public static let id = PaneID.queries

    static let columns = [Segment("   id command     target    hops ok/err in closest  time  state", .dim)]
    static let emptyText = "no queries yet"

    /// What one row of the pane shows.
    enum Item {
        /// A walk's own row (index into `queries.all`).
        case query(Int)
        /// The answers-per-hop line of an expanded walk.
        case hops(Int)
        /// "(no results)" under an expanded walk.
        case noResults
        /// One result of an expanded walk.
        case result(Int, Int)
    }

    /// The pane's rows.
    public static func content(_ context: RenderContext, width: Int) -> PaneContent {
        PaneContent(columns: columns, rows: plan(context).allRows, emptyText: emptyText)
    }

    /// The rows' keys (see ``ListPane/rowKeys(_:width:)``), no row built unless a filter is set.
    public static func rowKeys(_ context: RenderContext, width: Int) -> RowKeys {
        plannedRowKeys(plan(context), context, width: width)
    }

    /// Only the rows in view (see ``ListPane/visibleContent(_:width:innerHeight:focused:)``).
    public static func visibleContent(_ context: RenderContext, width: Int, innerHeight: Int, focused: Bool) -> PaneContent {
        windowedContent(plan(context), context, columns: columns, emptyText: emptyText, innerHeight: innerHeight,
                        focused: focused)
    }

    static func plan(_ context: RenderContext) -> RowPlan<Item> {
        let records = context.model.queries.all
        var items: [Item] = []
        for (index, record) in records.enumerated() {
            items.append(.query(index))
            guard context.view.expandedQueries.contains(record.id) else { continue }
            if !record.answersPerHop.isEmpty { items.append(.hops(index)) }
            let count = record.foundPeers.count + (record.outcome?.closest.count ?? record.answered.count)
            if count == 0 { items.append(.noResults) }
            for result in 0..<count { items.append(.result(index, result)) }
        }
        return RowPlan(items: items, key: { item in
            switch item {
            case .query(let index): .query(records[index].id)
            case .result(let index, let result): .result(records[index].id, result)
            case .hops, .noResults: nil
            }
        }, build: { item in
            switch item {
            case .query(let index):
                return queryRow(records[index], context: context)
            case .hops(let index):
                let hops = records[index].answersPerHop.enumerated().map { "h\($0.offset + 1):\($0.element)" }.joined(separator: " ")
                return PaneRow([Segment("      answers per hop  " + hops, .dim)], isDetail: true)
            case .noResults:
                return PaneRow([Segment("      (no results)", .dim)], isDetail: true)
            case .result(let index, let result):
                return resultRow(records[index], index: result, context: context)
            }
        })
    }

    static func resultRow(_ record: QueryRecord, index: Int, context: RenderContext) -> PaneRow {
        switch record.results[index] {
        case .peer(let peer):
            return PaneRow(key: .result(record.id, index), [
                Segment("      ◆ peer ", .good),
                Segment(context.mask.text(peer.address), .accent),
                Segment(peer.isLocalNetwork ? " lan" : "", .warning),
                Segment("  via " + (peer.via.id.map { String($0.hexString.prefix(8)) + " " } ?? ""), .dim),
                Segment(context.mask.text(peer.via.address), .dim),
            ], isDetail: true)
        case .node(let node):
            return PaneRow(key: .result(record.id, index), [
                Segment("      → "),
                Segment(node.id.map { String($0.hexString.prefix(8)) } ?? "--------", .accent),
                Segment("  " + context.mask.text(node.address)),
                Segment(node.id.map { "  \($0.commonPrefixLength(with: record.target, limit: 256))b" } ?? "", .dim),
            ], isDetail: true)
        }
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
