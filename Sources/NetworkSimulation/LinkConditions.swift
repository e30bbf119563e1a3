/// How a simulated link treats each datagram: delay, loss, duplication and reordering.
///
/// Every random choice is drawn from the network's seeded generator, so a run replays exactly.
/// Applies per datagram; a ``SimulatedNetwork`` has a default and overrides per host pair or endpoint.
public struct LinkConditions: Hashable, Sendable {
    /// The fixed one-way delay every datagram incurs.
    public var latency: Duration
    /// The largest extra delay added, uniformly from zero up to this, to each datagram.
    public var jitter: Duration
    /// The chance, 0...1, that a datagram is dropped.
    public var lossProbability: Double
    /// The chance, 0...1, that a datagram is delivered twice (the copy has its own delay).
    public var duplicationProbability: Double
    /// The chance, 0...1, that a datagram is held back by ``reorderDelay`` so later ones overtake it.
    public var reorderProbability: Double
    /// The extra delay of a held-back datagram.
    public var reorderDelay: Duration

    /// Creates link conditions; the defaults are a perfect 1 ms link.
    public init(
        latency: Duration = .milliseconds(1),
        jitter: Duration = .zero,
        lossProbability: Double = 0,
        duplicationProbability: Double = 0,
        reorderProbability: Double = 0,
        reorderDelay: Duration = .zero
    ) {
        self.latency = latency
        self.jitter = jitter
        self.lossProbability = lossProbability
        self.duplicationProbability = duplicationProbability
        self.reorderProbability = reorderProbability
        self.reorderDelay = reorderDelay
    }

    /// A perfect link with 1 ms latency.
    public static let perfect = LinkConditions()

    /// Throws ``SimulationError/invalidConditions(_:)`` if a delay is negative or a probability is
    /// outside 0...1 (or not a number). The network calls this wherever conditions are set.
    public func validate() throws(SimulationError) {
        for (name, value) in [("latency", latency), ("jitter", jitter), ("reorderDelay", reorderDelay)]
        where value < .zero {
            throw .invalidConditions("\(name) must not be negative (is \(value))")
        }
        let probabilities = [
            ("lossProbability", lossProbability), ("duplicationProbability", duplicationProbability),
            ("reorderProbability", reorderProbability),
        ]
        for (name, value) in probabilities where !(0...1).contains(value) {
            throw .invalidConditions("\(name) must be within 0...1 (is \(value))")
        }
    }
}
