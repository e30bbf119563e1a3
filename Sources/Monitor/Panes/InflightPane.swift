import UDPRequest

/// In-flight UDP requests (tid, command, destination, age, tries), then recently finished ones with
/// their RTT, timeouts marked.
public enum InflightPane: ListPane {
    /// The in-flight pane.
    public static let id = PaneID.inflight

    static let emptyText = "no requests yet"

    /// What one row of the pane shows.
    enum Item {
        /// A request in flight (index into the requests sorted by age).
        case inflight(Int)
        /// "+N queued for a free slot".
        case queued(Int)
        /// The heading above the finished requests.
        case recentHeading
        /// A finished request (index from the newest).
        case finished(Int)
    }

    static func columns(width: Int) -> [Segment] {
        [Segment(Formatting.fit("tid", 6) + Formatting.fit("command", 12) + Formatting.fit("peer", addressWidth(width))
                 + Formatting.right("age/rtt", 8) + Formatting.right("tries", 6), .dim)]
    }

    static func addressWidth(_ width: Int) -> Int { max(12, min(24, width - 32)) }

    /// The pane's rows.
    public static func content(_ context: RenderContext, width: Int) -> PaneContent {
        PaneContent(columns: columns(width: width), rows: plan(context, width: width).allRows, emptyText: emptyText)
    }

    /// The rows' keys (see ``ListPane/rowKeys(_:width:)``), no row built unless a filter is set.
    public static func rowKeys(_ context: RenderContext, width: Int) -> RowKeys {
        plannedRowKeys(plan(context, width: width), context, width: width)
    }

    /// Only the rows in view (see ``ListPane/visibleContent(_:width:innerHeight:focused:)``).
    public static func visibleContent(_ context: RenderContext, width: Int, innerHeight: Int, focused: Bool) -> PaneContent {
        windowedContent(plan(context, width: width), context, columns: columns(width: width), emptyText: emptyText,
                        innerHeight: innerHeight, focused: focused)
    }

    static func plan(_ context: RenderContext, width: Int) -> RowPlan<Item> {
        let addressWidth = addressWidth(width)
        let status = context.model.status
        let inflight = status?.inflight.sorted(by: { $0.firstSentAt < $1.firstSentAt }) ?? []
        let log = context.model.requests
        let finishedCount = log.finished.count
        var items: [Item] = inflight.indices.map { .inflight($0) }
        if let status, status.queuedRequests > 0 { items.append(.queued(status.queuedRequests)) }
        if finishedCount > 0 { items.append(.recentHeading) }
        items += (0..<finishedCount).map { .finished($0) }
        return RowPlan(items: items, key: { item in
            switch item {
            case .inflight(let index): .request(inflight[index].tid)
            case .finished(let index): .finished(index)
            case .queued, .recentHeading: nil
            }
        }, build: { item in
            switch item {
            case .inflight(let index):
                let request = inflight[index]
                var command = request.command
                if request.holepunchTarget != nil { command += "⇄" }
                let tries = request.transmissions
                let now = status?.now ?? request.firstSentAt
                return PaneRow(key: .request(request.tid), [
                    Segment(Formatting.fit("\(request.tid)", 6), .accent),
                    Segment(Formatting.fit(command, 12)),
                    Segment(Formatting.fit(context.mask.text(request.destination), addressWidth)),
                    Segment(Formatting.right(Formatting.duration(now - request.firstSentAt), 8)),
                    Segment(Formatting.right("\(tries)", 6), tries > 1 ? .warning : .text),
                ])
            case .queued(let count):
                return PaneRow([Segment("+\(count) queued for a free slot", .warning)])
            case .recentHeading:
                return PaneRow([Segment("── recent: \(log.answered) answered, \(log.timedOut) timed out ", .dim)])
            case .finished(let index):
                // Index 0 is the newest.
                let request = log.finished[finishedCount - 1 - index]
                let result: Segment
                switch request.outcome {
                case .answered(let rtt): result = Segment(Formatting.right(Formatting.duration(rtt), 8), .good)
                case .timedOut(let tries): result = Segment(Formatting.right("TIMEOUT", 8) + Formatting.right("×\(tries)", 6), .bad)
                case .cancelled: result = Segment(Formatting.right("cancel", 8), .warning)
                }
                return PaneRow(key: .finished(index), [
                    Segment(Formatting.fit("\(request.tid)", 6), .dim),
                    Segment(Formatting.fit(request.command, 12), .dim),
                    Segment(Formatting.fit(context.mask.text(request.peer), addressWidth), .dim),
                    result,
                ])
            }
        })
    }
}
