import UDPRequest

/// In-flight UDP requests (tid, command, destination, age, tries), then recently finished ones with
/// their RTT, timeouts marked.
public enum InflightPane: ListPane {
    /// The in-flight pane.
    public static let id = PaneID.inflight

    /// The pane's rows.
    public static func content(_ context: RenderContext, width: Int) -> PaneContent {
        let addressWidth = max(12, min(24, width - 32))
        let columns = [Segment(Formatting.fit("tid", 6) + Formatting.fit("command", 12) + Formatting.fit("peer", addressWidth)
                               + Formatting.right("age/rtt", 8) + Formatting.right("tries", 6), .dim)]
        var rows: [PaneRow] = []
        if let status = context.model.status {
            for request in status.inflight.sorted(by: { $0.firstSentAt < $1.firstSentAt }) {
                var command = request.command
                if request.holepunchTarget != nil { command += "⇄" }
                let tries = request.transmissions
                rows.append(PaneRow(key: .request(request.tid), [
                    Segment(Formatting.fit("\(request.tid)", 6), .accent),
                    Segment(Formatting.fit(command, 12)),
                    Segment(Formatting.fit(context.mask.text(request.destination), addressWidth)),
                    Segment(Formatting.right(Formatting.duration(status.now - request.firstSentAt), 8)),
                    Segment(Formatting.right("\(tries)", 6), tries > 1 ? .warning : .text),
                ]))
            }
            if status.queuedRequests > 0 {
                rows.append(PaneRow([Segment("+\(status.queuedRequests) queued for a free slot", .warning)]))
            }
        }
        let finished = context.model.requests.finished.newestFirst
        if !finished.isEmpty {
            let log = context.model.requests
            rows.append(PaneRow([Segment("── recent: \(log.answered) answered, \(log.timedOut) timed out ", .dim)]))
        }
        for (index, request) in finished.enumerated() {
            let result: Segment
            switch request.outcome {
            case .answered(let rtt): result = Segment(Formatting.right(Formatting.duration(rtt), 8), .good)
            case .timedOut(let tries): result = Segment(Formatting.right("TIMEOUT", 8) + Formatting.right("×\(tries)", 6), .bad)
            case .cancelled: result = Segment(Formatting.right("cancel", 8), .warning)
            }
            rows.append(PaneRow(key: .finished(index), [
                Segment(Formatting.fit("\(request.tid)", 6), .dim),
                Segment(Formatting.fit(request.command, 12), .dim),
                Segment(Formatting.fit(context.mask.text(request.peer), addressWidth), .dim),
                result,
            ]))
        }
        return PaneContent(columns: columns, rows: rows, emptyText: "no requests yet")
    }
}
