import Foundation
import IPEncoding

/// The hole-punch timeline: every punch this node asked for, forwarded as a referrer, or answered as
/// the punched peer, newest first, each with its timestamped steps; for a failure, the follow-up
/// probes' steps and the likely cause they found (long steps wrap).
public enum HolepunchPane: ListPane {
    /// The hole-punch pane.
    public static let id = PaneID.holepunch

    /// The pane's rows.
    public static func content(_ context: RenderContext, width: Int) -> PaneContent {
        var rows: [PaneRow] = []
        for attempt in context.model.holepunches.attempts.newestFirst {
            let ago = Formatting.right(Formatting.duration(context.now - attempt.startedAt), 6)
            let title: String
            switch attempt.role {
            case .initiator: title = "punch \(context.mask.text(attempt.peer)) via \(context.mask.text(attempt.referrer))"
            case .referrer:
                let verb = if case .refused = attempt.state { "refused" } else { "forwarded" }
                title = "\(verb) \(context.mask.text(attempt.referrer)) → \(context.mask.text(attempt.peer))"
            case .target: title = "punched by \(context.mask.text(attempt.peer)) via \(context.mask.text(attempt.referrer))"
            }
            let state: Segment
            switch attempt.state {
            case .pending: state = Segment("  … waiting", .warning)
            case .answered(let rtt, let from):
                state = from == attempt.peer ? Segment("  ✓ \(Formatting.duration(rtt))", .good)
                    : Segment("  ✓ \(Formatting.duration(rtt)) from \(context.mask.text(from))", .warning)
            case .failed(let failure, _):
                state = attempt.probing ? Segment("  ✗ \(failure), probing…", .warning) : Segment("  ✗ \(failure)", .bad)
            case .relayed: state = Segment("  ✓ relayed", .good)
            case .refused(let reason): state = Segment("  ✗ not forwarded: \(reason)", .warning)
            }
            rows.append(PaneRow(key: .punch(attempt.startedAt), [Segment(ago + " ", .dim), Segment(title), state]))
            for step in attempt.steps {
                let offset = "+" + Formatting.stepOffset(step.at - attempt.startedAt)  // node-clock times: real spacing
                let lines = Formatting.wrap(maskAddresses(step.text, context: context), width - stepIndent)
                for (index, line) in lines.enumerated() {
                    rows.append(PaneRow([
                        Segment(index == 0 ? "       " + Formatting.right(offset, 7) + " " : String(repeating: " ", count: stepIndent),
                                .dim),
                        Segment(line, step.isProblem ? .bad : .text),
                    ], isDetail: true))
                }
            }
        }
        return PaneContent(rows: rows, emptyText: "no hole punches yet (h to punch one)")
    }

    /// Columns before a step's text (its time offset); long texts wrap below it.
    static let stepIndent = 15

    /// Step texts embed addresses; in privacy mode they are masked like everywhere else.
    static func maskAddresses(_ text: String, context: RenderContext) -> String {
        guard context.mask.isEnabled else { return text }
        return text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            let trimmed = word.trimmingCharacters(in: CharacterSet(charactersIn: "(),:;."))
            if let address = PeerAddress(trimmed) {
                return word.replacingOccurrences(of: trimmed, with: context.mask.text(address))
            }
            // A bare host (the follow-up names public hosts) is masked too.
            guard trimmed.contains("."), let host = IPAddress(trimmed) else { return String(word) }
            return word.replacingOccurrences(of: trimmed, with: context.mask.mask(host))
        }.joined(separator: " ")
    }
}
