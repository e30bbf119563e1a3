/// An element of a walk's stream (``QueryEvent``, and the HyperDHT layer's peer query events):
/// one node's answer, or the summary that ends the stream.
public protocol WalkStreamEvent: Sendable {
    /// What one node's answer carries.
    associatedtype Answer: Sendable
    /// The answer, if this event is one.
    var answer: Answer? { get }
    /// The summary, if this event ends the walk.
    var summary: QuerySummary? { get }
}

extension AsyncSequence where Element: WalkStreamEvent {
    /// Runs the stream to its end: every answer in arrival order, and the summary.
    public func collect() async rethrows -> (results: [Element.Answer], summary: QuerySummary?) {
        var results: [Element.Answer] = []
        var summary: QuerySummary?
        for try await event in self {
            if let answer = event.answer { results.append(answer) }
            if let finished = event.summary { summary = finished }
        }
        return (results, summary)
    }
}
