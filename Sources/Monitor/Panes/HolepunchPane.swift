import Foundation
import IPEncoding

/// The hole-punch timeline: every punch this node asked for, forwarded as a referrer, or answered as
/// the punched peer, newest first, each with its timestamped steps; for a failure, the follow-up
/// probes' steps and the likely cause they found (long steps wrap).
public enum HolepunchPane: ListPane {
    /// The hole-punch pane.
    public static let id = PaneID.holepunch

    static let emptyText = "no hole punches yet (h to punch one)"

    /// What one row of the pane shows.
    enum Item {
        /// An attempt's own row (index into the attempts, newest first).
        case attempt(Int)
        /// One line of a step (attempt, step, line of its wrapped text).
        case step(Int, Int, line: Int)
    }

    /// The pane's rows.
    public static func content(_ context: RenderContext, width: Int) -> PaneContent {
        PaneContent(rows: plan(context, width: width).allRows, emptyText: emptyText)
    }

    /// The rows' keys (see ``ListPane/rowKeys(_:width:)``), no row built unless a filter is set.
    public static func rowKeys(_ context: RenderContext, width: Int) -> RowKeys {
        plannedRowKeys(plan(context, width: width), context, width: width)
    }

    /// Only the rows in view (see ``ListPane/visibleContent(_:width:innerHeight:focused:)``): with 64 attempts of
    /// a dozen steps each, wrapping every step's text was half of a monitor frame.
    public static func visibleContent(_ context: RenderContext, width: Int, innerHeight: Int, focused: Bool) -> PaneContent {
        windowedContent(plan(context, width: width), context, emptyText: emptyText, innerHeight: innerHeight,
                        focused: focused)
    }

    static func plan(_ context: RenderContext, width: Int) -> RowPlan<Item> {
        let attempts = context.model.holepunches.attempts.newestFirst
        let textWidth = width - stepIndent
        var items: [Item] = []
        for (index, attempt) in attempts.enumerated() {
            items.append(.attempt(index))
            for (stepIndex, step) in attempt.steps.enumerated() {
                let lines = lineCount(step.text, width: textWidth, context: context)
                for line in 0..<lines { items.append(.step(index, stepIndex, line: line)) }
            }
        }
        return RowPlan(items: items, key: { item in
            if case .attempt(let index) = item { .punch(attempts[index].startedAt) } else { nil }
        }, build: { item in
            switch item {
            case .attempt(let index):
                return attemptRow(attempts[index], context: context)
            case .step(let index, let stepIndex, let line):
                let attempt = attempts[index], step = attempt.steps[stepIndex]
                let lines = Formatting.wrap(maskAddresses(step.text, context: context), textWidth)
                let offset = "+" + Formatting.stepOffset(step.at - attempt.startedAt)  // node-clock times: real spacing
                return PaneRow([
                    Segment(line == 0 ? "       " + Formatting.right(offset, 7) + " " : String(repeating: " ", count: stepIndent),
                            .dim),
                    Segment(line < lines.count ? lines[line] : "", step.isProblem ? .bad : .text),
                ], isDetail: true)
            }
        })
    }

    /// The lines `text` wraps to. A text no longer in bytes than the line is one line (no character is wider in
    /// columns than in UTF-8 bytes) unless spaces would be squeezed; only longer texts are wrapped to count.
    static func lineCount(_ text: String, width: Int, context: RenderContext) -> Int {
        if !context.mask.isEnabled, text.utf8.count <= width, !text.hasPrefix(" "), !text.hasSuffix(" "),
           !text.contains("  ") {
            return 1
        }
        return Formatting.wrap(maskAddresses(text, context: context), width).count
    }

    /// An attempt's own row: age, who punches whom via whom, and its state.
    static func attemptRow(_ attempt: PunchAttempt, context: RenderContext) -> PaneRow {
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
        return PaneRow(key: .punch(attempt.startedAt), [Segment(ago + " ", .dim), Segment(title), state])
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
